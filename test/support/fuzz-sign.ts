// Requests signed by the official signers (the Huawei SDK's AK/SK signer, the reference SigV4
// signer) but carrying exactly the bytes a fuzz case wants: raw bodies, repeated query parameters.
import { createHash } from 'node:crypto';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from './aws-raw.ts';
import type { RawRequest } from './raw-http.ts';
import { TEST_AK, TEST_SK } from './server.ts';

/** Query pairs as sent: each part percent-encoded, order and repeats kept. */
export function queryString(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
}

/** RFC 3986 percent-encoding of the UTF-8 bytes (a lone surrogate becomes U+FFFD, never a throw). */
export function pct(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8'))
    out += /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/**
 * A request signed by the Huawei SDK's own AK/SK signer; the body is signed through
 * X-Sdk-Content-Sha256 (how the SDK signs a body it did not serialise itself).
 */
export function huaweiSigned(o: {
  endpoint: string;
  method: string;
  path: string;
  query?: [string, string][];
  headers?: Record<string, string>;
  body?: Buffer;
  ak?: string;
  sk?: string;
}): RawRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...o.headers };
  if (o.body && o.body.length > 0) headers['X-Sdk-Content-Sha256'] = createHash('sha256').update(o.body).digest('hex');
  const queryParams: Record<string, string | string[]> = {};
  // The wire carries UTF-8, where a lone surrogate is U+FFFD; the signer must see the same text.
  const wellFormed = (x: string) => Buffer.from(x, 'utf8').toString('utf8');
  for (const [rk, rv] of o.query ?? []) {
    const [k, v] = [wellFormed(rk), wellFormed(rv)];
    const prev = queryParams[k];
    queryParams[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  const credential = new BasicCredentials().withAk(o.ak ?? TEST_AK).withSk(o.sk ?? TEST_SK);
  const request = { endpoint: `${o.endpoint}${o.path}`, method: o.method, headers, queryParams, data: undefined };
  const signed = AKSKSigner.sign(request as never, credential) as Record<string, string>;
  const qs = queryString(o.query ?? []);
  return {
    method: o.method,
    target: `${o.path}${qs ? `?${qs}` : ''}`,
    headers: Object.entries(signed).filter(([k]) => k.toLowerCase() !== 'host'),
    body: o.body,
  };
}

/** An EC2 Query request signed by the reference SigV4 signer: a POST of exactly these body bytes. */
export async function ec2Signed(o: {
  endpoint: string;
  body: Buffer;
  contentType?: string;
  ak?: string;
  sk?: string;
}): Promise<RawRequest> {
  const url = new URL(o.endpoint);
  const signer = new SignatureV4({
    credentials: { accessKeyId: o.ak ?? TEST_AK, secretAccessKey: o.sk ?? TEST_SK },
    region: 'us-east-1',
    service: 'ec2',
    sha256: Sha256,
  });
  const contentType = o.contentType ?? 'application/x-www-form-urlencoded; charset=utf-8';
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': contentType },
    body: new Uint8Array(o.body),
  });
  return {
    method: 'POST',
    target: '/',
    headers: Object.entries(signed.headers as Record<string, string>).filter(([k]) => k.toLowerCase() !== 'host'),
    body: o.body,
  };
}

/** An EC2 Query GET, the parameters in the query string, signed with SigV4 in the Authorization header. */
export async function ec2SignedGet(o: { endpoint: string; pairs: [string, string][] }): Promise<RawRequest> {
  const url = new URL(o.endpoint);
  const signer = new SignatureV4({
    credentials: { accessKeyId: TEST_AK, secretAccessKey: TEST_SK },
    region: 'us-east-1',
    service: 'ec2',
    sha256: Sha256,
  });
  const wellFormed = (x: string) => Buffer.from(x, 'utf8').toString('utf8');
  const query: Record<string, string | string[]> = {};
  for (const [rk, rv] of o.pairs) {
    const [k, v] = [wellFormed(rk), wellFormed(rv)];
    const prev = query[k];
    query[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  const signed = await signer.sign({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query,
    headers: { host: url.host },
  });
  const qs = queryString(o.pairs);
  return {
    method: 'GET',
    target: `/${qs ? `?${qs}` : ''}`,
    headers: Object.entries(signed.headers as Record<string, string>).filter(([k]) => k.toLowerCase() !== 'host'),
  };
}
