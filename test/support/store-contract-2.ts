// The store contract, second half: listing and paging, retirement, observations, monitors,
// quotas under concurrent creates, optimistic concurrency, and (for multi-process stores) two
// store instances on one database.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { TunnelObservation, VpnConnection } from '../../src/domain/entities.ts';
import { DomainError } from '../../src/domain/errors.ts';
import type { Ctx, StoreHarness } from './store-contract.ts';
import { isDomainError } from './store-contract.ts';
import { at, cgwFixture, connectionFixture, gatewayFixture, tenantFixture } from './store-fixtures.ts';

const quotaError = () => new DomainError('QuotaExceeded', 'the quota of 5 is used up');

async function settledCount(promises: Promise<unknown>[]): Promise<{ ok: number; quota: number; other: unknown[] }> {
  const results = await Promise.allSettled(promises);
  const other = results.filter((r) => r.status === 'rejected' && !(r.reason instanceof DomainError && r.reason.code === 'QuotaExceeded'));
  return {
    ok: results.filter((r) => r.status === 'fulfilled').length,
    quota: results.filter((r) => r.status === 'rejected' && r.reason instanceof DomainError && r.reason.code === 'QuotaExceeded').length,
    other: other.map((r) => (r as PromiseRejectedResult).reason),
  };
}

export function contractPart2(ctx: Ctx, h: StoreHarness): void {
  it('filters connections by project, gateway, customer gateway, outside IP, EIP id, enterprise project and ids', async () => {
    const s = await ctx.scene();
    const vgw2 = gatewayFixture(s.project, [ctx.ip(), ctx.ip()], { enterpriseProjectId: 'eps-2' });
    await ctx.store.insertGateway(vgw2);
    const cgw2 = cgwFixture(s.project);
    await ctx.store.insertCustomerGateway(cgw2);
    const a = s.connection();
    const b = connectionFixture(s.project, vgw2, cgw2);
    const c = connectionFixture(s.project, s.vgw, cgw2);
    for (const x of [a, b, c]) await ctx.store.insertConnection(x);
    const ids = async (f: Parameters<typeof ctx.store.listConnections>[1]) =>
      (await ctx.store.listConnections(s.tenant.id, f)).items.map((x) => x.id);
    assert.deepEqual(await ids({}), [a.id, b.id, c.id]);
    assert.deepEqual(await ids({ projectId: s.project.id }), [a.id, b.id, c.id]);
    assert.deepEqual(await ids({ projectId: 'f'.repeat(32) }), []);
    assert.deepEqual(await ids({ vgwId: vgw2.id }), [b.id]);
    assert.deepEqual(await ids({ cgwId: cgw2.id }), [b.id, c.id]);
    assert.deepEqual(await ids({ vgwId: s.vgw.id, cgwId: cgw2.id }), [c.id]);
    assert.deepEqual(await ids({ outsideIp: vgw2.outsideIps[1].ip }), [b.id]);
    assert.deepEqual(await ids({ outsideIpId: a.tunnels[0].outsideIpId }), [a.id, c.id]);
    assert.deepEqual(await ids({ enterpriseProjectId: 'eps-2' }), [b.id]);
    assert.deepEqual(await ids({ ids: [c.id, a.id, 'nope'] }), [a.id, c.id]);
    assert.deepEqual(await ids({ ids: [] }), []);
    const other = tenantFixture();
    await ctx.store.createTenant(other.tenant, other.project, other.key);
    assert.deepEqual((await ctx.store.listConnections(other.tenant.id, {})).items, []);
  });

  it('pages with markers through every connection exactly once in creation order, with the total', async () => {
    const s = await ctx.scene();
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = s.connection();
      await ctx.store.insertConnection(c);
      made.push(c.id);
    }
    const seen: string[] = [];
    let marker: string | undefined;
    const totals: number[] = [];
    for (let pages = 0; pages < 10; pages++) {
      const page = await ctx.store.listConnections(s.tenant.id, { projectId: s.project.id }, { limit: 3, marker });
      seen.push(...page.items.map((c) => c.id));
      totals.push(page.total);
      assert.deepEqual(
        page.items.map((c) => c.tunnels.length),
        page.items.map(() => 2),
      );
      marker = page.nextMarker;
      if (!marker) break;
    }
    assert.deepEqual(seen, made);
    assert.deepEqual(totals, [7, 7, 7]);
    const exact = await ctx.store.listConnections(s.tenant.id, {}, { limit: 7 });
    assert.equal(exact.nextMarker, undefined);
  });

  it("refuses an unknown marker, or another tenant's, with InvalidParameter", async () => {
    const s = await ctx.scene();
    const c = s.connection();
    await ctx.store.insertConnection(c);
    await assert.rejects(
      ctx.store.listConnections(s.tenant.id, {}, { limit: 2, marker: 'no-such-id' }),
      isDomainError('InvalidParameter', 'invalid marker no-such-id'),
    );
    const other = tenantFixture();
    await ctx.store.createTenant(other.tenant, other.project, other.key);
    await assert.rejects(
      ctx.store.listConnections(other.tenant.id, {}, { limit: 2, marker: c.id }),
      isDomainError('InvalidParameter', `invalid marker ${c.id}`),
    );
  });

  it('keeps the recorded observation on an update of names and replaces it with a new generation', async () => {
    const s = await ctx.scene();
    const c = s.connection();
    await ctx.store.insertConnection(c);
    const up: TunnelObservation = {
      provisioning: 'available',
      ikeStatus: 'UP',
      statusMessage: 'up',
      lastStatusChange: at(),
      generation: 1,
    };
    await ctx.store.recordObservation(c.tunnels[0].id, 1, () => up, []);
    const read = (await ctx.store.getConnection(s.tenant.id, c.id))!;
    const renamed: VpnConnection = { ...read, name: 'renamed', tags: [{ key: 'k', value: 'v' }], tunnels: c.tunnels };
    await ctx.store.updateConnection(renamed);
    let now = (await ctx.store.getConnection(s.tenant.id, c.id))!;
    assert.equal(now.name, 'renamed');
    assert.deepEqual(now.tags, [{ key: 'k', value: 'v' }]);
    assert.deepEqual(now.tunnels[0].observed, up);
    const pending: TunnelObservation = {
      provisioning: 'pending',
      ikeStatus: 'DOWN',
      statusMessage: 'renegotiating',
      lastStatusChange: at(),
      generation: 2,
    };
    await ctx.store.updateConnection({
      ...now,
      tunnels: [{ ...now.tunnels[0], generation: 2, psk: 'new-psk', observed: pending }, now.tunnels[1]],
    });
    now = (await ctx.store.getConnection(s.tenant.id, c.id))!;
    assert.deepEqual([now.tunnels[0].generation, now.tunnels[0].psk, now.tunnels[0].observed], [2, 'new-psk', pending]);
  });

  it('records an observation of the current generation with its events and what it settles, and ignores a stale one', async () => {
    const s = await ctx.scene();
    const c = s.connection();
    await ctx.store.insertConnection(c);
    const t = c.tunnels[0];
    const up: TunnelObservation = {
      provisioning: 'available',
      ikeStatus: 'UP',
      statusMessage: 'up',
      lastStatusChange: at(),
      generation: 1,
    };
    const events = [
      { tunnelId: t.id, connectionId: c.id, at: at(), kind: 'ike-up', detail: 'IKE_SA established' },
      { tunnelId: t.id, connectionId: c.id, at: at(), kind: 'log', detail: 'a log line' },
    ];
    const seen: TunnelObservation[] = [];
    const result = await ctx.store.recordObservation(
      t.id,
      1,
      (prev) => (seen.push(prev), up),
      events,
      (conn) => ({ ...conn, state: 'available', pendingOperation: null }),
    );
    assert.deepEqual(seen, [t.observed]);
    assert.deepEqual([result!.state, result!.pendingOperation, result!.tunnels[0].observed], ['available', null, up]);
    const stored = (await ctx.store.getConnection(s.tenant.id, c.id))!;
    assert.deepEqual([stored.state, stored.pendingOperation, stored.tunnels[0].observed], ['available', null, up]);
    assert.deepEqual(await ctx.store.listTunnelEvents(t.id, 10, 'history'), [events[0]]);
    assert.deepEqual(await ctx.store.listTunnelEvents(t.id, 10, 'log'), [events[1]]);
    assert.equal(await ctx.store.recordObservation(t.id, 7, () => assert.fail('a stale generation is not read'), events), undefined);
    assert.equal(await ctx.store.recordObservation('no-such-tunnel', 1, () => up, events), undefined);
    assert.equal((await ctx.store.listTunnelEvents(t.id, 10, 'history')).length, 1);
  });

  it('keeps only the newest events of a tunnel beyond the per-tunnel bound', async () => {
    await ctx.store.close();
    ctx.store = await ctx.h.open({ events: { maxPerTunnel: 3, maxAgeMs: 3600_000 * 24 * 365 * 100, deletedRetentionMs: 3600_000 } });
    const s = await ctx.scene();
    const c = s.connection();
    await ctx.store.insertConnection(c);
    const t = c.tunnels[0];
    for (let i = 0; i < 5; i++) {
      await ctx.store.recordObservation(t.id, 1, (p) => p, [
        { tunnelId: t.id, connectionId: c.id, at: at(), kind: 'note', detail: `e${i}` },
      ]);
    }
    assert.deepEqual(
      (await ctx.store.listTunnelEvents(t.id, 10, 'history')).map((e) => e.detail),
      ['e2', 'e3', 'e4'],
    );
    assert.deepEqual(
      (await ctx.store.listTunnelEvents(t.id, 2, 'history')).map((e) => e.detail),
      ['e3', 'e4'],
    );
  });

  it('retires resources in one step: the live row goes, a copy without PSKs stays until purged', async () => {
    const s = await ctx.scene();
    const c = s.connection();
    await ctx.store.insertConnection(c);
    const kept = s.connection();
    await ctx.store.insertConnection(kept);
    await ctx.store.retire('vpn-connection', c, '2026-02-01T00:00:00.000Z');
    await ctx.store.deleteConnection(s.tenant.id, kept.id);
    assert.equal(await ctx.store.countConnections(s.tenant.id, s.project.id), 0);
    assert.deepEqual(await ctx.store.listConnections(s.tenant.id, { projectId: s.project.id }, { limit: 5 }), {
      items: [],
      total: 0,
      nextMarker: undefined,
    });
    await ctx.store.retire('customer-gateway', s.cgw, '2026-02-02T00:00:00.000Z');
    await ctx.store.retire('vpn-gateway', s.vgw, '2026-02-03T00:00:00.000Z');
    assert.equal(await ctx.store.getConnection(s.tenant.id, c.id), undefined);
    assert.equal(await ctx.store.getCustomerGateway(s.tenant.id, s.cgw.id), undefined);
    assert.equal(await ctx.store.getGateway(s.tenant.id, s.vgw.id), undefined);
    assert.deepEqual(await ctx.store.listAllTunnels(), []);
    const retired = (await ctx.store.getRetired('vpn-connection', s.tenant.id, c.id))!;
    assert.equal(retired.deletedAt, '2026-02-01T00:00:00.000Z');
    assert.deepEqual(
      retired.item.tunnels.map((t) => t.psk),
      ['', ''],
    );
    assert.equal(retired.item.name, c.name);
    assert.equal(await ctx.store.getRetired('vpn-gateway', s.tenant.id, c.id), undefined);
    assert.deepEqual(
      (await ctx.store.listRetired('vpn-gateway', s.tenant.id, s.project.id)).map((r) => r.item.id),
      [s.vgw.id],
    );
    assert.deepEqual(
      (await ctx.store.listRetired('customer-gateway', s.tenant.id, s.project.id)).map((r) => r.item.id),
      [s.cgw.id],
    );
    assert.equal(await ctx.store.purgeRetired('2026-02-02T12:00:00.000Z'), 2);
    assert.equal(await ctx.store.getRetired('vpn-connection', s.tenant.id, c.id), undefined);
    assert.deepEqual((await ctx.store.listRetired('vpn-gateway', s.tenant.id, s.project.id)).length, 1);
  });

  it('records paths of the current generation only, keeps one monitor per connection, and drops both with the connection', async () => {
    const s = await ctx.scene();
    const c = s.connection();
    await ctx.store.insertConnection(c);
    const [t0, t1] = c.tunnels;
    const path = { status: 'UP' as const, detail: 'reachable', at: at() };
    await ctx.store.recordPath(t0.id, 1, path);
    await ctx.store.recordPath(t1.id, 9, path);
    assert.deepEqual([...(await ctx.store.getPaths([t0.id, t1.id]))], [[t0.id, path]]);
    assert.deepEqual(await ctx.store.getPaths([]), new Map());
    const monitor = {
      id: 'mon-1',
      tenantId: s.tenant.id,
      projectId: s.project.id,
      connectionId: c.id,
      sourceIp: '10.0.0.1',
      destinationIp: '192.168.0.1',
      createdAt: at(),
    };
    await ctx.store.insertMonitor(monitor);
    await assert.rejects(
      ctx.store.insertMonitor({ ...monitor, id: 'mon-2' }),
      isDomainError('Duplicate', `vpn connection ${c.id} already has a connection monitor`),
    );
    assert.deepEqual(await ctx.store.getMonitor(s.tenant.id, 'mon-1'), monitor);
    assert.deepEqual(await ctx.store.listMonitors(s.tenant.id, s.project.id), [monitor]);
    assert.deepEqual(await ctx.store.listMonitors(s.tenant.id, s.project.id, 'other'), []);
    await ctx.store.deleteConnection(s.tenant.id, c.id);
    assert.equal(await ctx.store.getMonitor(s.tenant.id, 'mon-1'), undefined);
    assert.deepEqual(await ctx.store.getPaths([t0.id]), new Map());
    const again = s.connection();
    await ctx.store.insertConnection(again);
    await ctx.store.insertMonitor({ ...monitor, id: 'mon-3', connectionId: again.id });
    await ctx.store.deleteMonitor(s.tenant.id, 'mon-3');
    assert.deepEqual(await ctx.store.listMonitors(s.tenant.id, s.project.id), []);
  });

  it('lets exactly 5 of 20 parallel connection creates against a quota of 5 succeed', async () => {
    const s = await ctx.scene();
    const r = await settledCount(
      Array.from({ length: 20 }, () => ctx.store.insertConnection(s.connection(), { limit: 5, exceeded: quotaError })),
    );
    assert.deepEqual(r, { ok: 5, quota: 15, other: [] });
    assert.equal(await ctx.store.countConnections(s.tenant.id, s.project.id), 5);
  });

  it('fills a quota of 5 exactly under 20 parallel gateway creates and 20 customer gateway creates', async () => {
    const s = await ctx.scene();
    const quota = { limit: 5, exceeded: quotaError };
    const gws = await settledCount(Array.from({ length: 20 }, () => ctx.store.insertGateway(gatewayFixture(s.project, [ctx.ip()]), quota)));
    const cgws = await settledCount(Array.from({ length: 20 }, () => ctx.store.insertCustomerGateway(cgwFixture(s.project), quota)));
    assert.deepEqual(
      [gws, cgws],
      [
        { ok: 4, quota: 16, other: [] },
        { ok: 4, quota: 16, other: [] },
      ],
    );
    assert.equal((await ctx.store.listGateways(s.tenant.id, s.project.id)).length, 5);
    assert.equal((await ctx.store.listCustomerGateways(s.tenant.id, s.project.id)).length, 5);
  });

  it('counts the live customer gateways of one project only, and a deleted one no longer', async () => {
    const s = await ctx.scene();
    const before = await ctx.store.countCustomerGateways(s.tenant.id, s.project.id);
    const added = [cgwFixture(s.project), cgwFixture(s.project), cgwFixture(s.project)];
    for (const c of added) await ctx.store.insertCustomerGateway(c);
    assert.equal(await ctx.store.countCustomerGateways(s.tenant.id, s.project.id), before + 3);
    assert.equal(await ctx.store.countCustomerGateways(s.tenant.id, 'no-such-project'), 0);
    assert.equal(await ctx.store.countCustomerGateways('no-such-tenant', s.project.id), 0);
    await ctx.store.deleteCustomerGateway(s.tenant.id, added[0]!.id);
    assert.equal(await ctx.store.countCustomerGateways(s.tenant.id, s.project.id), before + 2);
    assert.equal(
      await ctx.store.countCustomerGateways(s.tenant.id, s.project.id),
      (await ctx.store.listCustomerGateways(s.tenant.id, s.project.id)).length,
    );
  });

  it('refuses the second of two conflicting updates from the same read with IncorrectState, for every mutable kind', async () => {
    const s = await ctx.scene();
    const c = s.connection();
    await ctx.store.insertConnection(c);
    const conflict = (id: string) => isDomainError('IncorrectState', `${id} was changed by another request meanwhile; retry the request`);
    const [c1, c2] = [(await ctx.store.getConnection(s.tenant.id, c.id))!, (await ctx.store.getConnection(s.tenant.id, c.id))!];
    await ctx.store.updateConnection({ ...c1, name: 'first' });
    await assert.rejects(ctx.store.updateConnection({ ...c2, name: 'second' }), conflict(c.id));
    assert.equal((await ctx.store.getConnection(s.tenant.id, c.id))!.name, 'first');
    const [g1, g2] = [(await ctx.store.getGateway(s.tenant.id, s.vgw.id))!, (await ctx.store.listGateways(s.tenant.id))[0]];
    await ctx.store.updateGateway({ ...g1, name: 'first' });
    await assert.rejects(ctx.store.updateGateway({ ...g2, name: 'second' }), conflict(s.vgw.id));
    assert.equal((await ctx.store.getGateway(s.tenant.id, s.vgw.id))!.name, 'first');
    const [k1, k2] = [
      (await ctx.store.getCustomerGateway(s.tenant.id, s.cgw.id))!,
      (await ctx.store.getCustomerGateway(s.tenant.id, s.cgw.id))!,
    ];
    await ctx.store.updateCustomerGateway({ ...k1, name: 'first' });
    await assert.rejects(ctx.store.updateCustomerGateway({ ...k2, name: 'second' }), conflict(s.cgw.id));
    assert.equal((await ctx.store.getCustomerGateway(s.tenant.id, s.cgw.id))!.name, 'first');
    // A writer's own successive updates of the object it wrote are not conflicts.
    const mine = { ...(await ctx.store.getConnection(s.tenant.id, c.id))!, name: 'one' };
    await ctx.store.updateConnection(mine);
    await ctx.store.updateConnection(Object.assign(mine, { name: 'two' }));
    assert.equal((await ctx.store.getConnection(s.tenant.id, c.id))!.name, 'two');
  });

  it('refuses an update read before an observation settled the connection', async () => {
    const s = await ctx.scene();
    const c = s.connection();
    await ctx.store.insertConnection(c);
    const before = (await ctx.store.getConnection(s.tenant.id, c.id))!;
    await ctx.store.recordObservation(
      c.tunnels[0].id,
      1,
      (p) => p,
      [],
      (conn) => ({ ...conn, state: 'available', pendingOperation: null }),
    );
    await assert.rejects(ctx.store.updateConnection({ ...before, name: 'late' }), isDomainError('IncorrectState'));
    // An update of a connection that is gone is not a conflict: there is nothing to overwrite.
    await ctx.store.deleteConnection(s.tenant.id, c.id);
    await ctx.store.updateConnection({ ...before, name: 'late' });
    assert.equal(await ctx.store.getConnection(s.tenant.id, c.id), undefined);
  });

  it("two store instances on one database read each other's writes at once and share quotas, versions and key revocations", {
    skip: !h.openPeer && 'a single-process store',
  }, async () => {
    const peer = await h.openPeer!();
    try {
      const s = await ctx.scene();
      const c = s.connection();
      await ctx.store.insertConnection(c);
      const fromPeer = (await peer.getConnection(s.tenant.id, c.id))!;
      assert.equal(fromPeer.name, c.name);
      const mine = (await ctx.store.getConnection(s.tenant.id, c.id))!;
      await peer.updateConnection({ ...fromPeer, name: 'peer wrote' });
      assert.equal((await ctx.store.getConnection(s.tenant.id, c.id))!.name, 'peer wrote');
      await assert.rejects(ctx.store.updateConnection({ ...mine, name: 'stale' }), isDomainError('IncorrectState'));
      const quota = { limit: 5, exceeded: quotaError };
      const r = await settledCount(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? peer : ctx.store).insertConnection(s.connection(), quota)),
      );
      assert.deepEqual(r, { ok: 4, quota: 16, other: [] });
      assert.equal(await peer.countConnections(s.tenant.id, s.project.id), 5);
      // A key revoked through one instance moves the other's revision (LISTEN/NOTIFY or a read).
      const before = await ctx.store.accessKeyRevision();
      assert.equal(await peer.deleteAccessKey(s.key.accessKeyId), true);
      const deadline = Date.now() + 10_000;
      while ((await ctx.store.accessKeyRevision()) === before) {
        assert.ok(Date.now() < deadline, 'the revision never moved in the other instance');
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal(await ctx.store.getAccessKey(s.key.accessKeyId), undefined);
    } finally {
      await peer.close();
    }
  });
}
