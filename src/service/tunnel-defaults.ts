// Values a tunnel gets when the caller leaves them out: generated secrets and inside addresses.
import { randomInt } from 'node:crypto';
import { isReservedInsideCidr } from '../domain/cidr.ts';
import { randomString } from '../domain/ids.ts';

// The inside-address rules live in domain/cidr.ts; dialects find them here too.
export { insideAddressesOf, insideCidrOf } from '../domain/cidr.ts';

const PSK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

/** 32 characters of [A-Za-z0-9._], never starting with 0 (AWS's rule for tunnel PSKs). */
export function generatePsk(): string {
  let psk = randomString(32, PSK_ALPHABET);
  while (psk.startsWith('0')) psk = randomString(1, PSK_ALPHABET) + psk.slice(1);
  return psk;
}

/** A random /30 inside 169.254.0.0/16 avoiding the reserved blocks and the ones given. */
export function randomInsideCidr(taken: Set<string> = new Set()): string {
  for (;;) {
    const cidr = `169.254.${randomInt(256)}.${randomInt(64) * 4}/30`;
    if (!isReservedInsideCidr(cidr) && !taken.has(cidr)) return cidr;
  }
}

export function defaultConnectionName(): string {
  return `vpn-${randomInt(10000).toString().padStart(4, '0')}`;
}
