// Two API instances starting at once on an empty PostgreSQL database: each runs the first-start
// bootstrap, and the store's bootstrap lock makes exactly one of them create the tenant; the other
// finds it and reports the key present. Two stores on one database stand for the two processes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/domain/manual-clock.ts';
import { TenantService } from '../src/service/tenants.ts';
import { PostgresStore } from '../src/store/postgres/postgres-store.ts';
import { SecretBox } from '../src/store/secret-box.ts';
import { postgresSkipReason, startPostgres, type TestPostgres } from './support/postgres.ts';

const box = new SecretBox(randomBytes(32));
const input = {
  accessKeyId: 'SVBOOTSTRAPRACE00001',
  secretAccessKey: 'bootstrap-race-secret-0123456789abcdefghij',
  projectId: '0123456789abcdef0123456789abcdef',
  region: 'us-east-1',
};

describe('first start of two instances at once on PostgreSQL', { skip: postgresSkipReason() }, () => {
  let server: TestPostgres;
  const stores: PostgresStore[] = [];
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    for (const s of stores) await s.close();
    await server?.stop();
  });

  it('creates one tenant, one project and one key, whichever instance gets there first', async () => {
    const url = await server.createDatabase();
    for (let i = 0; i < 3; i++) stores.push(await PostgresStore.open(url, box));
    const clock = new ManualClock(Date.UTC(2026, 10, 24));
    const results = await Promise.all(stores.map((s) => new TenantService(s, clock).bootstrap(input)));
    assert.deepEqual(results.map((r) => r.action).sort(), ['created-tenant', 'key-present', 'key-present']);
    const tenants = await stores[0].listTenants();
    assert.equal(tenants.length, 1);
    assert.deepEqual(
      (await stores[1].listAccessKeys(tenants[0].id)).map((k) => k.accessKeyId),
      [input.accessKeyId],
    );
    assert.deepEqual(
      (await stores[2].listProjects(tenants[0].id)).map((p) => p.id),
      [input.projectId],
    );
  });
});
