// IPv4 addresses and CIDR blocks as value types. Only IPv4 is supported by both cloud dialects'
// site-to-site APIs in the operations sitevpn implements.

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  network: number;
  prefix: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

export function ipToInt(ip: string): number {
  const p = ip.split('.');
  return ((+p[0] << 24) | (+p[1] << 16) | (+p[2] << 8) | +p[3]) >>> 0;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses "a.b.c.d/n"; with strict, host bits must be zero. Returns null when malformed. */
export function parseCidr(value: string, strict = true): Cidr | null {
  const slash = value.indexOf('/');
  if (slash < 0) return null;
  const ip = value.slice(0, slash);
  const prefixText = value.slice(slash + 1);
  if (!isIpv4(ip) || !/^(3[0-2]|[12]?\d)$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  const addr = ipToInt(ip);
  const network = (addr & maskOf(prefix)) >>> 0;
  if (strict && network !== addr) return null;
  return { network, prefix };
}

export function isCidr(value: string, strict = true): boolean {
  return parseCidr(value, strict) !== null;
}

export function formatCidr(c: Cidr): string {
  return `${intToIp(c.network)}/${c.prefix}`;
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && ((inner.network & maskOf(outer.prefix)) >>> 0) === outer.network;
}

/** Every host address of a block, skipping network and broadcast for prefixes below /31. */
export function* hostsOf(c: Cidr): Generator<string> {
  const size = 2 ** (32 - c.prefix);
  const first = c.prefix >= 31 ? 0 : 1;
  const last = c.prefix >= 31 ? size - 1 : size - 2;
  for (let i = first; i <= last; i++) yield intToIp((c.network + i) >>> 0);
}
