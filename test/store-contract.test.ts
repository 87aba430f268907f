// Runs the store contract (test/support/store-contract.ts) unchanged against both stores: the
// embedded SQLite store on a temporary file, and PostgreSQL on a throwaway server this test starts
// (Debian's `postgresql`), each test on a fresh database. Without PostgreSQL its half skips loudly,
// and fails under CI=true.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { PostgresStore } from '../src/store/postgres/postgres-store.ts';
import { SecretBox } from '../src/store/secret-box.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { postgresSkipReason, startPostgres, type TestPostgres } from './support/postgres.ts';
import { storeContract } from './support/store-contract.ts';

const box = new SecretBox(randomBytes(32));

describe('SQLite', () => {
  const dirs: string[] = [];
  storeContract('SQLite', {
    async open(options = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'sitevpn-contract-'));
      dirs.push(dir);
      return new SqliteStore(join(dir, 'sitevpn.db'), box, { events: options.events });
    },
    async cleanup() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  });
});

const skip = postgresSkipReason();
describe('PostgreSQL', { skip }, () => {
  let server: TestPostgres;
  let url = '';
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });
  storeContract('PostgreSQL', {
    async open(options = {}) {
      url = await server.createDatabase();
      return PostgresStore.open(url, box, { events: options.events });
    },
    async openPeer() {
      return PostgresStore.open(url, box);
    },
    async cleanup() {},
  });
});
