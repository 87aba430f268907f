// Gateway leases on PostgreSQL (issue 13), driven with explicit times: a lease "expires" because a
// heartbeat is called with a later `now`, never because a test sleeps. Also: a connection whose
// gateway's lease expired reads as stale, and a GatewayOwner syncs exactly its gateways' tunnels.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/domain/manual-clock.ts';
import { connectionStatus } from '../src/domain/status.ts';
import { PostgresStore } from '../src/store/postgres/postgres-store.ts';
import { SecretBox } from '../src/store/secret-box.ts';
import { postgresSkipReason, startPostgres, type TestPostgres } from './support/postgres.ts';
import { cgwFixture, connectionFixture, gatewayFixture, tenantFixture } from './support/store-fixtures.ts';

const box = new SecretBox(randomBytes(32));
const TTL = 15_000;
const T0 = Date.UTC(2026, 0, 1);

const skip = postgresSkipReason();
describe('gateway leases on PostgreSQL', { skip }, () => {
  let server: TestPostgres;
  const stores: PostgresStore[] = [];
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    for (const s of stores) await s.close();
    await server?.stop();
  });

  async function fresh(clock = new ManualClock(T0)) {
    const store = await PostgresStore.open(await server.createDatabase(), box, { clock });
    stores.push(store);
    const { tenant, project, key } = tenantFixture();
    await store.createTenant(tenant, project, key);
    let ip = 0;
    const gateway = async () => {
      const g = gatewayFixture(project, [`203.0.113.${++ip}`]);
      await store.insertGateway(g);
      return g;
    };
    return { store, project, clock, gateway };
  }

  it('shares free gateways between live instances and gives each one owner', async () => {
    const { store, gateway } = await fresh();
    assert.deepEqual(await store.leases.heartbeat({ id: 'a' }, T0, TTL), []);
    assert.deepEqual(await store.leases.heartbeat({ id: 'b' }, T0, TTL), []);
    for (let i = 0; i < 4; i++) await gateway();
    const a = await store.leases.heartbeat({ id: 'a' }, T0 + 1, TTL);
    const b = await store.leases.heartbeat({ id: 'b' }, T0 + 1, TTL);
    assert.deepEqual([a.length, b.length], [2, 2], 'each takes its share of two live instances');
    assert.equal(new Set([...a, ...b].map((g) => g.gatewayId)).size, 4, 'no gateway has two owners');
    assert.equal((await store.leases.heartbeat({ id: 'a' }, T0 + 2, TTL)).length, 2, 'a renewal keeps the same share');
  });

  it('gives every gateway to an instance alone', async () => {
    const { store, gateway } = await fresh();
    for (let i = 0; i < 3; i++) await gateway();
    assert.equal((await store.leases.heartbeat({ id: 'a' }, T0, TTL)).length, 3);
  });

  it('lets another instance take over a lease its owner stopped renewing, and only once it expired', async () => {
    const { store, gateway } = await fresh();
    const g = await gateway();
    assert.deepEqual(
      (await store.leases.heartbeat({ id: 'a' }, T0, TTL)).map((o) => o.gatewayId),
      [g.id],
    );
    assert.deepEqual(await store.leases.heartbeat({ id: 'b' }, T0 + TTL - 1, TTL), [], 'a live lease is not taken');
    // a renews no more; at its expiry b takes over.
    assert.deepEqual(
      (await store.leases.heartbeat({ id: 'b' }, T0 + TTL, TTL)).map((o) => o.gatewayId),
      [g.id],
    );
    assert.deepEqual(await store.leases.heartbeat({ id: 'a' }, T0 + TTL + 1, TTL), [], 'a comes back to find it taken');
  });

  it('keeps a gateway on the host that first held it', async () => {
    const { store, gateway } = await fresh();
    const g = await gateway();
    await store.leases.heartbeat({ id: 'a', host: 'h1' }, T0, TTL);
    assert.deepEqual(await store.leases.heartbeat({ id: 'b', host: 'h2' }, T0 + TTL, TTL), [], 'another host never takes it');
    assert.deepEqual(await store.leases.heartbeat({ id: 'c' }, T0 + TTL, TTL), [], 'nor does an unbound instance');
    assert.deepEqual(
      (await store.leases.heartbeat({ id: 'd', host: 'h1' }, T0 + TTL, TTL)).map((o) => o.gatewayId),
      [g.id],
    );
  });

  it('frees a released gateway at once and drops the lease with its gateway', async () => {
    const { store, gateway, project } = await fresh();
    const g = await gateway();
    await store.leases.heartbeat({ id: 'a' }, T0, TTL);
    await store.leases.release('a');
    assert.deepEqual(
      (await store.leases.heartbeat({ id: 'b' }, T0 + 1, TTL)).map((o) => o.gatewayId),
      [g.id],
    );
    await store.deleteGateway(project.tenantId, g.id);
    assert.deepEqual(await store.leases.heartbeat({ id: 'b' }, T0 + 2, TTL), []);
  });

  it('reads a connection as stale, with a reason, while its gateway lease is expired and not taken over', async () => {
    const { store, gateway, project, clock } = await fresh();
    const g = await gateway();
    const cgw = cgwFixture(project);
    await store.insertCustomerGateway(cgw);
    const c = connectionFixture(project, g, cgw);
    await store.insertConnection(c);
    assert.equal((await store.getConnection(project.tenantId, c.id))!.tunnels[0].observed.stale, undefined, 'no lease at all: not stale');
    await store.leases.heartbeat({ id: 'a' }, T0, TTL);
    assert.equal((await store.getConnection(project.tenantId, c.id))!.tunnels[0].observed.stale, undefined, 'a live lease: not stale');
    clock.advance(TTL);
    const stale = (await store.getConnection(project.tenantId, c.id))!;
    assert.equal(
      stale.tunnels[0].observed.stale,
      `status stale: the data plane instance owning ${g.id} stopped renewing its lease at ${new Date(T0 + TTL).toISOString()}; showing the last observation until another instance takes over`,
    );
    assert.equal(connectionStatus(stale), 'UNKNOWN');
    const listed = await store.listConnections(project.tenantId, { projectId: project.id }, { limit: 10 });
    assert.ok(listed.items[0].tunnels.every((t) => t.observed.stale));
    // Written back, the marker is never stored.
    await store.updateConnection(stale);
    await store.leases.heartbeat({ id: 'b' }, clock.now(), TTL);
    assert.equal((await store.getConnection(project.tenantId, c.id))!.tunnels[0].observed.stale, undefined, 'taken over: current again');
  });
});
