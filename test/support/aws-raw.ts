// Signs an EC2 Query request with the reference SigV4 signer (@smithy/signature-v4) without
// sending it, so a test can alter it or read the raw response bytes.
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_AK, TEST_SK } from './server.ts';

/** A node:crypto SHA-256 in the shape the signer expects. */
export class Sha256 {
  readonly #h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#h = secret ? createHmac('sha256', toBytes(secret)) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#h.update(toBytes(data));
  }
  reset(): void {}
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#h.digest());
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export interface SignedEc2Request {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

export async function signEc2(
  endpoint: string,
  params: Record<string, string>,
  opts: { accessKeyId?: string; secretAccessKey?: string; region?: string; signingDate?: Date } = {},
): Promise<SignedEc2Request> {
  const url = new URL(endpoint);
  const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
  const signer = new SignatureV4({
    credentials: { accessKeyId: opts.accessKeyId ?? TEST_AK, secretAccessKey: opts.secretAccessKey ?? TEST_SK },
    region: opts.region ?? 'us-east-1',
    service: 'ec2',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    },
    { signingDate: opts.signingDate },
  );
  return { url: `${endpoint}/`, method: 'POST', headers: signed.headers as Record<string, string>, body };
}

/** A presigned GET URL: SigV4 in the query string instead of the Authorization header. */
export async function presignEc2(endpoint: string, params: Record<string, string>, expiresIn = 300): Promise<string> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    credentials: { accessKeyId: TEST_AK, secretAccessKey: TEST_SK },
    region: 'us-east-1',
    service: 'ec2',
    sha256: Sha256,
  });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: { host: url.host },
      query: { Version: '2016-11-15', ...params },
    },
    { expiresIn },
  );
  const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
  return `${endpoint}/?${query}`;
}

export async function sendEc2(r: SignedEc2Request): Promise<{ status: number; text: string; headers: Headers }> {
  const { host, ...headers } = r.headers;
  const res = await fetch(r.url, { method: r.method, headers, body: r.body });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
