// Huawei spellings of the domain's canonical names (convention 6: name translation is data).
import type { DhGroup, Encryption, Integrity } from '../../domain/algorithms.ts';
import type { ConnectionStyle } from '../../domain/entities.ts';

export const HUAWEI_ENCRYPTION: Record<string, Encryption> = {
  'aes-128': 'aes128-cbc',
  'aes-192': 'aes192-cbc',
  'aes-256': 'aes256-cbc',
  'aes-128-gcm-16': 'aes128-gcm16',
  'aes-256-gcm-16': 'aes256-gcm16',
  '3des': '3des-cbc',
  sm4: 'sm4-cbc',
};

export const HUAWEI_INTEGRITY: Record<string, Integrity> = {
  sha1: 'sha1',
  'sha2-256': 'sha2-256',
  'sha2-384': 'sha2-384',
  'sha2-512': 'sha2-512',
  md5: 'md5',
  sm3: 'sm3',
};

export const HUAWEI_DH_GROUP: Record<string, DhGroup> = {
  group1: 1,
  group2: 2,
  group5: 5,
  group14: 14,
  group15: 15,
  group16: 16,
  group19: 19,
  group20: 20,
  group21: 21,
};

export const HUAWEI_STYLE: Record<string, ConnectionStyle> = {
  policy: 'policy',
  static: 'static',
  bgp: 'bgp',
  'policy-template': 'policy-template',
};

function invert<V extends string | number>(table: Record<string, V>): Map<V, string> {
  return new Map(Object.entries(table).map(([k, v]) => [v, k]));
}

const ENCRYPTION_NAME = invert(HUAWEI_ENCRYPTION);
const INTEGRITY_NAME = invert(HUAWEI_INTEGRITY);
const DH_NAME = invert(HUAWEI_DH_GROUP);

export function huaweiEncryption(e: Encryption): string {
  return ENCRYPTION_NAME.get(e) ?? e;
}

export function huaweiIntegrity(i: Integrity): string {
  return INTEGRITY_NAME.get(i) ?? i;
}

/** Groups Huawei has no name for (e.g. 22-24 from an AWS-made tunnel) keep the groupN form. */
export function huaweiDhGroup(g: DhGroup): string {
  return DH_NAME.get(g) ?? `group${g}`;
}

export function huaweiStyle(s: ConnectionStyle): string {
  return s.toUpperCase();
}
