// Turns a signed request of either JSON dialect into a RequestContext: AK/SK signature, key
// lookup, and the project in the path, which must belong to the key's tenant (another tenant's
// project looks nonexistent).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../domain/ports.ts';
import type { RequestContext } from '../../service/context.ts';
import type { TenantService } from '../../service/tenants.ts';
import { AkSkError, type HuaweiSignedRequest, parseAuthorization, verifySignature } from './aksk-verifier.ts';
import { AUTH_PREFIX, HuaweiError } from './json-errors.ts';

const REASON_TEXT: Record<AkSkError['reason'], string> = {
  missing: 'the Authorization header is missing',
  malformed: 'the Authorization header is malformed',
  // Worded as a bad signature so that no answer tells whether an access key id exists.
  'unknown-key': 'verify aksk signature fail',
  'bad-signature': 'verify aksk signature fail',
  'stale-date': 'X-Sdk-Date is more than 15 minutes away from the server time',
};

const UNKNOWN_KEY_SECRET = randomBytes(32).toString('base64');

function authFailure(reason: AkSkError['reason']): HuaweiError {
  return new HuaweiError(401, 'APIGW.0301', `${AUTH_PREFIX}: ${REASON_TEXT[reason]}`);
}

export async function authenticate(
  req: HuaweiSignedRequest,
  projectId: string,
  requestId: string,
  tenants: TenantService,
  clock: Clock,
): Promise<RequestContext> {
  let accessKeyId: string;
  try {
    const parsed = parseAuthorization(req);
    accessKeyId = parsed.accessKeyId;
    const key = await tenants.findKey(accessKeyId);
    // An unknown key goes through the same checks (date, then signature) against a secret no
    // request can match, so it fails exactly where and how a wrong secret fails.
    verifySignature(req, parsed, key?.secret ?? UNKNOWN_KEY_SECRET, clock.now());
    if (!key) throw authFailure('unknown-key');
    // The signer leaves non-JSON bodies unsigned; every body of this API is JSON and must be signed.
    if (req.headers['x-sdk-content-sha256'] === 'UNSIGNED-PAYLOAD' && req.body.length > 0) {
      throw new HuaweiError(400, 'VPN.0001', 'invalid request: the request body must be JSON (Content-Type: application/json) and signed');
    }
    const project = await tenants.projectOf(key.tenantId, projectId);
    if (!project) throw new HuaweiError(404, 'VPN.0004', `resource not found: project ${projectId} does not exist`);
    return { tenantId: key.tenantId, projectId, accessKeyId, policy: key.policy, idStyle: 'uuid', requestId };
  } catch (err) {
    if (err instanceof AkSkError) throw authFailure(err.reason);
    throw err;
  }
}
