// Canonical (dialect-neutral) algorithm names. Each dialect and each data plane translates these
// through its own name table; the domain never sees a vendor spelling.

export const ENCRYPTION_ALGORITHMS = [
  'aes128-cbc',
  'aes192-cbc',
  'aes256-cbc',
  'aes128-gcm16',
  'aes256-gcm16',
  '3des-cbc',
  'sm4-cbc',
] as const;
export type Encryption = (typeof ENCRYPTION_ALGORITHMS)[number];

export const INTEGRITY_ALGORITHMS = ['sha1', 'sha2-256', 'sha2-384', 'sha2-512', 'md5', 'sm3'] as const;
export type Integrity = (typeof INTEGRITY_ALGORITHMS)[number];

/** DH groups by IANA transform id. */
export const DH_GROUPS = [1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24] as const;
export type DhGroup = (typeof DH_GROUPS)[number];

export type IkeVersion = 'v1' | 'v2';

export function isAead(encryption: Encryption): boolean {
  return encryption.endsWith('-gcm16');
}

export function isEncryption(value: string): value is Encryption {
  return (ENCRYPTION_ALGORITHMS as readonly string[]).includes(value);
}

export function isIntegrity(value: string): value is Integrity {
  return (INTEGRITY_ALGORITHMS as readonly string[]).includes(value);
}

export function isDhGroup(value: number): value is DhGroup {
  return (DH_GROUPS as readonly number[]).includes(value);
}

/** Choices a careful operator avoids today (used by hygiene checks). */
export const WEAK_ENCRYPTION: readonly Encryption[] = ['3des-cbc'];
export const WEAK_INTEGRITY: readonly Integrity[] = ['md5', 'sha1'];
export const WEAK_DH_GROUPS: readonly DhGroup[] = [1, 2, 5];
