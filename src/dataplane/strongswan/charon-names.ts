// The names charon itself uses at run time (list-sas, get-algorithms, its log), next to the
// domain's names. names.ts holds the swanctl.conf keywords (configuration); this table is what
// comes back (observation) and what a running charon says it can do (validation).
//
//   domain          list-sas encr-alg/encr-keysize   get-algorithms section
//   aes128-cbc      AES_CBC / 128                     encryption
//   aes256-gcm16    AES_GCM_16 / 256                  aead
//   sha2-256        HMAC_SHA2_256_128 (integ-alg)     integrity;  PRF_HMAC_SHA2_256 (prf-alg) prf
//   15              MODP_3072 (dh-group)              dh
import type { DhGroup, Encryption, Integrity } from '../../domain/algorithms.ts';

export interface CharonCipher {
  alg: string;
  keySize: number;
  /** The get-algorithms section that lists it. */
  section: 'encryption' | 'aead';
}

export const CHARON_ENCRYPTION: Readonly<Partial<Record<Encryption, CharonCipher>>> = Object.freeze({
  'aes128-cbc': { alg: 'AES_CBC', keySize: 128, section: 'encryption' },
  'aes192-cbc': { alg: 'AES_CBC', keySize: 192, section: 'encryption' },
  'aes256-cbc': { alg: 'AES_CBC', keySize: 256, section: 'encryption' },
  'aes128-gcm16': { alg: 'AES_GCM_16', keySize: 128, section: 'aead' },
  'aes256-gcm16': { alg: 'AES_GCM_16', keySize: 256, section: 'aead' },
  '3des-cbc': { alg: '3DES_CBC', keySize: 192, section: 'encryption' },
  // sm4-cbc: charon has no SM4 transform
});

export const CHARON_INTEGRITY: Readonly<Partial<Record<Integrity, string>>> = Object.freeze({
  sha1: 'HMAC_SHA1_96',
  'sha2-256': 'HMAC_SHA2_256_128',
  'sha2-384': 'HMAC_SHA2_384_192',
  'sha2-512': 'HMAC_SHA2_512_256',
  md5: 'HMAC_MD5_96',
  // sm3: charon has no SM3 transform
});

export const CHARON_PRF: Readonly<Partial<Record<Integrity, string>>> = Object.freeze({
  sha1: 'PRF_HMAC_SHA1',
  'sha2-256': 'PRF_HMAC_SHA2_256',
  'sha2-384': 'PRF_HMAC_SHA2_384',
  'sha2-512': 'PRF_HMAC_SHA2_512',
  md5: 'PRF_HMAC_MD5',
});

export const CHARON_DH: Readonly<Record<DhGroup, string>> = Object.freeze({
  1: 'MODP_768',
  2: 'MODP_1024',
  5: 'MODP_1536',
  14: 'MODP_2048',
  15: 'MODP_3072',
  16: 'MODP_4096',
  17: 'MODP_6144',
  18: 'MODP_8192',
  19: 'ECP_256',
  20: 'ECP_384',
  21: 'ECP_521',
  22: 'MODP_1024_160',
  23: 'MODP_2048_224',
  24: 'MODP_2048_256',
});

function invert<K extends string | number>(table: Readonly<Partial<Record<K, string>>>): Map<string, K> {
  return new Map(Object.entries(table).map(([k, v]) => [v as string, (typeof k === 'string' && /^\d+$/.test(k) ? Number(k) : k) as K]));
}

const ENCRYPTION_BY_NAME = new Map(
  Object.entries(CHARON_ENCRYPTION).map(([domain, c]) => [`${c!.alg}/${c!.keySize}`, domain as Encryption]),
);
const INTEGRITY_BY_NAME = invert(CHARON_INTEGRITY);
const PRF_BY_NAME = invert(CHARON_PRF);
const DH_BY_NAME = invert<DhGroup>(CHARON_DH);

/** `AES_CBC` + `256` → aes256-cbc; undefined for a cipher the domain has no name for. */
export function encryptionFromCharon(alg: string, keySize: string | number | undefined): Encryption | undefined {
  // 3DES has a fixed key size that list-sas may leave out.
  if (alg === '3DES_CBC') return '3des-cbc';
  return ENCRYPTION_BY_NAME.get(`${alg}/${keySize}`);
}

export function integrityFromCharon(alg: string): Integrity | undefined {
  return INTEGRITY_BY_NAME.get(alg);
}

export function prfFromCharon(alg: string): Integrity | undefined {
  return PRF_BY_NAME.get(alg);
}

export function dhGroupFromCharon(name: string): DhGroup | undefined {
  return DH_BY_NAME.get(name);
}

/** "AES_CBC_256/HMAC_SHA2_256_128/MODP_3072": how charon's log writes a selected proposal. */
export function charonTransforms(p: { encryption: Encryption; integrity?: Integrity; dhGroup?: DhGroup }): string {
  const c = CHARON_ENCRYPTION[p.encryption];
  const parts = [c ? `${c.alg}_${c.keySize}` : p.encryption];
  if (p.integrity && c?.section !== 'aead') parts.push(CHARON_INTEGRITY[p.integrity] ?? p.integrity);
  if (p.dhGroup !== undefined) parts.push(CHARON_DH[p.dhGroup]);
  return parts.join('/');
}
