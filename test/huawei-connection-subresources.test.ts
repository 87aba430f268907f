// The sub-resources of a Huawei VPN connection: the negotiation log, reset and the IPsec SAs,
// through the Huawei SDK's signer against a real server on the simulated data plane.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { startHeldServer } from './support/held.ts';
import { HuaweiTestClient } from './support/huawei-client.ts';
import { eventually, startTestServer, TEST_PROJECT, type TestServer } from './support/server.ts';

let server: TestServer;
before(async () => (server = await startTestServer({ simulatedDelayMs: 20 })));
after(() => server.close());

async function statusOf(id: string): Promise<string> {
  return (await server.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status;
}

async function activeConnection(extra: Record<string, unknown> = {}): Promise<string> {
  const { gateway, cgw } = await gatewayPair(server);
  const id = (await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw, extra))).body.vpn_connection.id;
  await eventually(async () => (await statusOf(id)) === 'ACTIVE');
  return id;
}

describe('GET vpn-connection/{id}/log', () => {
  it('returns the negotiation log lines with epoch-second times and Huawei-style raw messages', async () => {
    const id = await activeConnection();
    const r = await server.huawei.call('GET', `/vpn-connection/${id}/log`);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body).sort(), ['logs', 'request_id']);
    assert.ok(r.body.logs.length > 3);
    for (const log of r.body.logs) {
      assert.deepEqual(Object.keys(log).sort(), ['raw_message', 'time']);
      assert.equal(Number.isInteger(log.time), true);
      assert.match(log.raw_message, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 host-\d+-\d+-\d+-\d+ ipsec_ike: (gateway|device): /);
    }
    assert.ok(
      r.body.logs.some((l: { raw_message: string }) => l.raw_message.includes('CHILD_SA') && l.raw_message.includes('established')),
    );
  });

  it('returns only the newest lines when a limit is given', async () => {
    const id = await activeConnection();
    const all = (await server.huawei.call('GET', `/vpn-connection/${id}/log`)).body.logs;
    const two = (await server.huawei.call('GET', `/vpn-connection/${id}/log`, undefined, { limit: '2' })).body.logs;
    assert.deepEqual(two, all.slice(-2));
  });

  it('refuses a limit outside 1 to 1000', async () => {
    const id = await activeConnection();
    for (const limit of ['0', '1001', 'ten', '-1']) {
      const r = await server.huawei.call('GET', `/vpn-connection/${id}/log`, undefined, { limit });
      assert.equal(r.status, 400);
      assert.equal(r.errorCode, 'VPN.0001');
      assert.equal(r.errorMsg, 'invalid request: limit must be an integer from 1 to 1000');
    }
  });

  it('answers VPN.0004 for an unknown connection', async () => {
    const r = await server.huawei.call('GET', '/vpn-connection/5a8c6b39-0000-4000-8000-000000000000/log');
    assert.equal(r.status, 404);
    assert.equal(r.errorCode, 'VPN.0004');
    assert.equal(r.errorMsg, 'resource not found: vpn connection 5a8c6b39-0000-4000-8000-000000000000 does not exist');
  });
});

describe('POST vpn-connection/{id}/reset', () => {
  it('answers 200 with only a request id, then goes PENDING_UPDATE and back to ACTIVE', async () => {
    // On a held data plane, time moves only when the test says so: PENDING_UPDATE cannot be missed.
    const held = await startHeldServer();
    const status = async (id: string) => (await held.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status;
    const settle = async () => {
      held.clock.advance(1000);
      await held.app.reconciler.idle();
    };
    try {
      const { gateway, cgw } = await gatewayPair(held);
      const id = (await held.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection.id;
      await settle();
      assert.equal(await status(id), 'ACTIVE');
      const before = (await held.huawei.call('GET', `/vpn-connection/${id}/log`)).body.logs.length;
      const r = await held.huawei.call('POST', `/vpn-connection/${id}/reset`);
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.body), ['request_id']);
      assert.equal(await status(id), 'PENDING_UPDATE');
      await settle();
      assert.equal(await status(id), 'ACTIVE');
      const after = (await held.huawei.call('GET', `/vpn-connection/${id}/log`)).body.logs.length;
      assert.ok(after > before, 'the renegotiation wrote a new log');
    } finally {
      await held.close();
    }
  });

  it('refuses a reset while the connection is still pending', async () => {
    // The data plane is held: its clock never moves, so the connection stays PENDING_CREATE.
    const held = await startHeldServer();
    try {
      const { gateway, cgw } = await gatewayPair(held);
      const id = (await held.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection.id;
      const r = await held.huawei.call('POST', `/vpn-connection/${id}/reset`);
      assert.deepEqual([r.status, r.errorCode, r.errorMsg], [400, 'VPN.0030', 'The system is busy, please try later.']);
      assert.equal((await held.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status, 'PENDING_CREATE');
    } finally {
      await held.close();
    }
  });

  it('refuses a reset by a read-only key with VPN.0003', async () => {
    const id = await activeConnection();
    const key = await server.app.services.tenants.createKey(undefined, 'read-only', 'reader');
    const reader = new HuaweiTestClient(server.endpoint, key.accessKeyId, key.secret, TEST_PROJECT);
    const r = await reader.call('POST', `/vpn-connection/${id}/reset`);
    assert.equal(r.status, 403);
    assert.equal(r.errorCode, 'VPN.0003');
    assert.equal(r.errorMsg, "Authentication failed: Policy doesn't allow vpn:vpnConnections:reset to be performed.");
  });
});

describe('GET vpn-connection/{id}/ipsec-sa', () => {
  it('lists one SA per selector pair of the established CHILD_SA, with zero counters', async () => {
    const id = await activeConnection({
      peer_subnets: ['192.168.1.0/24', '192.168.2.0/24'],
      policy_rules: [{ rule_index: 1, source: '10.0.0.0/24', destination: ['192.168.1.0/24', '192.168.2.0/24'] }],
    });
    const r = await server.huawei.call('GET', `/vpn-connection/${id}/ipsec-sa`);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body).sort(), ['request_id', 'sa_infos']);
    const pairs = r.body.sa_infos.map((s: { source_ip_cidr: string; dest_ip_cidr: string }) => `${s.source_ip_cidr} ${s.dest_ip_cidr}`);
    assert.deepEqual(pairs, ['10.0.0.0/24 192.168.1.0/24', '10.0.0.0/24 192.168.2.0/24']);
    for (const sa of r.body.sa_infos) {
      assert.match(sa.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual([sa.packets_sent, sa.packets_recv, sa.traffic_sent, sa.traffic_recv], [0, 0, 0, 0]);
      assert.match(sa.collected_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const again = await server.huawei.call('GET', `/vpn-connection/${id}/ipsec-sa`);
    assert.deepEqual(
      again.body.sa_infos.map((s: { id: string }) => s.id),
      r.body.sa_infos.map((s: { id: string }) => s.id),
    );
  });

  it('lists no SA while the tunnel is not up', async () => {
    // Held: the negotiation stays pending however slow the machine is.
    const held = await startHeldServer();
    try {
      const { gateway, cgw } = await gatewayPair(held);
      const id = (await held.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection.id;
      const r = await held.huawei.call('GET', `/vpn-connection/${id}/ipsec-sa`);
      assert.deepEqual(r.body.sa_infos, []);
    } finally {
      await held.close();
    }
  });

  it('answers VPN.0004 for another project', async () => {
    const id = await activeConnection();
    const r = await server.huawei.call('GET', `/vpn-connection/${id}/ipsec-sa`, undefined, {}, 'ffffffffffffffffffffffffffffffff');
    assert.equal(r.status, 404);
    assert.equal(r.errorMsg, 'resource not found: project ffffffffffffffffffffffffffffffff does not exist');
  });
});
