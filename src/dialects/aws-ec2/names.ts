// AWS spellings of the domain's canonical names (convention 6: name translation is data).
import type { DhGroup, Encryption, IkeVersion, Integrity } from '../../domain/algorithms.ts';

export const AWS_ENCRYPTION: Record<string, Encryption> = {
  AES128: 'aes128-cbc',
  AES256: 'aes256-cbc',
  'AES128-GCM-16': 'aes128-gcm16',
  'AES256-GCM-16': 'aes256-gcm16',
};

export const AWS_INTEGRITY: Record<string, Integrity> = {
  SHA1: 'sha1',
  'SHA2-256': 'sha2-256',
  'SHA2-384': 'sha2-384',
  'SHA2-512': 'sha2-512',
};

export const AWS_IKE_VERSION: Record<string, IkeVersion> = { ikev1: 'v1', ikev2: 'v2' };

export const AWS_PHASE1_DH_GROUPS: readonly DhGroup[] = [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
export const AWS_PHASE2_DH_GROUPS: readonly DhGroup[] = [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];

/** Algorithms AWS has no name for (a tunnel made through the Huawei dialect) keep a plain form. */
const EXTRA_ENCRYPTION: Partial<Record<Encryption, string>> = { 'aes192-cbc': 'AES192', '3des-cbc': '3DES', 'sm4-cbc': 'SM4' };
const EXTRA_INTEGRITY: Partial<Record<Integrity, string>> = { md5: 'MD5', sm3: 'SM3' };

const ENCRYPTION_NAME = new Map(Object.entries(AWS_ENCRYPTION).map(([k, v]) => [v, k]));
const INTEGRITY_NAME = new Map(Object.entries(AWS_INTEGRITY).map(([k, v]) => [v, k]));

export function awsEncryption(e: Encryption): string {
  return ENCRYPTION_NAME.get(e) ?? EXTRA_ENCRYPTION[e] ?? e.toUpperCase();
}

export function awsIntegrity(i: Integrity): string {
  return INTEGRITY_NAME.get(i) ?? EXTRA_INTEGRITY[i] ?? i.toUpperCase();
}

export function awsIkeVersion(v: IkeVersion): string {
  return v === 'v1' ? 'ikev1' : 'ikev2';
}

/** The spelling device configurations use for people (GetVpnConnectionDeviceSampleConfiguration). */
export const AWS_SPELLING = Object.freeze({ encryption: awsEncryption, integrity: awsIntegrity, ikeVersion: awsIkeVersion });
