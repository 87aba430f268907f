import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type HuaweiSignedRequest, parseAuthorization, verifySignature } from '../dialects/shared/aksk-verifier.ts';
import { sdkDate, signRequest } from './sign.ts';

const AK = 'SVCLIACCESSKEY000001';
const SK = 'cli-secret/key+0123456789=abcdef';
const NOW = Date.UTC(2026, 2, 14, 9, 26, 53);

/** The request as the server sees it: the raw path and query of the URL, the Host header fetch sends. */
function asReceived(method: string, url: string, body: string, headers: Record<string, string>): HuaweiSignedRequest {
  const u = new URL(url);
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, path: u.pathname, rawQuery: u.search.slice(1), headers: { ...lower, host: u.host }, body };
}

function verify(method: string, url: string, body = '', secret = SK, now = NOW): void {
  const headers = signRequest({ method, url, body, accessKeyId: AK, secretAccessKey: SK, now: NOW });
  const req = asReceived(method, url, body, headers);
  verifySignature(req, parseAuthorization(req), secret, now);
}

describe('the CLI signer', () => {
  it('signs a GET with a query that the server verifier accepts', () => {
    verify('GET', 'http://127.0.0.1:8787/sitevpn/v1/projects/0123456789abcdef0123456789abcdef/events?limit=5&follow=true');
  });

  it('signs a PUT with a JSON body that the server verifier accepts', () => {
    verify(
      'PUT',
      'http://localhost:9000/sitevpn/v1/projects/p/customer-gateways/c/device-profile',
      JSON.stringify({ device_profile: { psk: 'ä b+c' } }),
    );
  });

  it('signs paths and queries that need escaping', () => {
    verify('GET', 'http://127.0.0.1:1/sitevpn/v1/projects/p/x%20y|z/events?b=2&a=%C3%A9+1&a=0&empty');
  });

  it('names the key, the signed headers and the date in the headers it adds', () => {
    const headers = signRequest({ method: 'GET', url: 'http://h/x', accessKeyId: AK, secretAccessKey: SK, now: NOW });
    assert.equal(headers['X-Sdk-Date'], '20260314T092653Z');
    assert.match(
      headers.Authorization,
      new RegExp(`^SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host;x-sdk-date, Signature=[0-9a-f]{64}$`),
    );
    assert.equal(sdkDate(NOW), '20260314T092653Z');
  });

  it('is refused by the verifier with another secret or a changed body', () => {
    assert.throws(() => verify('GET', 'http://127.0.0.1/x', '', 'another-secret'), { reason: 'bad-signature' });
    const url = 'http://127.0.0.1/x';
    const headers = signRequest({ method: 'POST', url, body: '{"a":1}', accessKeyId: AK, secretAccessKey: SK, now: NOW });
    const req = asReceived('POST', url, '{"a":2}', headers);
    assert.throws(() => verifySignature(req, parseAuthorization(req), SK, NOW), { reason: 'bad-signature' });
  });
});
