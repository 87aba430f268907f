// The one AK/SK canonicalizer against the official signer (@huaweicloud/huaweicloud-sdk-core's
// AKSKSigner): the canonical request it builds is the one the SDK signs, and the CLI's signer,
// which builds its request here, produces the SDK's own Authorization header.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { signRequest } from '../../cli/sign.ts';
import { CanonicalFormError, canonicalHeaders, canonicalQuery, canonicalRequest, EMPTY_SHA256, sha256Hex } from './aksk-canonical.ts';

const AK = 'CANONICALTESTKEY0001';
const SK = 'canonical/secret+key=0123456789';
const credential = { getAk: () => AK, getSk: () => SK };

// The SDK's step that joins the canonical request is protected in its typings; the test wraps it
// to read what the signer is about to hash.
type Build = (...parts: string[]) => string;
const signer = AKSKSigner as unknown as { buildCanonicalRequest: Build };

interface Case {
  what: string;
  method: string;
  /** The URL as it goes on the wire (what the server sees). */
  url: string;
  /** The same query for the SDK, which takes it as an object. */
  queryParams: Record<string, string | string[]>;
  data?: Record<string, unknown>;
}

const CASES: Case[] = [
  { what: 'a GET without a query', method: 'GET', url: 'http://127.0.0.1:8443/v5/p0/vpn-connection/c1', queryParams: {} },
  {
    what: 'a GET with a repeated parameter, a space and a non-ASCII value',
    method: 'GET',
    url: 'http://127.0.0.1:8443/v5/p0/vpn-connection?name=a%20b&vpn_gateway_id=g2&vpn_gateway_id=g1&tag=%C3%A9t%C3%A9~',
    queryParams: { name: 'a b', vpn_gateway_id: ['g2', 'g1'], tag: 'été~' },
  },
  {
    what: 'a PUT with a JSON body under a path with escaped characters',
    method: 'PUT',
    url: 'http://localhost:9000/sitevpn/v1/projects/p/customer-gateways/a%20b|c/device-profile',
    queryParams: {},
    data: { device_profile: { psk: 'ä b+c', ike_versions: ['v2'] } },
  },
  {
    what: 'a DELETE on a path ending in a slash',
    method: 'DELETE',
    url: 'http://h:1/v5/p0/vpn-gateways/g1/?limit=5',
    queryParams: { limit: '5' },
  },
];

/** What the official signer signs for the case: its canonical request and its headers. */
function sdkSign(c: Case): { canonical: string; headers: Record<string, string> } {
  const original = signer.buildCanonicalRequest;
  let canonical = '';
  signer.buildCanonicalRequest = (...parts) => (canonical = original.apply(AKSKSigner, parts));
  try {
    const u = new URL(c.url);
    const request = { endpoint: `${u.origin}${u.pathname}`, method: c.method, headers: {}, queryParams: c.queryParams, data: c.data };
    const headers = AKSKSigner.sign(request as never, credential as never) as Record<string, string>;
    return { canonical, headers };
  } finally {
    signer.buildCanonicalRequest = original;
  }
}

/** "20260314T092653Z" -> epoch ms. */
function sdkDateMs(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  assert.ok(m, s);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

describe('the AK/SK canonicalizer against the official Huawei SDK signer', () => {
  afterEach(() => assert.equal(signer.buildCanonicalRequest.name, 'buildCanonicalRequest'));

  for (const c of CASES) {
    it(`builds the canonical request the SDK signs for ${c.what}`, () => {
      const sdk = sdkSign(c);
      const signed = /SignedHeaders=([^,]+),/.exec(sdk.headers.Authorization!)![1]!.split(';');
      const lower = Object.fromEntries(Object.entries(sdk.headers).map(([k, v]) => [k.toLowerCase(), v]));
      const u = new URL(c.url);
      const body = c.data === undefined ? '' : JSON.stringify(c.data);
      const ours = canonicalRequest({
        method: c.method,
        path: u.pathname,
        rawQuery: u.search.slice(1),
        headerLines: canonicalHeaders(signed, lower),
        signedHeaders: signed,
        payloadHash: body === '' ? EMPTY_SHA256 : sha256Hex(body),
      });
      assert.equal(ours, sdk.canonical);
    });

    it(`gives the CLI signer the SDK's own Authorization header for ${c.what}`, () => {
      const sdk = sdkSign(c);
      const now = sdkDateMs(sdk.headers['X-Sdk-Date']!);
      const body = c.data === undefined ? undefined : JSON.stringify(c.data);
      const cli = signRequest({ method: c.method, url: c.url, body, accessKeyId: AK, secretAccessKey: SK, now });
      assert.equal(cli['X-Sdk-Date'], sdk.headers['X-Sdk-Date']);
      assert.equal(cli.Authorization, sdk.headers.Authorization);
    });
  }

  it('refuses a query with broken percent-encoding, naming the cause', () => {
    assert.throws(() => canonicalQuery('a=%E0%A4%A'), new CanonicalFormError('query string has invalid percent-encoding'));
  });

  it('refuses a signed header the request does not carry, naming it', () => {
    assert.throws(
      () => canonicalHeaders(['host', 'x-sdk-date'], { host: 'h' }),
      new CanonicalFormError('signed header x-sdk-date is missing'),
    );
  });
});
