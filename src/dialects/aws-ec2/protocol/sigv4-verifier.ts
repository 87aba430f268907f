/*
 * AWS Signature Version 4, as EC2 clients send it:
 *
 *   POST / HTTP/1.1
 *   Host: ec2.example.net
 *   X-Amz-Date: 20240101T120000Z
 *   X-Amz-Content-Sha256: <hex sha256 of body>          (optional)
 *   X-Amz-Security-Token: <session token>                (optional)
 *   Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ec2/aws4_request,
 *                  SignedHeaders=content-type;host;x-amz-date, Signature=<64 lower-case hex>
 *
 *   presigned:  GET /?Action=..&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2F..
 *               &X-Amz-Date=20240101T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=..
 *
 *   canonical request = METHOD \n URI-escaped normalised path \n query pairs escaped and sorted (minus
 *     X-Amz-Signature) \n "name:value\n" per signed header \n signed;headers \n payload sha256 hex
 *   string to sign    = AWS4-HMAC-SHA256 \n amzDate \n date/region/service/aws4_request \n sha256(canonical)
 *   signing key       = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")
 */

import * as nodeCrypto from 'node:crypto';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { decodePairs } from './query-parser.ts';
import { canonicalHeaders, canonicalPath, canonicalQuery, headerValue as header, type SigningKeys, signingKey } from './sigv4-canonical.ts';

// One-shot hashing (crypto.hash, Node >= 20.12) skips the Hash object createHash builds.
const sha256Hex: (data: string | Buffer) => string =
  typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash('sha256', data, 'hex')
    : (data) => createHash('sha256').update(data).digest('hex');

export { escapeUri, SigningKeys, signingKey } from './sigv4-canonical.ts';

export interface AwsSignedRequest {
  method: string;
  /** The path exactly as received (still percent-encoded), without the query. */
  path: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
}
export interface ParsedSigV4 {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  dateMs: number;
  presigned: boolean;
  expiresSeconds?: number;
  /** X-Amz-Security-Token, when sent (header or query). */
  securityToken?: string;
}
export type SigV4FailureCode =
  | 'AuthFailure'
  | 'RequestExpired'
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'SignatureDoesNotMatch';

export class SigV4Error extends Error {
  override readonly name = 'SigV4Error';
  constructor(
    readonly code: SigV4FailureCode,
    message: string,
  ) {
    super(message);
  }
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const MAX_EXPIRES = 604800;
export const DEFAULT_SKEW_MS = 5 * 60 * 1000;

export const AUTH_FAILURE_MESSAGE = 'AWS was not able to validate the provided access credentials';
const MISSING_TOKEN_MESSAGE = 'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.';
const PRESIGN_PARAMS_MESSAGE =
  "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', " +
  "'X-Amz-Date', 'X-Amz-SignedHeaders', and 'X-Amz-Expires'. Re-examine the query-string parameters.";

/** EC2 answers every credential or signature mismatch with this (unknown key id included). */
export const authFailure = (message = AUTH_FAILURE_MESSAGE) => new SigV4Error('AuthFailure', message);
const incomplete = (message: string) => new SigV4Error('IncompleteSignature', message);

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** `20240101T120000Z` -> epoch ms, or NaN. */
function parseAmzDate(s: string): number {
  const m = AMZ_DATE.exec(s);
  if (m === null) return NaN;
  const [month, day, hour, minute, second] = [+m[2], +m[3], +m[4], +m[5], +m[6]];
  const ms = Date.UTC(+m[1], month - 1, day, hour, minute, second);
  // Date.UTC rolls over out-of-range fields (month 13, day 32); a real date keeps them as given.
  const d = new Date(ms);
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day && hour < 24 && minute < 60 && second < 60 ? ms : NaN;
}

export function formatAmzDate(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-01T12:00:00.000Z
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
}

function badDate(s: string): SigV4Error {
  return incomplete(`Date must be in ISO-8601 'basic format'. Got '${s}'. See http://en.wikipedia.org/wiki/ISO_8601`);
}

function splitCredential(credential: string): [string, string, string, string] {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[0] === '') {
    throw incomplete(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`);
  }
  if (parts[4] !== TERMINATOR) {
    throw authFailure(`Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${parts[4]}'.`);
  }
  return [parts[0], parts[1], parts[2], parts[3]];
}

/** Reads the signature parameters (header or presigned form); no cryptography yet. */
export function parseSigV4(req: AwsSignedRequest): ParsedSigV4 {
  const auth = header(req.headers, 'authorization');
  if (auth !== undefined && auth !== '') return parseHeaderForm(req, auth);
  if (req.rawQuery.includes('X-Amz-')) return parsePresigned(req);
  throw new SigV4Error('MissingAuthenticationToken', MISSING_TOKEN_MESSAGE);
}

function parseHeaderForm(req: AwsSignedRequest, auth: string): ParsedSigV4 {
  const sp = auth.indexOf(' ');
  const algorithm = sp < 0 ? auth : auth.slice(0, sp);
  if (algorithm !== ALGORITHM && algorithm.startsWith('AWS4-')) {
    throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'`);
  }
  const fields = new Map<string, string>();
  if (algorithm === ALGORITHM) {
    for (const part of auth.slice(sp + 1).split(',')) {
      const p = part.trim();
      const eq = p.indexOf('=');
      if (eq <= 0) continue;
      const k = p.slice(0, eq);
      if (fields.has(k)) throw incomplete(`Authorization header has a duplicate '${k}' parameter.`);
      fields.set(k, p.slice(eq + 1));
    }
  }
  const amzHeader = header(req.headers, 'x-amz-date');
  const dateHeader = amzHeader === undefined ? header(req.headers, 'date') : undefined;
  const missing: string[] = [];
  for (const k of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!fields.get(k)) missing.push(`Authorization header requires '${k}' parameter.`);
  }
  if (amzHeader === undefined && dateHeader === undefined) {
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (missing.length > 0) throw incomplete(missing.join(' '));

  let amzDate: string;
  let dateMs: number;
  if (amzHeader !== undefined) {
    amzDate = amzHeader.trim();
    dateMs = parseAmzDate(amzDate);
  } else {
    dateMs = Date.parse(dateHeader!);
    amzDate = Number.isNaN(dateMs) ? dateHeader! : formatAmzDate(dateMs);
  }
  if (Number.isNaN(dateMs)) throw badDate(amzDate);
  const [accessKeyId, date, region, service] = splitCredential(fields.get('Credential')!);
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: fields.get('SignedHeaders')!.split(';'),
    signature: fields.get('Signature')!,
    amzDate,
    dateMs,
    presigned: false,
    securityToken: header(req.headers, 'x-amz-security-token'),
  };
}

function parsePresigned(req: AwsSignedRequest): ParsedSigV4 {
  const pairs = decodePairs(req.rawQuery);
  if (pairs === undefined) throw incomplete('The query string is not valid percent-encoding.');
  const p = new Map<string, string>();
  for (const [k, v] of pairs) {
    if (!k.startsWith('X-Amz-')) continue;
    if (p.has(k)) throw incomplete(`The query-string parameter '${k}' appears more than once.`);
    p.set(k, v);
  }
  if (!p.has('X-Amz-Algorithm') && !p.has('X-Amz-Credential') && !p.has('X-Amz-Signature')) {
    throw new SigV4Error('MissingAuthenticationToken', MISSING_TOKEN_MESSAGE);
  }
  const required = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'];
  if (required.some((k) => !p.get(k))) throw incomplete(PRESIGN_PARAMS_MESSAGE);
  if (p.get('X-Amz-Algorithm') !== ALGORITHM) throw incomplete(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  const expires = p.get('X-Amz-Expires')!;
  if (!/^[0-9]{1,9}$/.test(expires)) throw incomplete('X-Amz-Expires should be a number');
  const expiresSeconds = Number(expires);
  if (expiresSeconds > MAX_EXPIRES) {
    throw incomplete(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES}`);
  }
  const amzDate = p.get('X-Amz-Date')!;
  const dateMs = parseAmzDate(amzDate);
  if (Number.isNaN(dateMs)) throw badDate(amzDate);
  const [accessKeyId, date, region, service] = splitCredential(p.get('X-Amz-Credential')!);
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: p.get('X-Amz-SignedHeaders')!.split(';'),
    signature: p.get('X-Amz-Signature')!,
    amzDate,
    dateMs,
    presigned: true,
    expiresSeconds,
    securityToken: p.get('X-Amz-Security-Token'),
  };
}

export interface VerifyOptions {
  nowMs: number;
  regions: readonly string[];
  /** Default `ec2`. */
  service?: string;
  /** Allowed clock difference for the header form; default 5 minutes. */
  skewMs?: number;
  /** Where derived signing keys are kept (the dialect's); without it each is derived afresh. */
  signingKeys?: SigningKeys;
}

/** Checks scope, time, payload hash and signature; throws SigV4Error with EC2's code and wording. */
export function verifySigV4(req: AwsSignedRequest, parsed: ParsedSigV4, secretAccessKey: string, opts: VerifyOptions): void {
  const service = opts.service ?? 'ec2';
  const scope: string[] = [];
  if (!opts.regions.includes(parsed.region)) {
    scope.push(`Credential should be scoped to a valid region, not '${parsed.region}'.`);
  }
  if (parsed.service !== service) scope.push(`Credential should be scoped to correct service: '${service}'.`);
  const httpDate = parsed.amzDate.slice(0, 8);
  if (parsed.date !== httpDate) {
    scope.push(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
        `'${parsed.date}' != '${httpDate}', from '${parsed.amzDate}'.`,
    );
  }
  if (scope.length > 0) throw authFailure(scope.join(' '));

  const skew = opts.skewMs ?? DEFAULT_SKEW_MS;
  const now = opts.nowMs;
  const expired = parsed.presigned ? now > parsed.dateMs + parsed.expiresSeconds! * 1000 : parsed.dateMs < now - skew;
  if (expired) throw new SigV4Error('RequestExpired', 'Request has expired.');
  if (parsed.dateMs > now + skew) {
    throw new SigV4Error(
      'RequestExpired',
      `Signature not yet current: ${parsed.amzDate} is still later than ${formatAmzDate(now + skew)} ` +
        `(${formatAmzDate(now)} + ${skew / 60000} min.)`,
    );
  }
  if (!parsed.signedHeaders.includes('host')) {
    throw authFailure("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const pairs = req.rawQuery === '' ? [] : decodePairs(req.rawQuery);
  if (pairs === undefined) throw incomplete('The query string is not valid percent-encoding.');
  const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
  const payloadHash = body.length === 0 ? EMPTY_SHA256 : sha256Hex(body);
  const claimed = parsed.presigned ? pairs.find(([k]) => k === 'X-Amz-Content-Sha256')?.[1] : header(req.headers, 'x-amz-content-sha256');
  if (claimed !== undefined && claimed !== payloadHash) {
    throw authFailure("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  let canonical: string;
  try {
    canonical =
      req.method.toUpperCase() +
      '\n' +
      canonicalPath(req.path) +
      '\n' +
      canonicalQuery(pairs) +
      '\n' +
      canonicalHeaders(req.headers, parsed.signedHeaders) +
      '\n' +
      parsed.signedHeaders.join(';') +
      '\n' +
      payloadHash;
  } catch {
    throw authFailure();
  }
  const credentialScope = `${parsed.date}/${parsed.region}/${parsed.service}/${TERMINATOR}`;
  const stringToSign = ALGORITHM + '\n' + parsed.amzDate + '\n' + credentialScope + '\n' + sha256Hex(canonical);
  const kSigning = opts.signingKeys
    ? opts.signingKeys.get(secretAccessKey, parsed.date, parsed.region, parsed.service)
    : signingKey(secretAccessKey, parsed.date, parsed.region, parsed.service);
  const expected = Buffer.from(createHmac('sha256', kSigning).update(stringToSign).digest('hex'));
  const given = Buffer.from(parsed.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw authFailure();
}
