/*
 * A tiny AK/SK signer for the CLI's calls to a sitevpn server, producing what
 * src/dialects/huawei-vpn/auth/aksk-verifier.ts accepts (Huawei's "SDK-HMAC-SHA256"):
 *
 *   Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=host;x-sdk-date, Signature=<hex>
 *   X-Sdk-Date:    YYYYMMDDTHHMMSSZ
 *
 *   canonical = METHOD \n path (escaped, '/' kept, ending in '/') \n sorted escaped query \n
 *               host:<host>\n x-sdk-date:<date>\n \n host;x-sdk-date \n hex sha256(body)
 *   signature = hex HMAC-SHA256(secret, "SDK-HMAC-SHA256\n" date "\n" hex sha256(canonical))
 *
 * The path and query are signed exactly as they go on the wire (the URL's encoded form), which is
 * what the server sees; "escaped" keeps A-Z a-z 0-9 - . _ ~ and writes other bytes as %XX.
 */
import { createHash, createHmac } from 'node:crypto';
import { CliError, EXIT } from './exit.ts';

export interface SignInput {
  method: string;
  /** The full URL the request goes to. */
  url: string;
  body?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Epoch ms; default now. */
  now?: number;
}

const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

// In a path the verifier expects these escaped twice, as the Huawei SDK signer (whose URL parser
// escapes them first) does: '|' -> '%257C'.
const TWICE_IN_PATH = '\t\n\r "\'<>^`{|}';

function escape(s: string, path: boolean): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    const hex = byte.toString(16).toUpperCase().padStart(2, '0');
    if (/[A-Za-z0-9\-._~]/.test(c) || (path && c === '/')) out += c;
    else if (path && byte < 128 && TWICE_IN_PATH.includes(c)) out += '%25' + hex;
    else out += '%' + hex;
  }
  return out;
}

function canonicalQuery(raw: string): string {
  const decode = (s: string): string => decodeURIComponent(s.replaceAll('+', ' '));
  const pairs = raw
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [decode(p), ''] : [decode(p.slice(0, eq)), decode(p.slice(eq + 1))];
    });
  pairs.sort(([ak, av], [bk, bv]) => (ak !== bk ? (ak < bk ? -1 : 1) : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${escape(k, false)}=${escape(v, false)}`).join('&');
}

/** "20260101T000000Z" */
export function sdkDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The headers to add to the request (the Host header is the URL's, as fetch sends it). */
export function signRequest(input: SignInput): Record<string, string> {
  const url = new URL(input.url);
  const date = sdkDate(input.now ?? Date.now());
  let path = escape(url.pathname, true);
  if (!path.endsWith('/')) path += '/';
  const canonical = [
    input.method.toUpperCase(),
    path,
    canonicalQuery(url.search.slice(1)),
    `host:${url.host}\nx-sdk-date:${date}\n`,
    'host;x-sdk-date',
    sha256(input.body ?? ''),
  ].join('\n');
  const toSign = `SDK-HMAC-SHA256\n${date}\n${sha256(canonical)}`;
  const signature = createHmac('sha256', input.secretAccessKey).update(toSign).digest('hex');
  return {
    'X-Sdk-Date': date,
    Authorization: `SDK-HMAC-SHA256 Access=${input.accessKeyId}, SignedHeaders=host;x-sdk-date, Signature=${signature}`,
  };
}

export interface ApiTarget {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  projectId: string;
}

/** A signed request to /sitevpn/v1/projects/{project_id}{path}. */
export async function callApi(target: ApiTarget, method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  return signedFetch(target, method, `/sitevpn/v1/projects/${target.projectId}${path}`, body, signal);
}

/** A signed request to the endpoint's `absolutePath` (e.g. /v5/{project_id}/vpn-gateways). */
export async function signedFetch(target: ApiTarget, method: string, absolutePath: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  const url = `${target.endpoint.replace(/\/+$/, '')}${absolutePath}`;
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers = signRequest({ method, url, body: text, accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey });
  if (text !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(url, { method, headers, body: text, signal });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(`cannot reach ${target.endpoint}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, EXIT.API);
  }
}

/** Throws the server's error_code and error_msg for a non-2xx answer (exit code 3 for a 404). */
export async function ensureOk(res: Response): Promise<void> {
  if (res.ok) return;
  const text = await res.text();
  let message = text;
  try {
    const e = JSON.parse(text) as { error_code?: string; error_msg?: string };
    if (e.error_code) message = `${e.error_code}: ${e.error_msg}`;
  } catch {
    // not JSON: show the text as it is
  }
  throw new CliError(`HTTP ${res.status} ${message}`, res.status === 404 ? EXIT.NOT_FOUND : EXIT.API);
}
