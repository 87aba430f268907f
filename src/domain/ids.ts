// The default IdGenerator: AWS-style ids are a prefix plus 17 hex digits, Huawei-style ids are
// random UUIDs. Tests inject their own generator for predictable ids.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IdGenerator, IdKind, IdStyle } from './ports.ts';

const AWS_PREFIX: Record<IdKind, string> = {
  'vpn-gateway': 'vgw',
  'customer-gateway': 'cgw',
  'vpn-connection': 'vpn',
  tunnel: 'tun',
  eip: 'eipalloc',
  request: 'req',
  'connection-monitor': 'cm',
};

export const randomIds: IdGenerator = {
  next(kind: IdKind, style: IdStyle): string {
    if (style === 'uuid' || kind === 'request') return randomUUID();
    return `${AWS_PREFIX[kind]}-${randomBytes(9).toString('hex').slice(0, 17)}`;
  },
};

/** 32 lower-case hex characters (Huawei project ids). */
export function newProjectId(): string {
  return randomBytes(16).toString('hex');
}

/** 12 decimal digits (AWS account ids). */
export function newAccountId(): string {
  const n = randomBytes(8).readBigUInt64BE() % 10n ** 12n;
  return n.toString().padStart(12, '0');
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 20 upper-case characters, like both clouds' access key ids. */
export function newAccessKeyId(): string {
  const bytes = randomBytes(20);
  let id = '';
  for (const b of bytes) id += KEY_ALPHABET[b & 31];
  return 'SV' + id.slice(2);
}

/** 40 base62 characters. */
export function newSecretKey(): string {
  return randomString(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
}

export function randomString(length: number, alphabet: string): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      // Rejection sampling keeps the distribution uniform.
      if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}
