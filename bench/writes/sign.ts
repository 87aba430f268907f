// Huawei AK/SK signing with the SDK's own signer, imported by file so the SDK's HTTP client
// (and its dependencies) are not loaded.

import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js';

export function signHuawei(o: {
  endpoint: string;
  method: string;
  path: string;
  query?: Record<string, string>;
  data?: unknown;
  ak: string;
  sk: string;
}) {
  const request = {
    endpoint: `${o.endpoint}${o.path}`,
    method: o.method,
    headers: { 'content-type': 'application/json' },
    queryParams: o.query ?? {},
    data: o.data,
  };
  const headers = AKSKSigner.sign(request as never, new BasicCredentials().withAk(o.ak).withSk(o.sk)) as Record<string, string>;
  const qs = new URLSearchParams(o.query ?? {}).toString();
  return { url: `${o.endpoint}${o.path}${qs ? `?${qs}` : ''}`, headers, body: o.data === undefined ? undefined : JSON.stringify(o.data) };
}

import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** node:crypto SHA-256 / HMAC-SHA-256 in the shape @smithy/signature-v4 expects. */
class Sha256 {
  readonly #h;
  constructor(secret?: string | Uint8Array) {
    this.#h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: string | Uint8Array): void {
    this.#h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#h.digest());
  }
}

/** An EC2 Query request signed with SigV4 by @smithy/signature-v4. */
export async function signEc2(endpoint: string, params: Record<string, string>, ak: string, sk: string) {
  const url = new URL(endpoint);
  const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
  const signer = new SignatureV4({
    credentials: { accessKeyId: ak, secretAccessKey: sk },
    region: 'us-east-1',
    service: 'ec2',
    sha256: Sha256 as never,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  return { url: `${endpoint}/`, headers: signed.headers as Record<string, string>, body };
}
