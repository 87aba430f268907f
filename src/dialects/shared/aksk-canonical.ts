/*
 * The one AK/SK ("SDK-HMAC-SHA256") canonicalizer: what Huawei's Node SDK signer
 * (@huaweicloud/huaweicloud-sdk-core, auth/AKSKSigner.js) signs, rebuilt from a request as it
 * goes on the wire. The server's verifier (aksk-verifier.ts) and the CLI's signer (cli/sign.ts)
 * both build their canonical request here. The console's browser signer (src/ui/js/sign.js)
 * stays a separate copy: it runs in the browser, without node:crypto or this module.
 *
 *   canonical request = METHOD                                                        '\n'
 *                       raw path, escaped except '/', always ending in '/'             '\n'
 *                       decoded k=v pairs sorted by key then value, escaped, '&'-joined '\n'
 *                       'name:value\n' per signed header (no trimming)                 '\n'
 *                       SignedHeaders joined with ';'                                  '\n'
 *                       X-Sdk-Content-Sha256 value (e.g. UNSIGNED-PAYLOAD) or hex sha256(body)
 *   string to sign    = 'SDK-HMAC-SHA256' '\n' X-Sdk-Date '\n' hex sha256(canonical request)
 *   Signature         = hex HMAC-SHA256(key = secret key, string to sign)
 *
 * "Escaped" keeps A-Z a-z 0-9 - . _ ~ and writes every other UTF-8 byte as %XX (so a '%'
 * already in the raw path becomes %25).
 */
import * as nodeCrypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';

export const AKSK_ALGORITHM = 'SDK-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** A request the canonical form cannot be built for (bad percent-encoding, a signed header missing). */
export class CanonicalFormError extends Error {
  override readonly name = 'CanonicalFormError';
}

// One-shot hashing (crypto.hash, Node >= 20.12) is cheaper than createHash for small inputs.
export const sha256Hex: (data: string | Buffer) => string =
  typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash('sha256', data, 'hex')
    : (data) => createHash('sha256').update(data).digest('hex');

export function hmacSha256(secretKey: string, data: string): Buffer {
  return createHmac('sha256', secretKey).update(data).digest();
}

// RFC 3986 unreserved characters: the only ones the signer leaves unescaped.
const UNRESERVED = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || '-._~'.includes(ch)) {
    UNRESERVED[c] = 1;
  }
}
// Characters that url.parse() (which the signer runs on the URL) turns into %XX before the
// signer escapes again, while axios and fetch send them raw; signed as '%25XX'.
const URL_PARSE_ESCAPED = new Uint8Array(128);
for (const ch of '\t\n\r "\'<>^`{|}') URL_PARSE_ESCAPED[ch.charCodeAt(0)] = 1;
const HEX = Array.from({ length: 256 }, (_, i) => '%' + i.toString(16).toUpperCase().padStart(2, '0'));

// The signer orders canonical header lines with String#localeCompare (Node's default locale is
// en-US); that differs from code-unit order only for names with characters beyond a-z 0-9 '-'.
const COLLATOR = new Intl.Collator('en-US');

/** Escapes like AKSKSigner.urlEncode; in path mode '/' is kept and url.parse's escapes are replayed. */
export function sdkEscape(s: string, pathMode: boolean): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (UNRESERVED[c] === 0 && !(pathMode && c === 47))) break;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  const bytes = Buffer.from(s.slice(i), 'utf8');
  for (let j = 0; j < bytes.length; j++) {
    const b = bytes[j]!;
    if (b < 128 && (UNRESERVED[b] === 1 || (pathMode && b === 47))) out += String.fromCharCode(b);
    else if (pathMode && b < 128 && URL_PARSE_ESCAPED[b] === 1) out += '%25' + HEX[b]!.slice(1);
    else out += HEX[b]!;
  }
  return out;
}

/** The raw path (as on the wire) escaped, always ending in '/'. */
export function canonicalPath(path: string): string {
  const p = sdkEscape(path, true);
  return p.length > 0 && p.charCodeAt(p.length - 1) === 47 ? p : p + '/';
}

function decodeComponent(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try {
    return decodeURIComponent(s.replaceAll('+', ' '));
  } catch {
    throw new CanonicalFormError('query string has invalid percent-encoding');
  }
}

interface QueryPair {
  k: string;
  v: string;
}
function byKeyThenValue(a: QueryPair, b: QueryPair): number {
  if (a.k !== b.k) return a.k < b.k ? -1 : 1;
  return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
}

/** The raw query's decoded pairs sorted by key, then value (UTF-16 code units, as Array#sort), re-escaped. */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery.length === 0) return '';
  const pairs: QueryPair[] = [];
  let start = 0;
  while (start <= rawQuery.length) {
    let end = rawQuery.indexOf('&', start);
    if (end < 0) end = rawQuery.length;
    if (end > start) {
      const eq = rawQuery.indexOf('=', start);
      const hasEq = eq >= 0 && eq < end;
      pairs.push({
        k: decodeComponent(rawQuery.slice(start, hasEq ? eq : end)),
        v: hasEq ? decodeComponent(rawQuery.slice(eq + 1, end)) : '',
      });
    }
    start = end + 1;
  }
  if (pairs.length > 1) pairs.sort(byKeyThenValue);
  let out = '';
  for (let i = 0; i < pairs.length; i++) {
    if (i > 0) out += '&';
    out += sdkEscape(pairs[i]!.k, false) + '=' + sdkEscape(pairs[i]!.v, false);
  }
  return out;
}

function isSimpleHeaderName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45)) return false;
  }
  return true;
}

/** A header as node gives it: a repeated header is joined with ', '. */
export type HeaderValues = Record<string, string | string[] | undefined>;

export function headerValue(v: string | string[] | undefined): string | undefined {
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? v.join(', ') : undefined;
}

/** 'name:value\n' for each signed header (lower-case names, looked up in lower-case `headers`), in the signer's order. */
export function canonicalHeaders(names: readonly string[], headers: HeaderValues): string {
  let ordered = names;
  for (let i = 0; i < names.length; i++) {
    if (!isSimpleHeaderName(names[i]!)) {
      ordered = names.slice().sort(COLLATOR.compare);
      break;
    }
  }
  let out = '';
  for (const name of ordered) {
    const value = headerValue(headers[name]);
    if (value === undefined) throw new CanonicalFormError(`signed header ${name} is missing`);
    out += name + ':' + value + '\n';
  }
  return out;
}

export interface CanonicalParts {
  method: string;
  /** The raw path as on the wire, without the query. */
  path: string;
  /** The raw query as on the wire, without '?'. */
  rawQuery: string;
  /** From canonicalHeaders(). */
  headerLines: string;
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function canonicalRequest(p: CanonicalParts): string {
  return (
    p.method +
    '\n' +
    canonicalPath(p.path) +
    '\n' +
    canonicalQuery(p.rawQuery) +
    '\n' +
    p.headerLines +
    '\n' +
    p.signedHeaders.join(';') +
    '\n' +
    p.payloadHash
  );
}

export function stringToSign(sdkDate: string, canonical: string): string {
  return AKSK_ALGORITHM + '\n' + sdkDate + '\n' + sha256Hex(canonical);
}
