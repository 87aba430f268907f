// Measures what a connection list page costs on each store at 1,000 and at 1,000,000 rows:
//   node --import tsx test/support/page-cost.ts
// Rows are written straight into the tables (documents without tunnels), then a page of 100 is
// read from the middle by marker, with the total (count of every match) and without it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { SecretBox } from '../../src/store/secret-box.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { postgresSkipReason, startPostgres } from './postgres.ts';

const box = new SecretBox(randomBytes(32));
const T = 'tenant-1';
const P = 'p'.repeat(32);
const doc = (i: number) => JSON.stringify({ id: `c${i}`, tenantId: T, projectId: P, name: `c${i}`, tunnels: [] });
const sealed = box.seal('psk');
const config = JSON.stringify({ ike: {}, ipsec: {} });
const created = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString();

async function measure(store: Store, rows: number): Promise<string> {
  const marker = `c${String(Math.floor(rows / 2)).padStart(8, '0')}`;
  const time = async (fn: () => Promise<unknown>) => {
    await fn();
    const start = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) await fn();
    return Number(process.hrtime.bigint() - start) / 20 / 1e6;
  };
  const paged = await time(() => store.listConnections(T, { projectId: P }, { limit: 100, marker }));
  const count = await time(() => store.countConnections(T, P));
  return `${rows} rows: page of 100 by marker ${paged.toFixed(2)} ms (of which the total's count ${count.toFixed(2)} ms)`;
}

async function sqlite(rows: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sitevpn-pagecost-'));
  try {
    const file = join(dir, 'db');
    (await Promise.resolve(new SqliteStore(file, box))).close();
    const db = new Database(file);
    const insert = db.prepare(
      `INSERT INTO vpn_connections (id, tenant_id, project_id, vgw_id, cgw_id, enterprise_project_id, created_at, doc) VALUES (?, ?, ?, 'v', 'c', '0', ?, ?)`,
    );
    const tunnel = db.prepare(
      `INSERT INTO tunnels (id, connection_id, idx, outside_ip, outside_ip_id, generation, psk_sealed, config, observed) VALUES (?, ?, 0, '203.0.113.1', 'e', 1, ?, ?, '{}')`,
    );
    db.transaction(() => {
      for (let i = 0; i < rows; i++) {
        const id = `c${String(i).padStart(8, '0')}`;
        insert.run(id, T, P, created(i), doc(i));
        tunnel.run(`t${id}`, id, sealed, config);
      }
    })();
    db.close();
    const store = new SqliteStore(file, box);
    try {
      return `SQLite ${await measure(store, rows)}`;
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(url: string, rows: number): Promise<string> {
  const store = await PostgresStore.open(url, box);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // The per-row count trigger would update one counter row a million times in one transaction
  // (each update a new row version): off for the bulk load, the count set once after it.
  await client.query('ALTER TABLE vpn_connections DISABLE TRIGGER connection_counts_keep');
  await client.query(
    `INSERT INTO vpn_connections (id, tenant_id, project_id, vgw_id, cgw_id, enterprise_project_id, created_at, doc)
     SELECT 'c' || lpad(i::text, 8, '0'), $1, $2, 'v', 'c', '0',
            to_char(timestamp '2020-01-01' + i * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            json_build_object('id', 'c' || lpad(i::text, 8, '0'), 'tenantId', $1::text, 'projectId', $2::text, 'tunnels', '[]'::json)::text
     FROM generate_series(0, $3::int - 1) AS i`,
    [T, P, rows],
  );
  await client.query(
    `INSERT INTO tunnels (id, connection_id, idx, outside_ip, outside_ip_id, generation, psk_sealed, config, observed)
     SELECT 'tc' || lpad(i::text, 8, '0'), 'c' || lpad(i::text, 8, '0'), 0, '203.0.113.1', 'e', 1, $1, $2, '{}'
     FROM generate_series(0, $3::int - 1) AS i`,
    [sealed, config, rows],
  );
  await client.query(
    `INSERT INTO connection_counts (tenant_id, project_id, n) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, project_id) DO UPDATE SET n = excluded.n`,
    [T, P, rows],
  );
  await client.query('ALTER TABLE vpn_connections ENABLE TRIGGER connection_counts_keep');
  await client.query('VACUUM ANALYZE');
  await client.end();
  try {
    return `PostgreSQL ${await measure(store, rows)}`;
  } finally {
    await store.close();
  }
}

/** One line per store and size: a page of 100 by marker from the middle, at 1,000 and 1,000,000 rows. */
export async function pageCostLines(sizes = [1000, 1_000_000]): Promise<string[]> {
  const lines: string[] = [];
  for (const rows of sizes) lines.push(await sqlite(rows));
  if (postgresSkipReason()) return [...lines, 'PostgreSQL: skipped (no initdb; install the Debian package "postgresql")'];
  const server = await startPostgres();
  try {
    for (const rows of sizes) lines.push(await postgres(await server.createDatabase(), rows));
  } finally {
    await server.stop();
  }
  return lines;
}

if (process.argv[1]?.endsWith('page-cost.ts')) for (const line of await pageCostLines()) console.log(line);
