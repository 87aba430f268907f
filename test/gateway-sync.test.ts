// GatewaySync: a data-plane instance's driver holds exactly the intents of the gateways it owns,
// applied again only when they change, and removed when the gateway or connection goes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import type { DataplaneDriver, TunnelIntent } from '../src/dataplane/driver.ts';
import { GatewaySync } from '../src/service/gateway-sync.ts';
import { SecretBox } from '../src/store/secret-box.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { cgwFixture, connectionFixture, gatewayFixture, tenantFixture } from './support/store-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'sitevpn-sync-'));
const store = new SqliteStore(join(dir, 'sitevpn.db'), new SecretBox(randomBytes(32)));
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function recordingDriver() {
  const calls: string[] = [];
  const driver: DataplaneDriver = {
    name: 'recording',
    validate: () => null,
    start: async () => {},
    apply: (i: TunnelIntent) => void calls.push(`apply ${i.tunnelId} g${i.generation}`),
    remove: (id: string) => void calls.push(`remove ${id}`),
    stop: async () => {},
  };
  return { driver, calls };
}

it('applies the owned gateways’ tunnels once, again only on a change, and removes them when no longer owned', async () => {
  const { tenant, project, key } = tenantFixture();
  await store.createTenant(tenant, project, key);
  const [g1, g2] = [gatewayFixture(project, ['203.0.113.1']), gatewayFixture(project, ['203.0.113.2'])];
  await store.insertGateway(g1);
  await store.insertGateway(g2);
  const cgw = cgwFixture(project);
  await store.insertCustomerGateway(cgw);
  const c1 = connectionFixture(project, g1, cgw);
  const c2 = connectionFixture(project, g2, cgw);
  await store.insertConnection(c1);
  await store.insertConnection(c2);
  const { driver, calls } = recordingDriver();
  const sync = new GatewaySync(store, driver);
  const owned = [{ gatewayId: g1.id, tenantId: tenant.id }];

  assert.equal(await sync.sync(owned), c1.tunnels.length);
  assert.deepEqual(
    calls.splice(0),
    c1.tunnels.map((t) => `apply ${t.id} g${t.generation}`),
    'only the owned gateway’s tunnels',
  );
  await sync.sync(owned);
  assert.deepEqual(calls.splice(0), [], 'nothing changed: nothing applied');

  const stored = (await store.getConnection(tenant.id, c1.id))!;
  await store.updateConnection({
    ...stored,
    tunnels: stored.tunnels.map((t, i) => (i === 0 ? { ...t, generation: t.generation + 1 } : t)),
  });
  await sync.sync(owned);
  assert.deepEqual(calls.splice(0), [`apply ${c1.tunnels[0].id} g${c1.tunnels[0].generation + 1}`], 'a new generation is applied');

  await sync.sync([]);
  assert.deepEqual(calls.splice(0).sort(), c1.tunnels.map((t) => `remove ${t.id}`).sort(), 'a lost gateway’s tunnels are removed');
});
