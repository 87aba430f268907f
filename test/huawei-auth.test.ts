// AK/SK authentication and tenant isolation of the Huawei API, with requests signed by the real
// signer of @huaweicloud/huaweicloud-sdk-core and then altered on purpose.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { HuaweiTestClient } from './support/huawei-client.ts';
import { sdkDate, send, signHuawei } from './support/huawei-raw.ts';
import { startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

let server: TestServer;
let connectionId: string;
const AUTH = 'Incorrect IAM authentication information';

before(async () => {
  server = await startTestServer();
  const { gateway, cgw } = await gatewayPair(server);
  connectionId = (await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection.id;
});
after(() => server.close());

function path(suffix = `/vpn-connection/${connectionId}`) {
  return `/v5/${TEST_PROJECT}${suffix}`;
}

function expectAuthFailure(r: { status: number; json: any; headers: Headers }, reason: string) {
  assert.equal(r.status, 401);
  assert.deepEqual([r.json.error_code, r.json.error_msg], ['APIGW.0301', `${AUTH}: ${reason}`]);
  assert.equal(r.headers.get('x-request-id'), r.json.request_id);
}

describe('AK/SK signatures', () => {
  it('accepts a genuine signed GET, PUT and DELETE', async () => {
    const ok = await send(
      signHuawei({ endpoint: server.endpoint, method: 'GET', path: path(), ak: TEST_AK, sk: TEST_SK, query: { a: '1' } }),
    );
    assert.equal(ok.status, 200);
  });

  it('refuses a wrong secret', async () => {
    const r = await send(signHuawei({ endpoint: server.endpoint, method: 'GET', path: path(), ak: TEST_AK, sk: 'not-the-secret' }));
    expectAuthFailure(r, 'verify aksk signature fail');
  });

  it('answers an unknown access key exactly as a wrong secret, so no answer tells whether a key exists', async () => {
    const sign = (ak: string, sk: string, date: string | undefined, base: string) =>
      send(signHuawei({ endpoint: server.endpoint, method: 'GET', path: `${base}/${TEST_PROJECT}${suffix[base]}`, ak, sk, sdkDate: date }));
    const suffix: Record<string, string> = {
      '/v5': `/vpn-connection/${connectionId}`,
      '/sitevpn/v1/projects': `/vpn-connections/${connectionId}/history`,
    };
    const stale = sdkDate(Date.now() - 16 * 60_000);
    // The Huawei dialect and the extension API share the verifier; both are asked.
    for (const base of ['/v5', '/sitevpn/v1/projects']) {
      const unknown = await sign('SVUNKNOWNKEY00000000', TEST_SK, undefined, base);
      const wrong = await sign(TEST_AK, 'not-the-secret', undefined, base);
      expectAuthFailure(unknown, 'verify aksk signature fail');
      expectAuthFailure(wrong, 'verify aksk signature fail');
      const strip = (r: { status: number; json: any; headers: Headers }) => [
        r.status,
        r.json.error_code,
        r.json.error_msg,
        r.headers.get('content-type'),
      ];
      assert.deepEqual(strip(unknown), strip(wrong));
      // A stale date is reported first for an unknown key too, as for a known key with a wrong secret.
      const staleUnknown = await sign('SVUNKNOWNKEY00000000', TEST_SK, stale, base);
      const staleWrong = await sign(TEST_AK, 'not-the-secret', stale, base);
      expectAuthFailure(staleUnknown, 'X-Sdk-Date is more than 15 minutes away from the server time');
      assert.deepEqual(strip(staleUnknown), strip(staleWrong));
    }
  });

  it('refuses a changed body', async () => {
    const signed = signHuawei({
      endpoint: server.endpoint,
      method: 'PUT',
      path: path(),
      ak: TEST_AK,
      sk: TEST_SK,
      data: { vpn_connection: { name: 'a' } },
    });
    expectAuthFailure(await send({ ...signed, body: JSON.stringify({ vpn_connection: { name: 'b' } }) }), 'verify aksk signature fail');
  });

  it('refuses a changed query', async () => {
    const signed = signHuawei({
      endpoint: server.endpoint,
      method: 'GET',
      path: path('/vpn-connection'),
      ak: TEST_AK,
      sk: TEST_SK,
      query: { limit: '1' },
    });
    expectAuthFailure(await send({ ...signed, url: signed.url.replace('limit=1', 'limit=2') }), 'verify aksk signature fail');
  });

  it('refuses a changed path', async () => {
    const signed = signHuawei({ endpoint: server.endpoint, method: 'GET', path: path(), ak: TEST_AK, sk: TEST_SK });
    expectAuthFailure(await send({ ...signed, url: `${server.endpoint}${path('/vpn-connection')}` }), 'verify aksk signature fail');
  });

  it('refuses a changed signed header', async () => {
    const signed = signHuawei({ endpoint: server.endpoint, method: 'GET', path: path(), ak: TEST_AK, sk: TEST_SK });
    expectAuthFailure(
      await send({ ...signed, headers: { ...signed.headers, 'content-type': 'text/plain' } }),
      'verify aksk signature fail',
    );
  });

  it('refuses a date 16 minutes old or 16 minutes ahead', async () => {
    for (const offset of [-16, 16]) {
      const date = sdkDate(Date.now() + offset * 60_000);
      const r = await send(signHuawei({ endpoint: server.endpoint, method: 'GET', path: path(), ak: TEST_AK, sk: TEST_SK, sdkDate: date }));
      expectAuthFailure(r, 'X-Sdk-Date is more than 15 minutes away from the server time');
    }
  });

  it('accepts a date 14 minutes old', async () => {
    const date = sdkDate(Date.now() - 14 * 60_000);
    const r = await send(signHuawei({ endpoint: server.endpoint, method: 'GET', path: path(), ak: TEST_AK, sk: TEST_SK, sdkDate: date }));
    assert.equal(r.status, 200);
  });

  it('refuses a request without Authorization, and a malformed one', async () => {
    const signed = signHuawei({ endpoint: server.endpoint, method: 'GET', path: path(), ak: TEST_AK, sk: TEST_SK });
    const { Authorization, ...unsigned } = signed.headers;
    expectAuthFailure(await send({ ...signed, headers: unsigned }), 'the Authorization header is missing');
    expectAuthFailure(
      await send({ ...signed, headers: { ...unsigned, Authorization: 'Bearer abc' } }),
      'the Authorization header is malformed',
    );
    assert.ok(Authorization);
  });

  it('answers an unknown API with APIGW.0101 in Huawei format', async () => {
    const r = await send(signHuawei({ endpoint: server.endpoint, method: 'GET', path: path('/no-such-thing'), ak: TEST_AK, sk: TEST_SK }));
    assert.equal(r.status, 404);
    assert.equal(r.json.error_code, 'APIGW.0101');
  });
});

describe('tenant isolation', () => {
  it("answers another tenant's project and resources as if they did not exist", async () => {
    const other = await server.app.services.tenants.createTenant('cn-north-4');
    const stranger = new HuaweiTestClient(server.endpoint, other.key.accessKeyId, other.key.secret, other.project.id);
    const foreignProject = await stranger.call('GET', `/vpn-connection/${connectionId}`, undefined, {}, TEST_PROJECT);
    assert.equal(foreignProject.status, 404);
    assert.equal(foreignProject.errorMsg, `resource not found: project ${TEST_PROJECT} does not exist`);
    const unknownProject = await stranger.call('GET', '/vpn-connection', undefined, {}, 'ffffffffffffffffffffffffffffffff');
    assert.equal(unknownProject.errorMsg, 'resource not found: project ffffffffffffffffffffffffffffffff does not exist');
    const foreignId = await stranger.call('GET', `/vpn-connection/${connectionId}`);
    assert.equal(foreignId.status, 404);
    assert.equal(foreignId.errorMsg, `resource not found: vpn connection ${connectionId} does not exist`);
    const list = await stranger.call('GET', '/vpn-connection');
    assert.equal(list.body.total_count, 0);
  });

  it('lets a read-only key read but not write', async () => {
    const key = await server.app.services.tenants.createKey(undefined, 'read-only', 'reader');
    const reader = new HuaweiTestClient(server.endpoint, key.accessKeyId, key.secret, TEST_PROJECT);
    assert.equal((await reader.call('GET', `/vpn-connection/${connectionId}`)).status, 200);
    const r = await reader.call('DELETE', `/vpn-connection/${connectionId}`);
    assert.equal(r.status, 403);
    assert.equal(r.errorCode, 'VPN.0003');
    assert.equal(r.errorMsg, "Authentication failed: Policy doesn't allow vpn:vpnConnections:delete to be performed.");
  });
});
