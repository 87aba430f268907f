// Fault injection through the sitevpn extension API, on simulated time: the server runs on a
// ManualClock that the test advances, so DPD and retry timers fire without waiting for them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataplaneDriver } from '../src/dataplane/driver.ts';
import { SimulatedDriver } from '../src/dataplane/simulated/engine/simulated-driver.ts';
import { ManualClock } from '../src/domain/manual-clock.ts';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { eventually, startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

const DELAY_MS = 10;
// Huawei's default DPD: probes after 30 s idle, dead 15 s later.
const DPD_MS = 45_000;

// Signatures carry the real time, so the simulated clock starts now.
const clock = new ManualClock(Date.now());
let server: TestServer;
before(async () => (server = await startTestServer({ simulatedDelayMs: DELAY_MS }, { clock })));
after(() => server.close());

function ext(server: TestServer, method: string, path: string, data?: unknown, key = { ak: TEST_AK, sk: TEST_SK }) {
  return send(signHuawei({ endpoint: server.endpoint, method, path: `/sitevpn/v1/projects/${TEST_PROJECT}${path}`, data, ...key }));
}

const fault = (id: string, body: unknown, key?: { ak: string; sk: string }) =>
  ext(server, 'POST', `/vpn-connections/${id}/faults`, body, key);

/** Moves simulated time on and waits until the reconciler has stored what happened. */
async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  await server.app.reconciler.idle();
}

async function statusOf(id: string): Promise<string> {
  return (await server.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status;
}

async function kinds(id: string): Promise<string[]> {
  return (await ext(server, 'GET', `/vpn-connections/${id}/history`)).json.history.map((h: { kind: string }) => h.kind);
}

async function activeConnection() {
  const { gateway, cgw } = await gatewayPair(server);
  const id = (await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection.id as string;
  await advance(DELAY_MS);
  await eventually(async () => (await statusOf(id)) === 'ACTIVE');
  return { id, cgw };
}

describe('POST vpn-connections/{id}/faults', () => {
  it('takes a tunnel DOWN once DPD gives up on an unreachable peer, and back up once it answers', async () => {
    const { id } = await activeConnection();
    const r = await fault(id, { fault: 'peer-unreachable' });
    assert.equal(r.status, 202);
    assert.equal(r.json.fault, 'peer-unreachable');
    assert.equal(r.json.tunnel_ids.length, 1);
    await advance(DPD_MS - 1000);
    assert.equal(await statusOf(id), 'ACTIVE');
    await advance(1000 + DELAY_MS);
    await eventually(async () => (await statusOf(id)) === 'DOWN');
    const history = (await ext(server, 'GET', `/vpn-connections/${id}/history`)).json.history;
    const dpd = history.find((h: { kind: string }) => h.kind === 'dpd-timeout');
    assert.equal(dpd.detail, 'DPD timeout: no answer for 45 s (interval 30 s + timeout 15 s); action restart, re-initiating');
    assert.deepEqual(
      history.map((h: { kind: string }) => h.kind),
      ['ike-up', 'dpd-timeout', 'peer-timeout'],
    );
    assert.equal((await fault(id, { fault: 'peer-reachable' })).status, 202);
    await advance(200_000);
    await eventually(async () => (await statusOf(id)) === 'ACTIVE');
  });

  it('starts DPD when a device profile says the peer is unreachable', async () => {
    const { id, cgw } = await activeConnection();
    const profile = {
      ike_versions: ['v2'],
      ike_proposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], dh_groups: [15] }],
      esp_proposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], pfs_groups: [15] }],
      reachable: false,
    };
    assert.equal((await ext(server, 'PUT', `/customer-gateways/${cgw.id}/device-profile`, { device_profile: profile })).status, 200);
    assert.equal(await statusOf(id), 'ACTIVE');
    await advance(DPD_MS + DELAY_MS);
    await eventually(async () => (await statusOf(id)) === 'DOWN');
    assert.deepEqual((await kinds(id)).slice(0, 2), ['ike-up', 'dpd-timeout']);
  });

  it('forces a rekey that shows up in the history while the tunnel stays ACTIVE', async () => {
    const { id } = await activeConnection();
    assert.equal((await fault(id, { fault: 'force-rekey', tunnel_index: 0 })).status, 202);
    await server.app.reconciler.idle();
    await eventually(async () => (await kinds(id)).join() === 'ike-up,ike-rekey');
    assert.equal(await statusOf(id), 'ACTIVE');
  });

  it('forces a DPD timeout, after which the gateway re-initiates', async () => {
    const { id } = await activeConnection();
    assert.equal((await fault(id, { fault: 'dpd-timeout' })).status, 202);
    await server.app.reconciler.idle();
    await eventually(async () => (await statusOf(id)) === 'DOWN');
    const history = (await ext(server, 'GET', `/vpn-connections/${id}/history`)).json.history;
    assert.equal(history[1].detail, 'DPD timeout: forced by an injected dpd-timeout fault; action restart, re-initiating');
    await advance(DELAY_MS);
    await eventually(async () => (await statusOf(id)) === 'ACTIVE');
  });

  it('refuses a full key and a read-only key with VPN.0003', async () => {
    const { id } = await activeConnection();
    for (const policy of ['full', 'read-only'] as const) {
      const key = await server.app.services.tenants.createKey(undefined, policy, policy);
      const r = await fault(id, { fault: 'peer-unreachable' }, { ak: key.accessKeyId, sk: key.secret });
      assert.equal(r.status, 403);
      assert.deepEqual(
        [r.json.error_code, r.json.error_msg],
        ['VPN.0003', 'Authentication failed: You are not authorized to perform this operation: InjectFault'],
      );
    }
    assert.equal(await statusOf(id), 'ACTIVE');
  });

  it('accepts an admin key other than the bootstrap one', async () => {
    const { id } = await activeConnection();
    const key = await server.app.services.tenants.createKey(undefined, 'admin', 'tester');
    assert.equal((await fault(id, { fault: 'force-rekey' }, { ak: key.accessKeyId, sk: key.secret })).status, 202);
  });

  const invalid: [string, unknown, string][] = [
    ['an unknown fault', { fault: 'explode' }, 'fault must be one of peer-unreachable, peer-reachable, force-rekey, dpd-timeout'],
    ['a missing fault', { tunnel_index: 0 }, 'fault is required'],
    ['a negative tunnel index', { fault: 'force-rekey', tunnel_index: -1 }, 'tunnel_index must be an integer of at least 0'],
    ['a fractional tunnel index', { fault: 'force-rekey', tunnel_index: 0.5 }, 'tunnel_index must be an integer of at least 0'],
    ['an unknown field', { fault: 'force-rekey', when: 'now' }, 'when is not a valid field'],
  ];
  for (const [what, body, message] of invalid) {
    it(`refuses ${what} with VPN.0001 "${message}"`, async () => {
      const { id } = await activeConnection();
      const r = await fault(id, body);
      assert.deepEqual([r.status, r.json.error_code, r.json.error_msg], [400, 'VPN.0001', `invalid request: ${message}`]);
    });
  }

  it('refuses a tunnel index the connection does not have', async () => {
    const { id } = await activeConnection();
    const r = await fault(id, { fault: 'force-rekey', tunnel_index: 1 });
    assert.deepEqual([r.status, r.json.error_msg], [400, `invalid request: vpn connection ${id} has no tunnel with index 1`]);
  });

  it('answers VPN.0004 for an unknown connection', async () => {
    const r = await fault('5a8c6b39-0000-4000-8000-000000000000', { fault: 'force-rekey' });
    assert.deepEqual(
      [r.status, r.json.error_msg],
      [404, 'resource not found: vpn connection 5a8c6b39-0000-4000-8000-000000000000 does not exist'],
    );
  });
});

describe('fault injection on a data plane without it', () => {
  it('answers 400 when the data plane cannot inject faults', async () => {
    const inner = new SimulatedDriver(clock, { negotiationDelayMs: DELAY_MS });
    const plain: DataplaneDriver = {
      name: 'plain',
      validate: (intent) => inner.validate(intent),
      start: (listener) => inner.start(listener),
      apply: (intent) => inner.apply(intent),
      remove: (id) => inner.remove(id),
      stop: () => inner.stop(),
    };
    const other = await startTestServer({ simulatedDelayMs: DELAY_MS }, { clock, dataplane: plain });
    try {
      const { gateway, cgw } = await gatewayPair(other);
      const id = (await other.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection.id;
      const r = await ext(other, 'POST', `/vpn-connections/${id}/faults`, { fault: 'peer-unreachable' });
      assert.deepEqual(
        [r.status, r.json.error_code, r.json.error_msg],
        [400, 'VPN.0562', 'The current gateway version does not support this feature: the plain data plane cannot inject faults'],
      );
    } finally {
      await other.close();
    }
  });
});
