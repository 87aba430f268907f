// IKE identities (RFC 7296 §3.5) as sitevpn accepts them, in the text form both the strongSwan
// data plane and a generated swanctl.conf hand to charon. charon reads an identity string by its
// shape, so only shapes that read back as the intended type are accepted:
//
//   type ip     ipv4        192.0.2.10            ID_IPV4_ADDR   (0.0.0.0 and :: would mean "any")
//               ipv6        2001:db8::10          ID_IPV6_ADDR   (no zone index)
//   type fqdn   fqdn        vpn.example.com       ID_FQDN        LDH labels (and _), last not numeric
//               user-fqdn   vpn@example.com       ID_RFC822_ADDR a plain local part @ an fqdn
//               key-id      @#0123abcd            ID_KEY_ID      @# and 1 to 64 octets in hex
//
// Anything else (control characters, spaces, quotes, braces, `=` which charon reads as a
// distinguished name, `*` or `%any` which it reads as "any identity") is refused.
import { isIPv6 } from 'node:net';
import { isIpv4 } from './cidr.ts';

export type IdentityType = 'ip' | 'fqdn';
export type IdentityKind = 'ipv4' | 'ipv6' | 'fqdn' | 'user-fqdn' | 'key-id';

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
const LOCAL_PART = /^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*$/;
const KEY_ID = /^@#(?:[0-9A-Fa-f]{2}){1,64}$/;

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

/** A domain name: 1 to 253 characters of labels; the last one not all digits (or it reads as IPv4). */
export function isFqdn(value: string): boolean {
  if (value.length < 1 || value.length > 253) return false;
  const labels = value.split('.');
  return labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

function isUserFqdn(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at < 1 || value.length > 255) return false;
  const local = value.slice(0, at);
  return local.length <= 64 && LOCAL_PART.test(local) && isFqdn(value.slice(at + 1));
}

/** What charon makes of an accepted identity string, or null when sitevpn does not accept it. */
export function identityKind(value: string): IdentityKind | null {
  if (isIpv4(value)) return value === '0.0.0.0' ? null : 'ipv4';
  if (value.includes(':')) return isIPv6(value) && !value.includes('%') && !/^[0:]+$/.test(value) ? 'ipv6' : null;
  if (KEY_ID.test(value)) return 'key-id';
  if (value.includes('@')) return isUserFqdn(value) ? 'user-fqdn' : null;
  return isFqdn(value) ? 'fqdn' : null;
}

const EXPECTED: Record<IdentityType, string> = {
  ip: 'must be an IPv4 or IPv6 address (not 0.0.0.0 or ::)',
  fqdn: 'must be a domain name such as vpn.example.com, a user@domain name such as vpn@example.com, or a key id written as @# and hex digits',
};

/**
 * Why `value` cannot be an identity of `type`, as a phrase to follow the field name
 * ("must be ..."), or null when it can.
 */
export function identityProblem(type: IdentityType, value: string): string | null {
  const kind = identityKind(value);
  const fits = type === 'ip' ? kind === 'ipv4' || kind === 'ipv6' : kind === 'fqdn' || kind === 'user-fqdn' || kind === 'key-id';
  return fits ? null : EXPECTED[type];
}
