/*
 * Huawei Cloud AK/SK request signature ("SDK-HMAC-SHA256"), verified as the Node SDK
 * (@huaweicloud/huaweicloud-sdk-core, auth/AKSKSigner.js) produces it:
 *
 *   Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2;...>, Signature=<64 hex>
 *   X-Sdk-Date:    YYYYMMDDTHHMMSSZ                       (UTC; host and x-sdk-date always signed)
 *
 *   canonical request = METHOD                                                        '\n'
 *                       raw path, escaped except '/', always ending in '/'             '\n'
 *                       decoded k=v pairs sorted by key then value, escaped, '&'-joined '\n'
 *                       'name:value\n' per signed header (no trimming)                 '\n'
 *                       SignedHeaders as sent                                          '\n'
 *                       X-Sdk-Content-Sha256 value (e.g. UNSIGNED-PAYLOAD) or hex sha256(body)
 *   string to sign    = 'SDK-HMAC-SHA256' '\n' X-Sdk-Date '\n' hex sha256(canonical request)
 *   Signature         = hex HMAC-SHA256(key = secret key, string to sign)
 *
 * "Escaped" keeps A-Z a-z 0-9 - . _ ~ and writes every other UTF-8 byte as %XX (so a '%'
 * already in the raw path becomes %25). SignedHeaders is in code-unit order; the header
 * lines are in String#localeCompare order, which differs only for names with '_', '.' etc.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';

export interface HuaweiSignedRequest {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
}
export interface ParsedAuthorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
  sdkDate: string;
  dateMs: number;
}
export type AuthFailureReason = 'missing' | 'malformed' | 'unknown-key' | 'bad-signature' | 'stale-date';

export class AkSkError extends Error {
  override readonly name = 'AkSkError';
  constructor(readonly reason: AuthFailureReason, message: string) {
    super(message);
  }
}

const ALGORITHM = 'SDK-HMAC-SHA256';
const AUTH_PREFIX = `${ALGORITHM} Access=`;
const SIGNED_HEADERS_SEP = ', SignedHeaders=';
const SIGNATURE_SEP = ', Signature=';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const DEFAULT_SKEW_MS = 15 * 60 * 1000;

// The signer always signs these two (AKSKSigner.sign adds them to the header set itself).
const REQUIRED_SIGNED = ['host', 'x-sdk-date'] as const;

// One-shot hashing (crypto.hash, Node >= 20.12) is cheaper than createHash for small inputs.
const sha256Hex: (data: string | Buffer) => string =
  typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash('sha256', data, 'hex')
    : (data) => createHash('sha256').update(data).digest('hex');

// RFC 3986 unreserved characters: the only ones the signer leaves unescaped.
const UNRESERVED = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || '-._~'.includes(ch)) {
    UNRESERVED[c] = 1;
  }
}
// Characters that url.parse() (which the signer runs on the URL) turns into %XX before the
// signer escapes again, while axios sends them raw; signed as '%25XX'.
const URL_PARSE_ESCAPED = new Uint8Array(128);
for (const ch of '\t\n\r "\'<>^`{|}') URL_PARSE_ESCAPED[ch.charCodeAt(0)] = 1;
const HEX = Array.from({ length: 256 }, (_, i) => '%' + i.toString(16).toUpperCase().padStart(2, '0'));

// The signer orders canonical header lines with String#localeCompare (Node's default locale is
// en-US); that differs from code-unit order only for names with characters beyond a-z 0-9 '-'.
const COLLATOR = new Intl.Collator('en-US');

function fail(reason: AuthFailureReason, message: string): never {
  throw new AkSkError(reason, message);
}

/** Escapes like AKSKSigner.urlEncode; in path mode '/' is kept and url.parse's escapes are replayed. */
function sdkEscape(s: string, pathMode: boolean): string {
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

function canonicalPath(path: string): string {
  const p = sdkEscape(path, true);
  return p.length > 0 && p.charCodeAt(p.length - 1) === 47 ? p : p + '/';
}

function decodeComponent(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try {
    return decodeURIComponent(s.replaceAll('+', ' '));
  } catch {
    return fail('bad-signature', 'query string has invalid percent-encoding');
  }
}

interface QueryPair { k: string; v: string }
function byKeyThenValue(a: QueryPair, b: QueryPair): number {
  if (a.k !== b.k) return a.k < b.k ? -1 : 1;
  return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
}

/** Decoded pairs sorted by key, then value (UTF-16 code units, as Array#sort), re-escaped. */
function canonicalQuery(rawQuery: string): string {
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

function headerValue(v: string | string[] | undefined): string | undefined {
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? v.join(', ') : undefined;
}

function isSimpleHeaderName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45)) return false;
  }
  return true;
}

// Lower-case HTTP token characters (RFC 9110 tchar without A-Z): what a lower-cased name may contain.
const LOWER_TCHAR = new Uint8Array(128);
for (let c = 33; c < 127; c++) {
  if (!(c >= 65 && c <= 90) && !'"(),/:;<=>?@[\\]{}'.includes(String.fromCharCode(c))) LOWER_TCHAR[c] = 1;
}
function isLowerToken(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || LOWER_TCHAR[c] === 0) return false;
  }
  return true;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** 'YYYYMMDDTHHMMSSZ' -> epoch ms, or NaN. */
function parseSdkDate(s: string): number {
  if (s.length !== 16 || s[8] !== 'T' || s[15] !== 'Z') return NaN;
  const y = digits(s, 0, 4), mo = digits(s, 4, 6), d = digits(s, 6, 8);
  const h = digits(s, 9, 11), mi = digits(s, 11, 13), se = digits(s, 13, 15);
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, se);
}

/** Parses Authorization + X-Sdk-Date; throws AkSkError('missing'|'malformed'). */
export function parseAuthorization(req: HuaweiSignedRequest): ParsedAuthorization {
  const auth = req.headers['authorization'];
  if (auth === undefined || auth === '') fail('missing', 'Authorization header is missing');
  if (typeof auth !== 'string') fail('malformed', 'Authorization header must appear once');
  if (!auth.startsWith(AUTH_PREFIX)) fail('malformed', `Authorization must use ${ALGORITHM} with Access=`);

  const shAt = auth.indexOf(SIGNED_HEADERS_SEP, AUTH_PREFIX.length);
  const sigAt = shAt < 0 ? -1 : auth.indexOf(SIGNATURE_SEP, shAt + SIGNED_HEADERS_SEP.length);
  if (sigAt < 0) fail('malformed', 'Authorization must have Access, SignedHeaders and Signature');

  const accessKeyId = auth.slice(AUTH_PREFIX.length, shAt);
  if (accessKeyId.length === 0 || accessKeyId.includes(' ') || accessKeyId.includes(',')) {
    fail('malformed', 'Authorization has an invalid Access key id');
  }
  const signature = auth.slice(sigAt + SIGNATURE_SEP.length);
  if (signature.length !== 64) fail('malformed', 'Signature must be 64 lower-case hex digits');
  for (let i = 0; i < 64; i++) {
    const c = signature.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) fail('malformed', 'Signature must be 64 lower-case hex digits');
  }

  const signedHeaders = auth.slice(shAt + SIGNED_HEADERS_SEP.length, sigAt).split(';');
  for (let i = 0; i < signedHeaders.length; i++) {
    const name = signedHeaders[i]!;
    if (!isLowerToken(name)) fail('malformed', 'SignedHeaders must be lower-case header names');
    if (i > 0 && !(signedHeaders[i - 1]! < name)) fail('malformed', 'SignedHeaders must be sorted and unique');
  }
  for (const name of REQUIRED_SIGNED) {
    if (!signedHeaders.includes(name)) fail('malformed', `SignedHeaders must include ${name}`);
  }

  const sdkDate = req.headers['x-sdk-date'];
  if (typeof sdkDate !== 'string') fail('malformed', 'X-Sdk-Date header is required once');
  const dateMs = parseSdkDate(sdkDate);
  if (Number.isNaN(dateMs)) fail('malformed', 'X-Sdk-Date must be YYYYMMDDTHHMMSSZ');

  return { accessKeyId, signedHeaders, signature, sdkDate, dateMs };
}

/** Throws AkSkError('stale-date') beyond skewMs (default 15 min) either way, AkSkError('bad-signature') on mismatch. */
export function verifySignature(
  req: HuaweiSignedRequest,
  parsed: ParsedAuthorization,
  secretKey: string,
  nowMs: number,
  skewMs: number = DEFAULT_SKEW_MS,
): void {
  if (!(Math.abs(nowMs - parsed.dateMs) <= skewMs)) {
    fail('stale-date', `X-Sdk-Date is more than ${Math.round(skewMs / 60000)} minutes from server time`);
  }

  const names = parsed.signedHeaders;
  let ordered = names;
  for (let i = 0; i < names.length; i++) {
    if (!isSimpleHeaderName(names[i]!)) {
      ordered = names.slice().sort(COLLATOR.compare);
      break;
    }
  }
  let canonicalHeaders = '';
  for (const name of ordered) {
    const value = headerValue(req.headers[name]);
    if (value === undefined) fail('bad-signature', `signed header ${name} is missing`);
    canonicalHeaders += name + ':' + value + '\n';
  }

  const contentSha = headerValue(req.headers['x-sdk-content-sha256']);
  let payloadHash: string;
  if (contentSha === undefined) {
    payloadHash = req.body.length === 0 ? EMPTY_SHA256 : sha256Hex(req.body);
  } else {
    if (!names.includes('x-sdk-content-sha256')) fail('bad-signature', 'X-Sdk-Content-Sha256 must be signed');
    if (contentSha !== UNSIGNED_PAYLOAD) {
      const bodyHash = req.body.length === 0 ? EMPTY_SHA256 : sha256Hex(req.body);
      if (contentSha.toLowerCase() !== bodyHash) fail('bad-signature', 'body does not match X-Sdk-Content-Sha256');
    }
    payloadHash = contentSha;
  }

  const canonicalRequest =
    req.method + '\n' +
    canonicalPath(req.path) + '\n' +
    canonicalQuery(req.rawQuery) + '\n' +
    canonicalHeaders + '\n' +
    names.join(';') + '\n' +
    payloadHash;
  const stringToSign = ALGORITHM + '\n' + parsed.sdkDate + '\n' + sha256Hex(canonicalRequest);
  const expected = createHmac('sha256', secretKey).update(stringToSign).digest();
  const given = Buffer.from(parsed.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    fail('bad-signature', 'signature does not match');
  }
}
