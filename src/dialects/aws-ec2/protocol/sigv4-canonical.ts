/*
 * The canonical request of SigV4, built from what arrived on the wire:
 *
 *   POST                                         method
 *   /a%2520b/d                                   path normalised (. and .. and //), then escaped once more
 *   Action=X&VpnConnectionId.1=vpn-1             query pairs decoded, RFC 3986-escaped, sorted, no X-Amz-Signature
 *   content-type:application/x-www-form-urlencoded
 *   host:ec2.example.net                         "name:value" per signed header: blanks folded, ends trimmed
 *   x-amz-date:20240101T120000Z
 *                                                (blank line)
 *   content-type;host;x-amz-date                 signed header names
 *   9f86d081884c7d65...                          hex sha256 of the body
 *
 * plus the derived signing key, kept per (secret, date, region, service) in a SigningKeys the
 * dialect owns (Ec2Caches).
 */
import { createHmac } from 'node:crypto';

export type WireHeaders = Record<string, string | string[] | undefined>;

/** One header's value by lower-case name (Node already lower-cases; others are scanned). */
export function headerValue(headers: WireHeaders, name: string): string | undefined {
  let v = headers[name];
  if (v === undefined) {
    for (const k in headers) {
      if (k.length === name.length && k.toLowerCase() === name) {
        v = headers[k];
        break;
      }
    }
  }
  return Array.isArray(v) ? v.join(',') : v;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;

/** RFC 3986 escaping as SigV4 wants it: everything but A-Z a-z 0-9 - . _ ~ as upper-case %XX. */
export function escapeUri(s: string): string {
  if (UNRESERVED.test(s)) return s;
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function canonicalPath(path: string): string {
  if (path === '/' || path === '') return '/';
  const segments: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const normalized = (path.startsWith('/') ? '/' : '') + segments.join('/') + (segments.length > 0 && path.endsWith('/') ? '/' : '');
  // Non-S3 services escape the (already encoded) path once more: `%20` on the wire is `%2520` here.
  return escapeUri(normalized).replace(/%2F/g, '/');
}

export function canonicalQuery(pairs: Array<[string, string]>): string {
  const enc: Array<[string, string]> = [];
  for (const [k, v] of pairs) if (k.toLowerCase() !== 'x-amz-signature') enc.push([escapeUri(k), escapeUri(v)]);
  enc.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let out = '';
  for (let i = 0; i < enc.length; i++) out += (i === 0 ? '' : '&') + enc[i][0] + '=' + enc[i][1];
  return out;
}

export function canonicalHeaders(headers: WireHeaders, signed: readonly string[]): string {
  let out = '';
  for (const name of signed) {
    const raw = headerValue(headers, name) ?? '';
    // Line breaks become spaces, runs of blanks fold to one, the ends are trimmed.
    const value = /[\r\n\t]| {2}|^ | $/.test(raw)
      ? raw
          .replace(/[\r\n]/g, ' ')
          .replace(/[ \t]+/g, ' ')
          .trim()
      : raw;
    out += name + ':' + value + '\n';
  }
  return out;
}

// ---- signing keys -----------------------------------------------------------------------------

/**
 * Derived signing keys, most recently used first, at most `max`. A key depends only on its
 * inputs (a rotated secret is a new entry), so nothing ever needs invalidating; the bound keeps
 * the secrets of keys no longer in use from staying in memory for long.
 */
export class SigningKeys {
  readonly #keys = new Map<string, Buffer>();
  constructor(readonly max = 512) {}

  get(secret: string, date: string, region: string, service: string): Buffer {
    const id = date + '\0' + region + '\0' + service + '\0' + secret;
    const hit = this.#keys.get(id);
    if (hit !== undefined) {
      this.#keys.delete(id);
      this.#keys.set(id, hit);
      return hit;
    }
    const k = signingKey(secret, date, region, service);
    this.#keys.set(id, k);
    if (this.#keys.size > this.max) this.#keys.delete(this.#keys.keys().next().value as string);
    return k;
  }

  get size(): number {
    return this.#keys.size;
  }
}

/** kSigning for (secret, date, region, service), derived afresh. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  let k = createHmac('sha256', 'AWS4' + secret)
    .update(date)
    .digest();
  k = createHmac('sha256', k).update(region).digest();
  k = createHmac('sha256', k).update(service).digest();
  return createHmac('sha256', k).update('aws4_request').digest();
}
