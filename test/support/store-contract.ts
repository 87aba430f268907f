// The store contract: one suite of behaviour every Store must have, run unchanged against each
// implementation (test/store-contract.test.ts). Each test opens a fresh, empty store.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { VpnConnection } from '../../src/domain/entities.ts';
import { DomainError } from '../../src/domain/errors.ts';
import type { EventRetention } from '../../src/store/sqlite/event-retention.ts';
import type { Store } from '../../src/store/store.ts';
import { contractPart2 } from './store-contract-2.ts';
import { at, cgwFixture, connectionFixture, gatewayFixture, tenantFixture } from './store-fixtures.ts';

export interface StoreHarness {
  /** A fresh empty store. */
  open(options?: { events?: EventRetention }): Promise<Store>;
  /** A second store on the same database as the last one opened (multi-process stores only). */
  openPeer?(): Promise<Store>;
  /** Called after each test. */
  cleanup(): Promise<void>;
}

export interface Ctx {
  store: Store;
  h: StoreHarness;
  ip(): string;
  /** A tenant with a project, a gateway (two outside IPs) and a customer gateway, stored. */
  scene(): Promise<Scene>;
}

export type Scene = Awaited<ReturnType<typeof makeScene>>;

async function makeScene(store: Store, ip: () => string) {
  const { tenant, project, key } = tenantFixture();
  await store.createTenant(tenant, project, key);
  const vgw = gatewayFixture(project, [ip(), ip()]);
  await store.insertGateway(vgw);
  const cgw = cgwFixture(project);
  await store.insertCustomerGateway(cgw);
  const connection = (extra: Partial<VpnConnection> = {}) => connectionFixture(project, vgw, cgw, extra);
  return { tenant, project, key, vgw, cgw, connection };
}

export function isDomainError(code: string, message?: string) {
  return (err: unknown) => {
    assert.ok(err instanceof DomainError, `expected a DomainError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  };
}

export function storeContract(name: string, h: StoreHarness): void {
  describe(`the ${name} store contract`, () => {
    const ctx = {} as Ctx;
    let n = 0;
    beforeEach(async () => {
      ctx.h = h;
      ctx.store = await h.open();
      ctx.ip = () => `203.0.${Math.floor(++n / 250)}.${(n % 250) + 1}`;
      ctx.scene = () => makeScene(ctx.store, ctx.ip);
    });
    afterEach(async () => {
      await ctx.store.close();
      await h.cleanup();
    });

    it('creates a tenant with its project and key and reads them back with the secret opened', async () => {
      const { tenant, project, key } = tenantFixture();
      await ctx.store.createTenant(tenant, project, key);
      assert.equal(await ctx.store.countTenants(), 1);
      assert.deepEqual(await ctx.store.getTenant(tenant.id), tenant);
      assert.deepEqual(await ctx.store.listTenants(), [tenant]);
      assert.deepEqual(await ctx.store.getProject(project.id), project);
      const second = { ...project, id: 'f'.repeat(32), name: 'second', createdAt: at() };
      await ctx.store.createProject(second);
      assert.deepEqual(await ctx.store.listProjects(tenant.id), [project, second]);
      assert.deepEqual(await ctx.store.getAccessKey(key.accessKeyId), key);
      assert.equal(await ctx.store.getTenant('nobody'), undefined);
    });

    it('leaves nothing of a tenant whose project fails to insert', async () => {
      const first = tenantFixture();
      await ctx.store.createTenant(first.tenant, first.project, first.key);
      const second = tenantFixture();
      // The same project id: the third row of the transaction's three fails.
      await assert.rejects(ctx.store.createTenant(second.tenant, { ...second.project, id: first.project.id }, second.key));
      assert.equal(await ctx.store.getTenant(second.tenant.id), undefined);
      assert.equal(await ctx.store.getAccessKey(second.key.accessKeyId), undefined);
      assert.equal(await ctx.store.countTenants(), 1);
    });

    it('replaces a key on put, lists keys per tenant and deletes a key once', async () => {
      const a = tenantFixture();
      const b = tenantFixture();
      await ctx.store.createTenant(a.tenant, a.project, a.key);
      await ctx.store.createTenant(b.tenant, b.project, b.key);
      const replaced = { ...a.key, secret: 'another-secret', policy: 'read-only' as const, description: 'rotated' };
      await ctx.store.putAccessKey(replaced);
      assert.deepEqual(await ctx.store.getAccessKey(a.key.accessKeyId), replaced);
      assert.deepEqual(await ctx.store.listAccessKeys(a.tenant.id), [replaced]);
      assert.deepEqual((await ctx.store.listAccessKeys()).map((k) => k.accessKeyId).sort(), [a.key.accessKeyId, b.key.accessKeyId].sort());
      assert.equal(await ctx.store.deleteAccessKey(a.key.accessKeyId), true);
      assert.equal(await ctx.store.deleteAccessKey(a.key.accessKeyId), false);
      assert.equal(await ctx.store.getAccessKey(a.key.accessKeyId), undefined);
    });

    it('moves the access-key revision on every key write and keeps it while nothing changes', async () => {
      const { tenant, project, key } = tenantFixture();
      const r0 = await ctx.store.accessKeyRevision();
      await ctx.store.createTenant(tenant, project, key);
      const r1 = await ctx.store.accessKeyRevision();
      assert.notEqual(r1, r0);
      assert.equal(await ctx.store.accessKeyRevision(), r1);
      await ctx.store.putAccessKey({ ...key, policy: 'read-only' });
      const r2 = await ctx.store.accessKeyRevision();
      assert.notEqual(r2, r1);
      await ctx.store.deleteAccessKey(key.accessKeyId);
      assert.notEqual(await ctx.store.accessKeyRevision(), r2);
    });

    it('keeps gateways per tenant and project, updates and deletes them, and tracks their outside IPs', async () => {
      const s = await ctx.scene();
      const other = tenantFixture();
      await ctx.store.createTenant(other.tenant, other.project, other.key);
      assert.deepEqual(await ctx.store.getGateway(s.tenant.id, s.vgw.id), s.vgw);
      assert.equal(await ctx.store.getGateway(other.tenant.id, s.vgw.id), undefined);
      const second = gatewayFixture(s.project, [ctx.ip()], { tags: [{ key: 'env', value: 'prod' }] });
      await ctx.store.insertGateway(second);
      assert.deepEqual(
        (await ctx.store.listGateways(s.tenant.id, s.project.id)).map((g) => g.id),
        [s.vgw.id, second.id],
      );
      assert.deepEqual(
        (await ctx.store.listGateways(s.tenant.id)).map((g) => g.id),
        [s.vgw.id, second.id],
      );
      assert.deepEqual(await ctx.store.listGateways(other.tenant.id), []);
      await ctx.store.updateGateway({ ...(await ctx.store.getGateway(s.tenant.id, second.id))!, name: 'renamed' });
      assert.equal((await ctx.store.getGateway(s.tenant.id, second.id))!.name, 'renamed');
      assert.deepEqual((await ctx.store.getGateway(s.tenant.id, second.id))!.tags, [{ key: 'env', value: 'prod' }]);
      assert.deepEqual(
        [...(await ctx.store.allocatedOutsideIps())].sort(),
        [...s.vgw.outsideIps, ...second.outsideIps].map((o) => o.ip).sort(),
      );
      await ctx.store.deleteGateway(s.tenant.id, second.id);
      assert.equal(await ctx.store.getGateway(s.tenant.id, second.id), undefined);
      assert.deepEqual([...(await ctx.store.allocatedOutsideIps())].sort(), s.vgw.outsideIps.map((o) => o.ip).sort());
    });

    it('refuses a gateway whose outside IP is taken with Duplicate and keeps none of its rows', async () => {
      const s = await ctx.scene();
      const fresh = ctx.ip();
      const clash = gatewayFixture(s.project, [fresh, s.vgw.outsideIps[0].ip]);
      await assert.rejects(ctx.store.insertGateway(clash), isDomainError('Duplicate', 'outside IP already allocated'));
      assert.equal(await ctx.store.getGateway(s.tenant.id, clash.id), undefined);
      assert.equal((await ctx.store.allocatedOutsideIps()).has(fresh), false);
    });

    it('keeps a customer gateway with its device profile and returns the profile PSK opened', async () => {
      const s = await ctx.scene();
      const profile = {
        ikeVersions: ['v2' as const],
        ikeProposals: [],
        espProposals: [],
        psk: 'device-psk-1',
        initiates: true,
        reachable: true,
      };
      const cgw = cgwFixture(s.project, { deviceProfile: profile, tags: [{ key: 'site', value: 'berlin' }] });
      await ctx.store.insertCustomerGateway(cgw);
      assert.deepEqual(await ctx.store.getCustomerGateway(s.tenant.id, cgw.id), cgw);
      assert.deepEqual(
        (await ctx.store.listCustomerGateways(s.tenant.id, s.project.id)).map((c) => c.id),
        [s.cgw.id, cgw.id],
      );
      assert.deepEqual((await ctx.store.listCustomerGateways(s.tenant.id)).length, 2);
      const read = (await ctx.store.getCustomerGateway(s.tenant.id, cgw.id))!;
      await ctx.store.updateCustomerGateway({ ...read, deviceProfile: { ...profile, psk: 'device-psk-2' } });
      assert.equal((await ctx.store.getCustomerGateway(s.tenant.id, cgw.id))!.deviceProfile!.psk, 'device-psk-2');
      await ctx.store.deleteCustomerGateway(s.tenant.id, cgw.id);
      assert.equal(await ctx.store.getCustomerGateway(s.tenant.id, cgw.id), undefined);
    });

    it('reads a connection back with its tunnels and their PSKs, and never to another tenant', async () => {
      const s = await ctx.scene();
      const c = s.connection({
        tags: [
          { key: 'a', value: '1' },
          { key: 'b', value: '' },
        ],
      });
      await ctx.store.insertConnection(c);
      assert.deepEqual(await ctx.store.getConnection(s.tenant.id, c.id), c);
      const other = tenantFixture();
      await ctx.store.createTenant(other.tenant, other.project, other.key);
      assert.equal(await ctx.store.getConnection(other.tenant.id, c.id), undefined);
      assert.equal(await ctx.store.countConnections(s.tenant.id, s.project.id), 1);
      assert.equal(await ctx.store.countConnections(other.tenant.id, other.project.id), 0);
    });

    it('leaves nothing of a connection whose second tunnel fails to insert', async () => {
      const s = await ctx.scene();
      const first = s.connection();
      await ctx.store.insertConnection(first);
      const broken = s.connection();
      broken.tunnels[1] = { ...broken.tunnels[1], id: first.tunnels[0].id };
      await assert.rejects(ctx.store.insertConnection(broken));
      assert.equal(await ctx.store.getConnection(s.tenant.id, broken.id), undefined);
      assert.equal(await ctx.store.countConnections(s.tenant.id, s.project.id), 1);
      assert.equal((await ctx.store.listAllTunnels()).length, 2);
    });

    contractPart2(ctx, h);
  });
}
