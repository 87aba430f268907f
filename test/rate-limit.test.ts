// Per-access-key rate limiting: a token bucket per key (rate and burst configured), counted only
// for requests whose signature verified, answered with each dialect's throttling error (EC2
// RequestLimitExceeded 503, Huawei VPN.0030 429 with Retry-After); off by default. The server
// runs on a ManualClock so that no token comes back while a test is not looking.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeVpnGatewaysCommand } from '@aws-sdk/client-ec2';
import { loadConfig } from '../src/config/config.ts';
import { ManualClock } from '../src/domain/manual-clock.ts';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { HuaweiTestClient } from './support/huawei-client.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { startTestServer, TEST_PROJECT, type TestServer } from './support/server.ts';

// Signatures carry the real time, so the simulated clock starts now.
const clock = new ManualClock(Date.now());
let server: TestServer;
before(async () => (server = await startTestServer({ rateLimit: { perSecond: 1, burst: 3 } }, { clock })));
after(() => server.close());

async function newKey() {
  const key = await server.app.services.tenants.createKey(undefined, 'full', 'rate limit test');
  return { ak: key.accessKeyId, sk: key.secret };
}

const ec2Of = (key: { ak: string; sk: string }, sk = key.sk) => ec2Client(server.endpoint, { accessKeyId: key.ak, secretAccessKey: sk });
const describeGateways = (key: { ak: string; sk: string }, sk?: string) => ec2Of(key, sk).send(new DescribeVpnGatewaysCommand({}));

function huaweiRaw(key: { ak: string; sk: string }, base: '/v5' | '/sitevpn/v1/projects' = '/v5') {
  const path = base === '/v5' ? `/v5/${TEST_PROJECT}/vpn-gateways` : `/sitevpn/v1/projects/${TEST_PROJECT}/events`;
  return send(signHuawei({ endpoint: server.endpoint, method: 'GET', path, ak: key.ak, sk: key.sk }));
}

describe('per-key rate limiting', () => {
  it('answers EC2 RequestLimitExceeded with 503 once a key has used its burst, and serves it again as tokens come back', async () => {
    const key = await newKey();
    for (let i = 0; i < 3; i++) assert.equal((await describeGateways(key)).$metadata.httpStatusCode, 200);
    const e = await ec2Failure(describeGateways(key));
    assert.deepEqual([e.status, e.name, e.message], [503, 'RequestLimitExceeded', 'Request limit exceeded.']);
    clock.advance(1000);
    assert.equal((await describeGateways(key)).$metadata.httpStatusCode, 200);
    assert.equal((await ec2Failure(describeGateways(key))).name, 'RequestLimitExceeded');
  });

  it('answers Huawei VPN.0030 with 429 and Retry-After in the Huawei dialect and the extension API alike', async () => {
    const key = await newKey();
    const client = new HuaweiTestClient(server.endpoint, key.ak, key.sk, TEST_PROJECT);
    for (let i = 0; i < 3; i++) assert.equal((await client.call('GET', '/vpn-gateways')).status, 200);
    const sdk = await client.call('GET', '/vpn-gateways');
    const busy = 'system busy: too many requests for this access key, retry later';
    assert.deepEqual([sdk.status, sdk.errorCode, sdk.errorMsg], [429, 'VPN.0030', busy]);
    for (const base of ['/v5', '/sitevpn/v1/projects'] as const) {
      const r = await huaweiRaw(key, base);
      assert.deepEqual([r.status, r.json.error_code, r.json.error_msg, r.headers.get('retry-after')], [429, 'VPN.0030', busy, '1']);
      assert.equal(r.headers.get('x-request-id'), r.json.request_id);
    }
  });

  it('counts every dialect against the same key, and no key against another', async () => {
    const key = await newKey();
    const other = await newKey();
    assert.equal((await describeGateways(key)).$metadata.httpStatusCode, 200);
    assert.equal((await huaweiRaw(key)).status, 200);
    assert.equal((await huaweiRaw(key, '/sitevpn/v1/projects')).status, 200);
    assert.equal((await ec2Failure(describeGateways(key))).name, 'RequestLimitExceeded');
    assert.equal((await huaweiRaw(other)).status, 200);
    assert.equal((await describeGateways(other)).$metadata.httpStatusCode, 200);
  });

  it('spends nothing of a key on requests whose signature fails', async () => {
    const key = await newKey();
    for (let i = 0; i < 10; i++) {
      assert.equal((await ec2Failure(describeGateways(key, 'not-the-secret'))).name, 'AuthFailure');
      assert.equal((await huaweiRaw({ ak: key.ak, sk: 'not-the-secret' })).status, 401);
    }
    for (let i = 0; i < 3; i++) assert.equal((await describeGateways(key)).$metadata.httpStatusCode, 200);
  });

  it('is off by default', async () => {
    assert.deepEqual(loadConfig({}).rateLimit, { perSecond: 0, burst: 1 });
    const plain = await startTestServer({}, { clock: new ManualClock(Date.now()) });
    try {
      for (let i = 0; i < 20; i++) assert.equal((await plain.huawei.call('GET', '/vpn-gateways')).status, 200);
    } finally {
      await plain.close();
    }
  });

  it('reads rate and burst from the environment and refuses nonsense', () => {
    assert.deepEqual(loadConfig({ SITEVPN_RATE_LIMIT_PER_SECOND: '20', SITEVPN_RATE_LIMIT_BURST: '50' }).rateLimit, {
      perSecond: 20,
      burst: 50,
    });
    assert.deepEqual(loadConfig({ SITEVPN_RATE_LIMIT_PER_SECOND: '20' }).rateLimit, { perSecond: 20, burst: 40 });
    assert.throws(
      () => loadConfig({ SITEVPN_RATE_LIMIT_PER_SECOND: '-1' }),
      /SITEVPN_RATE_LIMIT_PER_SECOND must be an integer from 0 to 1000000, got "-1"/,
    );
    assert.throws(
      () => loadConfig({ SITEVPN_RATE_LIMIT_BURST: 'lots' }),
      /SITEVPN_RATE_LIMIT_BURST must be an integer from 1 to 10000000, got "lots"/,
    );
  });
});
