// A device profile on the wire: snake_case fields, the domain's canonical algorithm names
// (aes256-cbc, sha2-256) and DH groups by IANA number, e.g.
//   {"device_profile": {"ike_versions": ["v2"],
//     "ike_proposals": [{"encryption": ["aes256-cbc"], "integrity": ["sha2-256"], "dh_groups": [14]}],
//     "esp_proposals": [{"encryption": ["aes256-gcm16"], "integrity": [], "pfs_groups": [14]}],
//     "psk": "...", "initiates": true, "reachable": true}}
import { type Static, Type } from '@sinclair/typebox';
import { DH_GROUPS, type DhGroup, ENCRYPTION_ALGORITHMS, INTEGRITY_ALGORITHMS, isAead } from '../../../domain/algorithms.ts';
import { isIpv4 } from '../../../domain/cidr.ts';
import type { DeviceProfile } from '../../../domain/entities.ts';
import { invalidRequest } from '../../shared/json-errors.ts';
import { cidr, intRange, obj, oneOf, str, validator } from '../../shared/validate.ts';

const dhGroup = Type.Union(
  DH_GROUPS.map((g) => Type.Literal(g)),
  { errorMessage: `must be one of ${DH_GROUPS.join(', ')}` },
);

const list = <T extends Parameters<typeof Type.Array>[0]>(item: T, min: number, max: number, what: string) =>
  Type.Array(item, { minItems: min, maxItems: max, uniqueItems: true, errorMessage: `must be a list of ${what} without repeats` });

const ikeProposal = obj({
  encryption: list(oneOf(ENCRYPTION_ALGORITHMS), 1, 7, 'encryption algorithms'),
  integrity: list(oneOf(INTEGRITY_ALGORITHMS), 1, 6, 'integrity algorithms'),
  dh_groups: list(dhGroup, 1, 14, 'DH groups'),
});

const espProposal = obj({
  encryption: list(oneOf(ENCRYPTION_ALGORITHMS), 1, 7, 'encryption algorithms'),
  integrity: list(oneOf(INTEGRITY_ALGORITHMS), 0, 6, 'integrity algorithms'),
  pfs_groups: list(dhGroup, 0, 14, 'DH groups'),
});

export const DeviceProfileWire = obj({
  ike_versions: list(oneOf(['v1', 'v2']), 1, 2, 'IKE versions'),
  ike_proposals: Type.Array(ikeProposal, { minItems: 1, maxItems: 10 }),
  esp_proposals: Type.Array(espProposal, { minItems: 1, maxItems: 10 }),
  psk: Type.Optional(str(8, 128)),
  id_type: Type.Optional(oneOf(['ip', 'fqdn'])),
  id_value: Type.Optional(str(1, 255)),
  gateway_id: Type.Optional(str(1, 255)),
  phase1_mode: Type.Optional(oneOf(['main', 'aggressive'])),
  initiates: Type.Optional(Type.Boolean()),
  reachable: Type.Optional(Type.Boolean()),
  dpd: Type.Optional(obj({ interval_seconds: intRange(10, 3600), timeout_seconds: intRange(2, 60) })),
  subnets: Type.Optional(Type.Array(cidr(), { minItems: 1, maxItems: 50 })),
});
export type DeviceProfileWire = Static<typeof DeviceProfileWire>;

export const DeviceProfileBody = obj({ device_profile: DeviceProfileWire });
export const validateDeviceProfileBody = validator(DeviceProfileBody);

/** The checks one field at a time cannot make, then the domain value. */
export function fromWire(w: DeviceProfileWire, at = 'device_profile'): DeviceProfile {
  if (w.id_type === 'ip' && w.id_value !== undefined && !isIpv4(w.id_value)) {
    throw invalidRequest(`${at}.id_value must be an IPv4 address when id_type is ip`);
  }
  if (w.id_type === 'fqdn' && w.id_value === undefined) throw invalidRequest(`${at}.id_value is required when id_type is fqdn`);
  w.esp_proposals.forEach((p, i) => {
    if (p.integrity.length === 0 && !p.encryption.every((e) => isAead(e))) {
      throw invalidRequest(`${at}.esp_proposals.${i}.integrity needs at least 1 item(s) unless every cipher is AES-GCM`);
    }
  });
  const profile: DeviceProfile = {
    ikeVersions: w.ike_versions,
    ikeProposals: w.ike_proposals.map((p) => ({ encryption: p.encryption, integrity: p.integrity, dhGroups: p.dh_groups as DhGroup[] })),
    espProposals: w.esp_proposals.map((p) => ({ encryption: p.encryption, integrity: p.integrity, pfsGroups: p.pfs_groups as DhGroup[] })),
    initiates: w.initiates ?? true,
    reachable: w.reachable ?? true,
  };
  if (w.psk !== undefined) profile.psk = w.psk;
  if (w.id_type !== undefined) profile.idType = w.id_type;
  if (w.id_value !== undefined) profile.idValue = w.id_value;
  if (w.gateway_id !== undefined) profile.gatewayId = w.gateway_id;
  if (w.phase1_mode !== undefined) profile.phase1Mode = w.phase1_mode;
  if (w.dpd) profile.dpd = { intervalSeconds: w.dpd.interval_seconds, timeoutSeconds: w.dpd.timeout_seconds };
  if (w.subnets) profile.subnets = w.subnets;
  return profile;
}

/** The stored profile as the API shows it; the PSK is never shown, only whether one is set. */
export function toWire(p: DeviceProfile): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ike_versions: p.ikeVersions,
    ike_proposals: p.ikeProposals.map((x) => ({ encryption: x.encryption, integrity: x.integrity, dh_groups: x.dhGroups })),
    esp_proposals: p.espProposals.map((x) => ({ encryption: x.encryption, integrity: x.integrity, pfs_groups: x.pfsGroups })),
    psk_set: p.psk !== undefined,
  };
  if (p.idType) out.id_type = p.idType;
  if (p.idValue) out.id_value = p.idValue;
  if (p.gatewayId) out.gateway_id = p.gatewayId;
  if (p.phase1Mode) out.phase1_mode = p.phase1Mode;
  out.initiates = p.initiates;
  out.reachable = p.reachable;
  if (p.dpd) out.dpd = { interval_seconds: p.dpd.intervalSeconds, timeout_seconds: p.dpd.timeoutSeconds };
  if (p.subnets) out.subnets = p.subnets;
  return out;
}
