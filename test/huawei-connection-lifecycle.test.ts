// Create, update, list with paging and filters, delete: the VPN connection lifecycle through the
// Huawei API, with status following the data plane.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { startHeldServer } from './support/held.ts';
import { eventually, startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
before(async () => (server = await startTestServer({ simulatedDelayMs: 30 })));
after(() => server.close());

async function statusOf(id: string): Promise<string> {
  return (await server.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status;
}

describe('the VPN connection lifecycle', () => {
  it('goes PENDING_CREATE then ACTIVE, and PENDING_UPDATE then ACTIVE after an IKE change', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const created = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw));
    const id = created.body.vpn_connection.id;
    assert.equal(created.body.vpn_connection.status, 'PENDING_CREATE');
    await eventually(async () => (await statusOf(id)) === 'ACTIVE');
    const updated = await server.huawei.call('PUT', `/vpn-connection/${id}`, {
      vpn_connection: { name: 'renamed', ikepolicy: { encryption_algorithm: 'aes-256', dh_group: 'group20' } },
    });
    assert.equal(updated.status, 200);
    const c = updated.body.vpn_connection;
    assert.equal(c.status, 'PENDING_UPDATE');
    assert.equal(c.name, 'renamed');
    assert.deepEqual(
      [c.ikepolicy.encryption_algorithm, c.ikepolicy.dh_group, c.ikepolicy.authentication_algorithm],
      ['aes-256', 'group20', 'sha2-256'],
    );
    assert.notEqual(c.updated_at, created.body.vpn_connection.updated_at);
    await eventually(async () => (await statusOf(id)) === 'ACTIVE');
  });

  it('refuses an update while the connection is still pending', async () => {
    // The data plane is held: its clock never moves, so the connection stays PENDING_CREATE.
    const held = await startHeldServer();
    try {
      const { gateway, cgw } = await gatewayPair(held);
      const created = await held.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw));
      const id = created.body.vpn_connection.id;
      assert.equal((await held.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status, 'PENDING_CREATE');
      const r = await held.huawei.call('PUT', `/vpn-connection/${id}`, { vpn_connection: { name: 'too-early' } });
      assert.deepEqual([r.status, r.errorCode, r.errorMsg], [400, 'VPN.0030', 'The system is busy, please try later.']);
      assert.equal((await held.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.name, created.body.vpn_connection.name);
    } finally {
      await held.close();
    }
  });

  it('keeps the status when only the name changes', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const id = (await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection.id;
    await eventually(async () => (await statusOf(id)) === 'ACTIVE');
    const r = await server.huawei.call('PUT', `/vpn-connection/${id}`, { vpn_connection: { name: 'just-a-name' } });
    assert.equal(r.body.vpn_connection.status, 'ACTIVE');
  });

  it('refuses authentication_method in an update', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const id = (await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection.id;
    await eventually(async () => (await statusOf(id)) === 'ACTIVE');
    const r = await server.huawei.call('PUT', `/vpn-connection/${id}`, {
      vpn_connection: { ikepolicy: { authentication_method: 'pre-share' } },
    });
    assert.equal(r.errorMsg, 'invalid request: vpn_connection.ikepolicy.authentication_method is not a valid field');
  });

  it('refuses a second connection between the same gateway IP and customer gateway', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const first = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw));
    const second = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw));
    assert.equal(first.status, 201);
    assert.deepEqual([second.status, second.errorCode, second.errorMsg], [400, 'VPN.0031', 'Repeated operation.']);
  });

  it('deletes with 204, after which the connection is gone', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const id = (await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection.id;
    const r = await server.huawei.call('DELETE', `/vpn-connection/${id}`);
    assert.equal(r.status, 204);
    assert.equal((await server.huawei.call('GET', `/vpn-connection/${id}`)).status, 404);
    assert.equal((await server.huawei.call('DELETE', `/vpn-connection/${id}`)).status, 404);
  });

  it('stores the PSK encrypted: the database file never holds it in clear', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw, { psk: 'Plaintext-Canary-42' }));
    const files = ['sitevpn.db', 'sitevpn.db-wal'].map((f) => join(server.dataDir, f));
    for (const f of files) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(f);
      } catch {
        continue;
      }
      assert.equal(bytes.includes('Plaintext-Canary-42'), false, `${f} holds the PSK in clear`);
    }
  });
});

describe('GET /v5/{project_id}/vpn-connection', () => {
  it('pages with limit and marker through every connection exactly once', async () => {
    const fresh = await startTestServer();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const { gateway, cgw } = await gatewayPair(fresh);
        ids.push((await fresh.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection.id);
      }
      const seen: string[] = [];
      let marker: string | undefined;
      for (let page = 0; page < 5; page++) {
        const r = await fresh.huawei.call('GET', '/vpn-connection', undefined, marker ? { limit: '2', marker } : { limit: '2' });
        assert.equal(r.status, 200);
        assert.equal(r.body.total_count, 5);
        assert.equal(r.body.page_info.current_count, r.body.vpn_connections.length);
        seen.push(...r.body.vpn_connections.map((c: { id: string }) => c.id));
        marker = r.body.page_info.next_marker;
        if (!marker) break;
      }
      assert.deepEqual(seen, ids);
    } finally {
      await fresh.close();
    }
  });

  it('filters by vgw_id, vgw_ip (EIP id or address) and vpn_id', async () => {
    const a = await gatewayPair(server);
    const b = await gatewayPair(server);
    const ca = (await server.huawei.call('POST', '/vpn-connection', connectionBody(a.gateway, a.cgw))).body.vpn_connection.id;
    const cb = (await server.huawei.call('POST', '/vpn-connection', connectionBody(b.gateway, b.cgw))).body.vpn_connection.id;
    const ids = async (query: Record<string, string>) =>
      (await server.huawei.call('GET', '/vpn-connection', undefined, query)).body.vpn_connections.map((c: { id: string }) => c.id);
    assert.deepEqual(await ids({ vgw_id: a.gateway.id }), [ca]);
    assert.deepEqual(await ids({ vgw_ip: b.gateway.outsideIps[0].id }), [cb]);
    assert.deepEqual(await ids({ vgw_ip: b.gateway.outsideIps[0].ip }), [cb]);
    assert.deepEqual(await ids({ vpn_id: ca }), [ca]);
    assert.deepEqual(await ids({ vgw_id: 'nothing-here' }), []);
  });

  it('refuses a limit outside 1..200 and an unknown marker', async () => {
    for (const limit of ['0', '201', 'ten', '-1']) {
      const r = await server.huawei.call('GET', '/vpn-connection', undefined, { limit });
      assert.equal(r.status, 400);
      assert.equal(r.errorMsg, 'invalid request: limit must be an integer from 1 to 200');
    }
    const r = await server.huawei.call('GET', '/vpn-connection', undefined, { marker: 'no-such-id' });
    assert.equal(r.errorMsg, 'invalid request: invalid marker no-such-id');
  });
});
