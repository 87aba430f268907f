/*
 * A tiny AK/SK signer for the CLI's calls to a sitevpn server, producing what the server's
 * verifier (src/dialects/shared/aksk-verifier.ts) accepts (Huawei's "SDK-HMAC-SHA256"):
 *
 *   Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=host;x-sdk-date, Signature=<hex>
 *   X-Sdk-Date:    YYYYMMDDTHHMMSSZ
 *
 * The canonical request is built by the same module the verifier uses
 * (src/dialects/shared/aksk-canonical.ts, the only dialect module the CLI may import). The path
 * and query are signed exactly as they go on the wire (the URL's encoded form), which is what the
 * server sees.
 */
import {
  AKSK_ALGORITHM,
  canonicalHeaders,
  canonicalRequest,
  hmacSha256,
  sha256Hex,
  stringToSign,
} from '../dialects/shared/aksk-canonical.ts';
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

const SIGNED_HEADERS = ['host', 'x-sdk-date'];

/** "20260101T000000Z" */
export function sdkDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The headers to add to the request (the Host header is the URL's, as fetch sends it). */
export function signRequest(input: SignInput): Record<string, string> {
  const url = new URL(input.url);
  const date = sdkDate(input.now ?? Date.now());
  const headerLines = canonicalHeaders(SIGNED_HEADERS, { host: url.host, 'x-sdk-date': date });
  const canonical = canonicalRequest({
    method: input.method.toUpperCase(),
    path: url.pathname,
    rawQuery: url.search.slice(1),
    headerLines,
    signedHeaders: SIGNED_HEADERS,
    payloadHash: sha256Hex(input.body ?? ''),
  });
  const signature = hmacSha256(input.secretAccessKey, stringToSign(date, canonical)).toString('hex');
  return {
    'X-Sdk-Date': date,
    Authorization: `${AKSK_ALGORITHM} Access=${input.accessKeyId}, SignedHeaders=${SIGNED_HEADERS.join(';')}, Signature=${signature}`,
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
export async function signedFetch(
  target: ApiTarget,
  method: string,
  absolutePath: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<Response> {
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
