// IP addresses and CIDR blocks, the one place for their rules (on ipaddr.js). Both families
// parse; the cloud dialects' site-to-site APIs take IPv4 only, so the checks default to IPv4 and
// a caller asks for IPv6 explicitly. Text is strict: dotted quads without leading zeros, IPv6
// without a zone, prefixes without leading zeros.
import ipaddr from 'ipaddr.js';

export type IpFamily = 4 | 6;
type Families = IpFamily | 'any';
type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface Cidr {
  family: IpFamily;
  /** The network address (host bits cleared), in canonical text. */
  network: string;
  prefix: number;
}

const PREFIX = /^(0|[1-9]\d{0,2})$/;

function familyOf(a: Address): IpFamily {
  return a.kind() === 'ipv4' ? 4 : 6;
}

function accepts(families: Families, family: IpFamily): boolean {
  return families === 'any' || families === family;
}

/** Parses an address of the given family (default IPv4); null when malformed. */
function parseAddress(value: string, families: Families = 4): Address | null {
  if (accepts(families, 4) && ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value);
  if (accepts(families, 6) && !value.includes('%') && value.includes(':') && ipaddr.IPv6.isValid(value)) return ipaddr.IPv6.parse(value);
  return null;
}

export function isIpv4(value: string): boolean {
  return parseAddress(value, 4) !== null;
}

export function isIpv6(value: string): boolean {
  return parseAddress(value, 6) !== null;
}

/** An address of either family. */
export function isIp(value: string): boolean {
  return parseAddress(value, 'any') !== null;
}

/** The address in canonical text (IPv6 per RFC 5952), or null when malformed. */
export function normalizeIp(value: string, families: Families = 'any'): string | null {
  const a = parseAddress(value, families);
  return a === null ? null : a.toString();
}

function bitsOf(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

/** The address with every bit past `prefix` cleared. */
function networkOf(a: Address, prefix: number): Address {
  const bytes = a.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] &= (0xff << (8 - keep)) & 0xff;
  }
  return ipaddr.fromByteArray(bytes);
}

/**
 * Parses "address/prefix" of the given family (default IPv4); with strict, host bits must be
 * zero. Returns null when malformed.
 */
export function parseCidr(value: string, strict = true, families: Families = 4): Cidr | null {
  const slash = value.indexOf('/');
  if (slash < 0) return null;
  const address = parseAddress(value.slice(0, slash), families);
  const prefixText = value.slice(slash + 1);
  if (address === null || !PREFIX.test(prefixText)) return null;
  const family = familyOf(address);
  const prefix = Number(prefixText);
  if (prefix > bitsOf(family)) return null;
  const network = networkOf(address, prefix).toString();
  if (strict && network !== address.toString()) return null;
  return { family, network, prefix };
}

export function isCidr(value: string, strict = true, families: Families = 4): boolean {
  return parseCidr(value, strict, families) !== null;
}

export function formatCidr(c: Cidr): string {
  return `${c.network}/${c.prefix}`;
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  return ipaddr.parse(inner.network).match(ipaddr.parse(outer.network), outer.prefix);
}

/** The address part of "address/prefix" (or the value itself when it has no prefix). */
export function addressOf(value: string): string {
  const slash = value.indexOf('/');
  return slash < 0 ? value : value.slice(0, slash);
}

/** Parses, normalises (host bits cleared) and de-duplicates, in order; malformed entries are dropped. */
export function normalizeCidrs(values: readonly string[], families: Families = 4): string[] {
  const out: string[] = [];
  for (const v of values) {
    const c = parseCidr(v.trim(), false, families);
    if (c && !out.includes(formatCidr(c))) out.push(formatCidr(c));
  }
  return out;
}

/** Every host address of a block, skipping network and broadcast for IPv4 prefixes below /31. */
export function* hostsOf(c: Cidr): Generator<string> {
  const bits = bitsOf(c.family);
  const size = 2n ** BigInt(bits - c.prefix);
  const edges = c.family === 4 && c.prefix < 31;
  const base = ipaddr
    .parse(c.network)
    .toByteArray()
    .reduce((n, b) => (n << 8n) | BigInt(b), 0n);
  for (let i = edges ? 1n : 0n; i <= (edges ? size - 2n : size - 1n); i++) {
    let n = base + i;
    const bytes: number[] = [];
    for (let k = 0; k < bits / 8; k++, n >>= 8n) bytes.unshift(Number(n & 255n));
    yield ipaddr.fromByteArray(bytes).toString();
  }
}

// --- tunnel inside addresses: a /30 inside the IPv4 link-local block 169.254.0.0/16 ------------

const LINK_LOCAL = parseCidr('169.254.0.0/16')!;

/** A tunnel inside address such as 169.254.56.225/30: an address with prefix /30 in 169.254.0.0/16. */
export function isInsideTunnelAddress(value: string): boolean {
  const c = parseCidr(value, false);
  return c !== null && c.prefix === 30 && cidrContains(LINK_LOCAL, c);
}

/** A tunnel inside CIDR such as 169.254.56.224/30: a /30 block (host bits clear) in 169.254.0.0/16. */
export function isInsideTunnelCidr(value: string): boolean {
  return isInsideTunnelAddress(value) && parseCidr(value, true) !== null;
}

/** AWS reserves these: 169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30. */
export function isReservedInsideCidr(cidr: string): boolean {
  const c = parseCidr(cidr, false);
  if (!c) return false;
  const [, , third, fourth] = ipaddr.IPv4.parse(c.network).octets;
  return (third <= 5 && fourth === 0) || (third === 169 && fourth === 252);
}

/** The /30 block of an inside address like 169.254.56.225/30. */
export function insideCidrOf(address: string): string {
  return `${networkOf(ipaddr.IPv4.parse(addressOf(address)), 30).toString()}/30`;
}

/** The gateway side takes the first host of the /30, the customer side the second. */
export function insideAddressesOf(cidr: string): { local: string; peer: string } {
  const [a, b, c, d] = ipaddr.IPv4.parse(addressOf(insideCidrOf(cidr))).octets;
  return { local: `${a}.${b}.${c}.${d + 1}/30`, peer: `${a}.${b}.${c}.${d + 2}/30` };
}
