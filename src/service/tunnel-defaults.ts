// Values a tunnel gets when the caller leaves them out: generated secrets and inside addresses.
import { randomInt } from 'node:crypto';
import { randomString } from '../domain/ids.ts';

const PSK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

/** 32 characters of [A-Za-z0-9._], never starting with 0 (AWS's rule for tunnel PSKs). */
export function generatePsk(): string {
  let psk = randomString(32, PSK_ALPHABET);
  while (psk.startsWith('0')) psk = randomString(1, PSK_ALPHABET) + psk.slice(1);
  return psk;
}

/** AWS reserves these /30 blocks; they are never handed out as tunnel inside CIDRs. */
export function isReservedInsideCidr(thirdOctet: number, fourthOctet: number): boolean {
  return (thirdOctet <= 5 && fourthOctet === 0) || (thirdOctet === 169 && fourthOctet === 252);
}

/** A random /30 inside 169.254.0.0/16 avoiding the reserved blocks and the ones given. */
export function randomInsideCidr(taken: Set<string> = new Set()): string {
  for (;;) {
    const third = randomInt(256);
    const fourth = randomInt(64) * 4;
    const cidr = `169.254.${third}.${fourth}/30`;
    if (!isReservedInsideCidr(third, fourth) && !taken.has(cidr)) return cidr;
  }
}

/** The gateway side takes the first host of the /30, the customer side the second. */
export function insideAddressesOf(cidr: string): { local: string; peer: string } {
  const [ip] = cidr.split('/');
  const parts = ip.split('.').map(Number);
  const base = parts[3] & ~3;
  const prefix = `${parts[0]}.${parts[1]}.${parts[2]}.`;
  return { local: `${prefix}${base + 1}/30`, peer: `${prefix}${base + 2}/30` };
}

/** The /30 block of an inside address like 169.254.56.225/30. */
export function insideCidrOf(address: string): string {
  const [ip] = address.split('/');
  const parts = ip.split('.').map(Number);
  return `${parts[0]}.${parts[1]}.${parts[2]}.${parts[3] & ~3}/30`;
}

export function defaultConnectionName(): string {
  return `vpn-${randomInt(10000).toString().padStart(4, '0')}`;
}
