// Turns a SigV4-signed EC2 request into a RequestContext. The EC2 dialect acts in the tenant's
// first project; new resources get AWS-style ids.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../domain/ports.ts';
import type { RequestContext } from '../../service/context.ts';
import type { TenantService } from '../../service/tenants.ts';
import { type AwsSignedRequest, authFailure, parseSigV4, type SigningKeys, verifySigV4 } from './protocol/sigv4-verifier.ts';

const UNKNOWN_KEY_SECRET = randomBytes(32).toString('base64');

export async function authenticate(
  req: AwsSignedRequest,
  requestId: string,
  tenants: TenantService,
  clock: Clock,
  regions: string[],
  signingKeys?: SigningKeys,
): Promise<RequestContext> {
  const parsed = parseSigV4(req);
  const key = await tenants.findKey(parsed.accessKeyId);
  // An unknown key goes through the same checks (scope, expiry, signature) against a secret no
  // request can match, so it fails exactly where and how a wrong secret fails.
  verifySigV4(req, parsed, key?.secret ?? UNKNOWN_KEY_SECRET, { nowMs: clock.now(), regions, signingKeys });
  if (!key) throw authFailure();
  const project = await tenants.defaultProject(key.tenantId);
  return { tenantId: key.tenantId, projectId: project.id, accessKeyId: key.accessKeyId, policy: key.policy, idStyle: 'aws', requestId };
}
