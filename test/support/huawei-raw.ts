// Signs a request with the real AK/SK signer of @huaweicloud/huaweicloud-sdk-core without
// sending it, so a test can alter any part afterwards or look at the raw response bytes.
import { createHash } from 'node:crypto';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';

export interface RawSigned {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export function signHuawei(o: {
  endpoint: string;
  method: string;
  path: string;
  /** A name given a list is sent once per value (name=a&name=b). */
  query?: Record<string, string | string[]>;
  data?: unknown;
  ak: string;
  sk: string;
  sdkDate?: string;
  /** Raw body bytes to sign and send instead of JSON.stringify(data). */
  rawBody?: string;
}): RawSigned {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // The signer hashes JSON.stringify(data) unless X-Sdk-Content-Sha256 carries the hash.
  if (o.rawBody !== undefined) headers['X-Sdk-Content-Sha256'] = createHash('sha256').update(o.rawBody).digest('hex');
  if (o.sdkDate) headers['X-Sdk-Date'] = o.sdkDate;
  const request = {
    endpoint: `${o.endpoint}${o.path}`,
    method: o.method,
    headers,
    queryParams: o.query ?? {},
    data: o.data,
  };
  const credential = new BasicCredentials().withAk(o.ak).withSk(o.sk);
  const signed = AKSKSigner.sign(request as never, credential) as Record<string, string>;
  const qs = new URLSearchParams(
    Object.entries(o.query ?? {}).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x])),
  ).toString();
  return {
    url: `${o.endpoint}${o.path}${qs ? `?${qs}` : ''}`,
    method: o.method,
    headers: signed,
    body: o.rawBody ?? (o.data === undefined ? undefined : JSON.stringify(o.data)),
  };
}

export async function send(r: RawSigned): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const headers = { ...r.headers };
  delete headers.host;
  const res = await fetch(r.url, { method: r.method, headers, body: r.body });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** X-Sdk-Date for a moment: YYYYMMDDTHHMMSSZ. */
export function sdkDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
