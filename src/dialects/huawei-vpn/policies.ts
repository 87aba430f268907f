// Maps Huawei ikepolicy / ipsecpolicy bodies onto the domain's policies. Creation starts from
// Huawei's documented defaults; an update starts from the tunnel's current policy, so fields
// left out keep their values.
import type { IkePolicy, IpsecPolicy } from '../../domain/entities.ts';
import { identityProblem } from '../../domain/identity.ts';
import { invalidRequest } from './errors.ts';
import { HUAWEI_DH_GROUP, HUAWEI_ENCRYPTION, HUAWEI_INTEGRITY } from './names.ts';
import type { IkePolicyBody, IpsecPolicyBody } from './schemas/connection.ts';

export const DEFAULT_IKE_POLICY: IkePolicy = {
  versions: ['v2'],
  phase1Mode: 'main',
  encryption: ['aes128-cbc'],
  integrity: ['sha2-256'],
  dhGroups: [15],
  authMethod: 'pre-share',
  lifetimeSeconds: 86400,
  rekeyMarginSeconds: 270,
  rekeyFuzzPercent: 100,
  localIdType: 'ip',
  peerIdType: 'ip',
  dpd: { timeoutSeconds: 15, intervalSeconds: 30, msg: 'seq-hash-notify', action: 'restart' },
};

export const DEFAULT_IPSEC_POLICY: IpsecPolicy = {
  encryption: ['aes128-cbc'],
  integrity: ['sha2-256'],
  pfsGroups: [15],
  lifetimeSeconds: 3600,
  transformProtocol: 'esp',
  encapsulationMode: 'tunnel',
  replayWindowSize: 1024,
};

export function applyIkePolicy(base: IkePolicy, body: IkePolicyBody | undefined, field: string): IkePolicy {
  if (!body) return base;
  const next: IkePolicy = {
    ...base,
    versions: body.ike_version ? [body.ike_version] : base.versions,
    phase1Mode: body.phase1_negotiation_mode ?? base.phase1Mode,
    encryption: body.encryption_algorithm ? [HUAWEI_ENCRYPTION[body.encryption_algorithm]] : base.encryption,
    integrity: body.authentication_algorithm ? [HUAWEI_INTEGRITY[body.authentication_algorithm]] : base.integrity,
    dhGroups: body.dh_group ? [HUAWEI_DH_GROUP[body.dh_group]] : base.dhGroups,
    authMethod: body.authentication_method ?? base.authMethod,
    lifetimeSeconds: body.lifetime_seconds ?? base.lifetimeSeconds,
    localIdType: body.local_id_type ?? base.localIdType,
    peerIdType: body.peer_id_type ?? base.peerIdType,
    dpd: body.dpd
      ? {
          ...base.dpd,
          timeoutSeconds: body.dpd.timeout ?? base.dpd.timeoutSeconds,
          intervalSeconds: body.dpd.interval ?? base.dpd.intervalSeconds,
          msg: body.dpd.msg ?? base.dpd.msg,
        }
      : base.dpd,
  };
  // With id type ip the service fills in the addresses; with fqdn the caller names the id.
  next.localId = identity(next.localIdType, body.local_id, base.localIdType, base.localId, `${field}.local_id`);
  next.peerId = identity(next.peerIdType, body.peer_id, base.peerIdType, base.peerId, `${field}.peer_id`);
  return next;
}

function identity(
  type: 'ip' | 'fqdn',
  given: string | undefined,
  baseType: string,
  baseId: string | undefined,
  field: string,
): string | undefined {
  // A value sent with type ip (e.g. a read-back body) is ignored: the address is the id.
  if (type === 'ip') return undefined;
  const id = given ?? (baseType === 'fqdn' ? baseId : undefined);
  if (!id) throw invalidRequest(`${field} is required when ${field}_type is fqdn`);
  const problem = identityProblem('fqdn', id);
  if (problem) throw invalidRequest(`${field} ${problem} when ${field}_type is fqdn`);
  return id;
}

export function applyIpsecPolicy(base: IpsecPolicy, body: IpsecPolicyBody | undefined): IpsecPolicy {
  if (!body) return base;
  return {
    ...base,
    encryption: body.encryption_algorithm ? [HUAWEI_ENCRYPTION[body.encryption_algorithm]] : base.encryption,
    integrity: body.authentication_algorithm ? [HUAWEI_INTEGRITY[body.authentication_algorithm]] : base.integrity,
    pfsGroups: body.pfs === undefined ? base.pfsGroups : body.pfs === 'disable' ? [] : [HUAWEI_DH_GROUP[body.pfs]],
    lifetimeSeconds: body.lifetime_seconds ?? base.lifetimeSeconds,
  };
}

/** Huawei's rule: 8-128 characters with at least three of upper case, lower case, digits, specials. */
export function checkPsk(psk: string): void {
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(psk)).length;
  if (classes < 3) {
    throw invalidRequest(
      'vpn_connection.psk must contain at least three of: upper-case letters, lower-case letters, digits and special characters',
    );
  }
}
