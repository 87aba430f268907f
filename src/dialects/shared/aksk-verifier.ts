/*
 * Verifies Huawei Cloud's AK/SK request signature ("SDK-HMAC-SHA256") as the Node SDK
 * (@huaweicloud/huaweicloud-sdk-core, auth/AKSKSigner.js) produces it, for both JSON dialects:
 *
 *   Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2;...>, Signature=<64 hex>
 *   X-Sdk-Date:    YYYYMMDDTHHMMSSZ                       (UTC; host and x-sdk-date always signed)
 *
 * The canonical request and the string to sign come from aksk-canonical.ts (shared with the CLI's
 * signer). SignedHeaders must be in code-unit order; the header lines are in String#localeCompare
 * order, which differs only for names with '_', '.' etc.
 */
import { timingSafeEqual } from 'node:crypto';
import {
  AKSK_ALGORITHM as ALGORITHM,
  CanonicalFormError,
  canonicalHeaders,
  canonicalRequest,
  EMPTY_SHA256,
  headerValue,
  hmacSha256,
  sha256Hex,
  stringToSign,
} from './aksk-canonical.ts';

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
  constructor(
    readonly reason: AuthFailureReason,
    message: string,
  ) {
    super(message);
  }
}

const AUTH_PREFIX = `${ALGORITHM} Access=`;
const SIGNED_HEADERS_SEP = ', SignedHeaders=';
const SIGNATURE_SEP = ', Signature=';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const DEFAULT_SKEW_MS = 15 * 60 * 1000;

// The signer always signs these two (AKSKSigner.sign adds them to the header set itself).
const REQUIRED_SIGNED = ['host', 'x-sdk-date'] as const;

function fail(reason: AuthFailureReason, message: string): never {
  throw new AkSkError(reason, message);
}

/** A request the canonical form cannot be built for fails as a bad signature. */
function refuseCanonical(err: unknown): never {
  if (err instanceof CanonicalFormError) fail('bad-signature', err.message);
  throw err;
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
  const y = digits(s, 0, 4),
    mo = digits(s, 4, 6),
    d = digits(s, 6, 8);
  const h = digits(s, 9, 11),
    mi = digits(s, 11, 13),
    se = digits(s, 13, 15);
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
  let headerLines: string;
  try {
    headerLines = canonicalHeaders(names, req.headers);
  } catch (err) {
    return refuseCanonical(err);
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

  let canonical: string;
  try {
    canonical = canonicalRequest({
      method: req.method,
      path: req.path,
      rawQuery: req.rawQuery,
      headerLines,
      signedHeaders: names,
      payloadHash,
    });
  } catch (err) {
    return refuseCanonical(err);
  }
  const expected = hmacSha256(secretKey, stringToSign(parsed.sdkDate, canonical));
  const given = Buffer.from(parsed.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    fail('bad-signature', 'signature does not match');
  }
}
