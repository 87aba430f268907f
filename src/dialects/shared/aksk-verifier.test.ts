import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import { AkSkError, type AuthFailureReason, type HuaweiSignedRequest, parseAuthorization, verifySignature } from './aksk-verifier.ts';

const AK = 'HPUAEXAMPLEAK0000001';
const SK = 'sk-Example/Secret+Key=0123456789abcdef';
const PROJECT = '0123456789abcdef0123456789abcdef';
const MIN = 60_000;

interface SendOptions {
  method: string;
  url: string;
  pathParams?: Record<string, string>;
  queryParams?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  data?: unknown;
  contentType?: string;
}

// A local server that records each request exactly as it arrived on the wire.
let server: http.Server;
let client: HcClient;
const received: HuaweiSignedRequest[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      received.push({
        method: req.method ?? '',
        path: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? '' : url.slice(q + 1),
        headers: { ...req.headers },
        body: Buffer.concat(chunks),
      });
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const credentials = new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT);
  client = new ClientBuilder((hc: HcClient) => hc).withEndpoint(endpoint).withCredential(credentials).build();
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends a request through the real SDK (HcClient -> BasicCredentials -> AKSKSigner -> axios). */
async function sdkRequest(o: SendOptions): Promise<HuaweiSignedRequest> {
  const before = received.length;
  await client.sendRequest({
    method: o.method,
    url: o.url,
    contentType: o.contentType ?? 'application/json',
    pathParams: o.pathParams ?? {},
    queryParams: o.queryParams ?? {},
    headers: o.headers ?? {},
    data: o.data as Record<string, unknown> | undefined,
  });
  assert.equal(received.length, before + 1);
  return received[before]!;
}

function sdkDateOf(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function verify(req: HuaweiSignedRequest, secret = SK, nowMs?: number): void {
  const parsed = parseAuthorization(req);
  verifySignature(req, parsed, secret, nowMs ?? parsed.dateMs);
}

function rejects(fn: () => void, reason: AuthFailureReason): AkSkError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof AkSkError, `expected AkSkError(${reason}), got ${String(caught)}`);
  assert.equal(caught.reason, reason, caught.message);
  return caught;
}

function withHeaders(req: HuaweiSignedRequest, changes: Record<string, string | undefined>): HuaweiSignedRequest {
  return { ...req, headers: { ...req.headers, ...changes } };
}

const showConnection = {
  method: 'GET',
  url: '/v5/{project_id}/vpn-connection/{id}',
  pathParams: { id: 'c0ffee00-1111-4222-8333-944445555666' },
};

describe('Huawei AK/SK verifier with requests signed by @huaweicloud/huaweicloud-sdk-core', () => {
  it('accepts a GET with several query keys, a repeated key, an empty value and characters that need escaping', async () => {
    const req = await sdkRequest({
      method: 'GET',
      url: '/v5/{project_id}/vpn-connection',
      queryParams: { vgw_id: 'gw 1', limit: '10', marker: '', tag: ['z', 'a b', 'é', '~x', 'A'], 'k*(!)': "x!'()*~:@/?+&=%" },
    });
    assert.ok(req.rawQuery.includes('tag='), 'the query reached the server');
    verify(req);
  });

  it('accepts the same query with its pairs in a different order on the wire', async () => {
    const req = await sdkRequest({ method: 'GET', url: '/v5/{project_id}/vpn-connection', queryParams: { a: '1', b: ['2', '3'] } });
    verify({ ...req, rawQuery: req.rawQuery.split('&').reverse().join('&') });
  });

  it('reads a raw + in the query as a space, as the HTTP query parser does', async () => {
    const req = await sdkRequest({ method: 'GET', url: '/v5/{project_id}/vpn-connection', queryParams: { name: 'a b' } });
    assert.equal(req.rawQuery, 'name=a%20b');
    verify({ ...req, rawQuery: 'name=a+b' });
    rejects(() => verify({ ...req, rawQuery: 'name=a%2Bb' }), 'bad-signature');
  });

  it('accepts a POST with a JSON body', async () => {
    const req = await sdkRequest({
      method: 'POST',
      url: '/v5/{project_id}/vpn-connection',
      data: { vpn_connection: { name: 'vpn-ü 1', vgw_id: 'gw', cgw_id: 'cgw', peer_subnets: ['10.0.0.0/24'] } },
    });
    assert.ok(req.body.length > 0);
    verify(req);
  });

  it('accepts a DELETE', async () => {
    const req = await sdkRequest({ ...showConnection, method: 'DELETE', data: {} });
    assert.equal(req.method, 'DELETE');
    verify(req);
  });

  it('accepts paths with characters the SDK escapes, including ones axios sends raw', async () => {
    for (const id of ["a b|c^d'e", '!*()~:@=,;+', 'x%7Cy%zz', '{braces}', 'semi;colon', 'dot.dash-under_score']) {
      const req = await sdkRequest({ ...showConnection, pathParams: { id } });
      verify(req);
    }
  });

  it('accepts random printable query keys and values', async () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const word = () => Array.from({ length: 1 + rnd(6) }, () => String.fromCharCode(32 + rnd(95))).join('') + (rnd(4) === 0 ? 'ж€😀' : '');
    for (let i = 0; i < 20; i++) {
      const queryParams: Record<string, string | string[]> = {};
      for (let j = 0; j < 1 + rnd(4); j++) queryParams['k' + word()] = rnd(3) === 0 ? [word(), word(), ''] : word();
      verify(await sdkRequest({ method: 'GET', url: '/v5/{project_id}/vpn-connection', queryParams }));
    }
  });

  it('accepts extra signed headers whose canonical order differs from the SignedHeaders order', async () => {
    const req = await sdkRequest({ ...showConnection, headers: { x_trace: 't1', 'X-Client-Tag': 'v1' } });
    assert.match(String(req.headers['authorization']), /SignedHeaders=content-type;host;x-client-tag;x-project-id;x-sdk-date;x_trace,/);
    verify(req);
  });

  it('accepts a non-JSON body sent with X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD', async () => {
    const req = await sdkRequest({
      method: 'POST',
      url: '/v5/{project_id}/vpn-connection/{id}/reset',
      pathParams: { id: 'x' },
      contentType: 'text/plain',
      data: 'raw text',
    });
    assert.equal(req.headers['x-sdk-content-sha256'], 'UNSIGNED-PAYLOAD');
    verify(req);
  });

  it('parses the access key id, signed headers, signature and date', async () => {
    const req = await sdkRequest(showConnection);
    const parsed = parseAuthorization(req);
    assert.equal(parsed.accessKeyId, AK);
    assert.deepEqual(parsed.signedHeaders, ['content-type', 'host', 'x-project-id', 'x-sdk-date']);
    assert.match(parsed.signature, /^[0-9a-f]{64}$/);
    assert.equal(parsed.sdkDate, req.headers['x-sdk-date']);
    assert.equal(sdkDateOf(parsed.dateMs), parsed.sdkDate);
    assert.ok(Math.abs(parsed.dateMs - Date.now()) < MIN);
  });

  it('accepts a date exactly 15 minutes old', async () => {
    const req = await sdkRequest(showConnection);
    const parsed = parseAuthorization(req);
    verifySignature(req, parsed, SK, parsed.dateMs + 15 * MIN);
  });

  it('rejects a changed body with bad-signature', async () => {
    const req = await sdkRequest({ method: 'POST', url: '/v5/{project_id}/vpn-connection', data: { vpn_connection: { name: 'a' } } });
    rejects(() => verify({ ...req, body: '{"vpn_connection":{"name":"b"}}' }), 'bad-signature');
  });

  it('rejects a changed, added or removed query parameter with bad-signature', async () => {
    const req = await sdkRequest({ method: 'GET', url: '/v5/{project_id}/vpn-connection', queryParams: { limit: '10', tag: ['a', 'b'] } });
    rejects(() => verify({ ...req, rawQuery: req.rawQuery.replace('limit=10', 'limit=11') }), 'bad-signature');
    rejects(() => verify({ ...req, rawQuery: req.rawQuery + '&marker=x' }), 'bad-signature');
    rejects(() => verify({ ...req, rawQuery: req.rawQuery.replace('&tag=b', '') }), 'bad-signature');
  });

  it('rejects a changed path with bad-signature', async () => {
    const req = await sdkRequest(showConnection);
    rejects(() => verify({ ...req, path: req.path.replace('c0ffee00', 'c0ffee01') }), 'bad-signature');
    rejects(() => verify({ ...req, path: req.path + '/log' }), 'bad-signature');
  });

  it('rejects a changed, missing or unsigned-content signed header with bad-signature', async () => {
    const req = await sdkRequest(showConnection);
    rejects(() => verify(withHeaders(req, { 'x-project-id': 'ffffffffffffffffffffffffffffffff' })), 'bad-signature');
    rejects(() => verify(withHeaders(req, { host: 'evil.example:443' })), 'bad-signature');
    const missing = rejects(() => verify(withHeaders(req, { 'x-project-id': undefined })), 'bad-signature');
    assert.equal(missing.message, 'signed header x-project-id is missing');
    rejects(() => verify(withHeaders(req, { 'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD' })), 'bad-signature');
  });

  it('rejects a body that does not match a signed X-Sdk-Content-Sha256 with bad-signature', async () => {
    const req = await sdkRequest({
      method: 'POST',
      url: '/v5/{project_id}/vpn-connection',
      headers: { 'X-Sdk-Content-Sha256': 'a'.repeat(64) },
    });
    const err = rejects(() => verify(req), 'bad-signature');
    assert.equal(err.message, 'body does not match X-Sdk-Content-Sha256');
  });

  it('rejects a wrong secret with bad-signature and a message that leaks neither secret nor signature', async () => {
    const req = await sdkRequest(showConnection);
    const err = rejects(() => verify(req, SK + 'x'), 'bad-signature');
    assert.equal(err.message, 'signature does not match');
    assert.ok(!err.message.includes(SK) && !/[0-9a-f]{16}/.test(err.message));
  });

  it('rejects a date 16 minutes old and one 16 minutes in the future with stale-date', async () => {
    const now = Date.now();
    for (const offset of [-16 * MIN, 16 * MIN]) {
      const req = await sdkRequest({ ...showConnection, headers: { 'X-Sdk-Date': sdkDateOf(now + offset) } });
      assert.equal(req.headers['x-sdk-date'], sdkDateOf(now + offset));
      rejects(() => verifySignature(req, parseAuthorization(req), SK, now), 'stale-date');
      verifySignature(req, parseAuthorization(req), SK, now + offset); // genuine otherwise
    }
  });

  it('rejects a request without Authorization with missing', async () => {
    const req = await sdkRequest(showConnection);
    rejects(() => verify(withHeaders(req, { authorization: undefined })), 'missing');
    rejects(() => verify(withHeaders(req, { authorization: '' })), 'missing');
  });

  it('rejects malformed Authorization and X-Sdk-Date headers with malformed', async () => {
    const req = await sdkRequest(showConnection);
    const auth = String(req.headers['authorization']);
    const sig = auth.slice(auth.indexOf('Signature=') + 10);
    const bad: Record<string, string | undefined>[] = [
      { authorization: 'AWS4-HMAC-SHA256 Credential=x, SignedHeaders=host, Signature=' + sig },
      { authorization: auth.replace('SDK-HMAC-SHA256', 'SDK-HMAC-SHA1') },
      { authorization: auth.replace(', Signature=' + sig, '') },
      { authorization: auth.replace(sig, sig.slice(1)) },
      { authorization: auth.replace(sig, sig.toUpperCase()) },
      { authorization: auth.replace('Access=' + AK, 'Access=') },
      { authorization: auth.replace('x-project-id', 'X-Project-Id') },
      { authorization: auth.replace('host;', '') },
      { authorization: auth.replace('host;x-project-id', 'x-project-id;host') },
      { authorization: auth.replace(';x-sdk-date', '') },
      { 'x-sdk-date': undefined },
      { 'x-sdk-date': '2024-01-01T12:00:00Z' },
      { 'x-sdk-date': '20240230T120000Z' },
      { 'x-sdk-date': '20240101T246000Z' },
    ];
    for (const changes of bad) rejects(() => verify(withHeaders(req, changes)), 'malformed');
  });
});
