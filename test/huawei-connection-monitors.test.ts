// Connection monitors through the Huawei SDK's signer: create, list (with the vpn_connection_id
// filter), show and delete with Huawei's shapes, and a status that follows the data plane's
// observation of the path through the tunnel, not the connection's status. The data plane is
// held on a manual clock and driven by fault injection: nothing here waits on a timer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Fault } from '../src/dataplane/driver.ts';
import { connectionBody, gatewayPair, testContext } from './support/fixtures.ts';
import { type HeldServer, startHeldServer } from './support/held.ts';
import { HuaweiTestClient } from './support/huawei-client.ts';
import { TEST_PROJECT } from './support/server.ts';

const GONE = '5a8c6b39-0000-4000-8000-000000000000';
// Huawei's default DPD: probes after 30 s idle, dead 15 s later.
const DPD_MS = 45_000;

let server: HeldServer;
before(async () => (server = await startHeldServer()));
after(() => server.close());

/** Moves the held clock on and waits until the reconciler has stored what happened. */
async function advance(ms: number): Promise<void> {
  server.clock.advance(ms);
  await server.app.reconciler.idle();
}

async function fault(connectionId: string, kind: Fault['kind']): Promise<void> {
  await server.app.services.deviceProfiles.injectFault(await testContext(server), connectionId, { kind } as Fault);
  await server.app.reconciler.idle();
}

async function connection(extra: Record<string, unknown> = {}) {
  const { gateway, cgw } = await gatewayPair(server);
  const r = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw, extra));
  assert.equal(r.status, 201, r.errorMsg);
  return { id: r.body.vpn_connection.id as string, gateway, cgw };
}

async function activeConnection(extra: Record<string, unknown> = {}) {
  const c = await connection(extra);
  await advance(1000);
  assert.equal(await connectionStatus(c.id), 'ACTIVE');
  return c;
}

const connectionStatus = async (id: string) => (await server.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status;
const createMonitor = (vpnConnectionId: string) =>
  server.huawei.call('POST', '/connection-monitors', { connection_monitor: { vpn_connection_id: vpnConnectionId } });
const show = (id: string) => server.huawei.call('GET', `/connection-monitors/${id}`);
const monitorStatus = async (id: string) => (await show(id)).body.connection_monitor.status;

describe('POST connection-monitors', () => {
  it('answers 201 with ConnectionMonitorInfo: the gateway and customer gateway addresses of a policy connection', async () => {
    const { id, gateway, cgw } = await activeConnection();
    const r = await createMonitor(id);
    assert.equal(r.status, 201, r.errorMsg);
    const m = r.body.connection_monitor;
    assert.deepEqual(Object.keys(r.body), ['connection_monitor', 'request_id']);
    assert.deepEqual(Object.keys(m), ['id', 'vpn_connection_id', 'type', 'source_ip', 'destination_ip', 'proto_type']);
    assert.match(m.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(
      [m.vpn_connection_id, m.type, m.source_ip, m.destination_ip, m.proto_type],
      [id, 'gateway', gateway.outsideIps[0].ip, cgw.idValue, 'icmp'],
    );
  });

  it('probes between the tunnel interfaces of a connection that has them', async () => {
    const { id } = await activeConnection({
      style: 'static',
      tunnel_local_address: '169.254.56.225/30',
      tunnel_peer_address: '169.254.56.226/30',
    });
    const m = (await createMonitor(id)).body.connection_monitor;
    assert.deepEqual([m.source_ip, m.destination_ip], ['169.254.56.225', '169.254.56.226']);
  });

  it('refuses a second monitor of the same connection with 400 VPN.0031', async () => {
    const { id } = await activeConnection();
    assert.equal((await createMonitor(id)).status, 201);
    const r = await createMonitor(id);
    assert.deepEqual([r.status, r.errorCode, r.errorMsg], [400, 'VPN.0031', 'Repeated operation.']);
  });

  it('answers 404 VPN.0004 for an unknown connection and 400 VPN.0001 for a bad body', async () => {
    const unknown = await createMonitor(GONE);
    assert.deepEqual(
      [unknown.status, unknown.errorCode, unknown.errorMsg],
      [404, 'VPN.0004', `resource not found: vpn connection ${GONE} does not exist`],
    );
    const notUuid = await createMonitor('vpn-1');
    assert.deepEqual(
      [notUuid.status, notUuid.errorCode, notUuid.errorMsg],
      [400, 'VPN.0001', 'invalid request: connection_monitor.vpn_connection_id must be a UUID of 36 characters'],
    );
    const empty = await server.huawei.call('POST', '/connection-monitors', { connection_monitor: {} });
    assert.deepEqual([empty.status, empty.errorMsg], [400, 'invalid request: connection_monitor.vpn_connection_id is required']);
  });

  it("refuses a read-only key with 403 VPN.0003 naming Huawei's action", async () => {
    const { id } = await activeConnection();
    const key = await server.app.services.tenants.createKey(undefined, 'read-only', 'reader');
    const reader = new HuaweiTestClient(server.endpoint, key.accessKeyId, key.secret, TEST_PROJECT);
    const r = await reader.call('POST', '/connection-monitors', { connection_monitor: { vpn_connection_id: id } });
    assert.deepEqual(
      [r.status, r.errorCode, r.errorMsg],
      [403, 'VPN.0003', "Authentication failed: Policy doesn't allow vpn:connectionMonitors:create to be performed."],
    );
  });
});

describe('the status of a connection monitor', () => {
  it('is DOWN while no CHILD_SA is installed, then ACTIVE once probes through the tunnel are answered', async () => {
    const { id } = await connection();
    const m = (await createMonitor(id)).body.connection_monitor;
    await server.app.reconciler.idle();
    assert.deepEqual([await connectionStatus(id), await monitorStatus(m.id)], ['PENDING_CREATE', 'DOWN']);
    await advance(1000);
    assert.deepEqual([await connectionStatus(id), await monitorStatus(m.id)], ['ACTIVE', 'ACTIVE']);
  });

  it('goes DOWN when the path breaks while the IKE and IPsec SAs stay up, and back when it heals', async () => {
    const { id } = await activeConnection();
    const m = (await createMonitor(id)).body.connection_monitor;
    assert.equal(await monitorStatus(m.id), 'ACTIVE');
    await fault(id, 'path-broken');
    assert.deepEqual([await connectionStatus(id), await monitorStatus(m.id)], ['ACTIVE', 'DOWN']);
    await advance(DPD_MS * 2);
    assert.equal(await connectionStatus(id), 'ACTIVE', 'the peer still answers DPD: the SAs stay');
    await fault(id, 'path-restored');
    assert.deepEqual([await connectionStatus(id), await monitorStatus(m.id)], ['ACTIVE', 'ACTIVE']);
  });

  it('goes DOWN at once when the peer stops answering, before DPD takes the tunnel down', async () => {
    const { id } = await activeConnection();
    const m = (await createMonitor(id)).body.connection_monitor;
    await fault(id, 'peer-unreachable');
    assert.deepEqual([await connectionStatus(id), await monitorStatus(m.id)], ['ACTIVE', 'DOWN']);
    await advance(DPD_MS + 1000);
    assert.deepEqual([await connectionStatus(id), await monitorStatus(m.id)], ['DOWN', 'DOWN']);
    await fault(id, 'peer-reachable');
    // The gateway retries once its retransmit window (165 s) is over.
    await advance(200_000);
    assert.deepEqual([await connectionStatus(id), await monitorStatus(m.id)], ['ACTIVE', 'ACTIVE']);
  });

  it('stays DOWN through a renegotiation that keeps a broken path broken', async () => {
    const { id } = await activeConnection();
    const m = (await createMonitor(id)).body.connection_monitor;
    await fault(id, 'path-broken');
    assert.equal((await server.huawei.call('POST', `/vpn-connection/${id}/reset`)).status, 200);
    await advance(1000);
    assert.deepEqual([await connectionStatus(id), await monitorStatus(m.id)], ['ACTIVE', 'DOWN']);
  });
});

describe('GET connection-monitors, GET and DELETE connection-monitors/{id}', () => {
  it('lists every monitor of the project, or those of one connection with vpn_connection_id', async () => {
    const a = await activeConnection();
    const b = await activeConnection();
    const ma = (await createMonitor(a.id)).body.connection_monitor;
    const mb = (await createMonitor(b.id)).body.connection_monitor;
    const all = await server.huawei.call('GET', '/connection-monitors');
    assert.deepEqual(Object.keys(all.body), ['connection_monitors', 'request_id']);
    const ids = all.body.connection_monitors.map((m: { id: string }) => m.id);
    assert.ok(ids.includes(ma.id) && ids.includes(mb.id));
    const one = await server.huawei.call('GET', '/connection-monitors', undefined, { vpn_connection_id: b.id });
    assert.deepEqual(
      one.body.connection_monitors,
      [{ ...mb, status: 'ACTIVE' }].map(({ id, status, ...rest }) => ({ id, status, ...rest })),
    );
    const none = await server.huawei.call('GET', '/connection-monitors', undefined, { vpn_connection_id: GONE });
    assert.deepEqual(none.body.connection_monitors, []);
  });

  it('shows one monitor with its status, in the order of ConnectionMonitorInfo', async () => {
    const { id } = await activeConnection();
    const m = (await createMonitor(id)).body.connection_monitor;
    const r = await show(m.id);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body.connection_monitor), [
      'id',
      'status',
      'vpn_connection_id',
      'type',
      'source_ip',
      'destination_ip',
      'proto_type',
    ]);
    assert.deepEqual(r.body.connection_monitor, {
      id: m.id,
      status: 'ACTIVE',
      vpn_connection_id: id,
      type: 'gateway',
      source_ip: m.source_ip,
      destination_ip: m.destination_ip,
      proto_type: 'icmp',
    });
  });

  it('deletes with 204, after which the monitor is 404 VPN.0004 and the connection may have a new one', async () => {
    const { id } = await activeConnection();
    const m = (await createMonitor(id)).body.connection_monitor;
    const r = await server.huawei.call('DELETE', `/connection-monitors/${m.id}`);
    assert.equal(r.status, 204);
    const gone = await show(m.id);
    assert.deepEqual(
      [gone.status, gone.errorCode, gone.errorMsg],
      [404, 'VPN.0004', `resource not found: connection monitor ${m.id} does not exist`],
    );
    const again = await server.huawei.call('DELETE', `/connection-monitors/${m.id}`);
    assert.deepEqual([again.status, again.errorCode], [404, 'VPN.0004']);
    assert.equal((await createMonitor(id)).status, 201);
  });

  it("takes a connection's monitor away with the connection", async () => {
    const { id } = await activeConnection();
    const m = (await createMonitor(id)).body.connection_monitor;
    assert.equal((await server.huawei.call('DELETE', `/vpn-connection/${id}`)).status, 204);
    assert.equal((await show(m.id)).status, 404);
    const listed = await server.huawei.call('GET', '/connection-monitors', undefined, { vpn_connection_id: id });
    assert.deepEqual(listed.body.connection_monitors, []);
  });

  it("does not show another project's monitors", async () => {
    const { id } = await activeConnection();
    const m = (await createMonitor(id)).body.connection_monitor;
    const key = await server.app.store.getAccessKey((await testContext(server)).accessKeyId);
    const other = 'fedcba9876543210fedcba9876543210';
    await server.app.store.createProject({
      id: other,
      tenantId: key!.tenantId,
      name: 'other',
      region: 'cn-north-4',
      createdAt: new Date().toISOString(),
    });
    const r = await server.huawei.call('GET', `/connection-monitors/${m.id}`, undefined, {}, other);
    assert.deepEqual([r.status, r.errorCode], [404, 'VPN.0004']);
    assert.deepEqual((await server.huawei.call('GET', '/connection-monitors', undefined, {}, other)).body.connection_monitors, []);
  });
});
