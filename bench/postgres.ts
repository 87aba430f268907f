// Issue 13's PostgreSQL figures beside SQLite, in one run: creates (wrk walking pre-signed Huawei
// creates, concurrency 16) and signed Huawei reads (GET vpn-connection/{id}, concurrency 16) on
//   - SQLite, one process (role all);
//   - PostgreSQL, one process (role all);
//   - PostgreSQL, two API instances and one data-plane instance.
// Every sitevpn process is pinned to core 1 and wrk to core 0: on this 2-core machine the two API
// instances share one core, so the third row shows what the split costs, not what it scales to.
// Then a list page by marker at 1,000 and 1,000,000 rows on both stores (test/support/page-cost.ts).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pageCostLines } from '../test/support/page-cost.ts';
import { postgresBin, startPostgres } from '../test/support/postgres.ts';
import { signedHuaweiShows } from './lib/fixtures.ts';
import { type Running, startSitevpn } from './lib/processes.ts';
import type { BenchOutput } from './lib/results.ts';
import { runWrk } from './lib/wrk.ts';
import { firstIds, huaweiTargets, runCreates, signHuaweiCreates, waitActive, writePool } from './writes/creates.ts';

interface Row {
  setup: string;
  createsPerSecond: number;
  readsPerSecond: number;
  readP99Ms: number;
}

/** Creates `count` connections through `api` with wrk, waits until all are ACTIVE, then reads them through every API instance. */
async function measure(setup: string, apis: Running[], count: number, durationSeconds: number): Promise<Row> {
  const work = mkdtempSync(join(tmpdir(), 'sitevpn-bench-pg-'));
  try {
    const [api] = apis;
    const poolFile = join(work, 'pool.txt');
    writePool(poolFile, signHuaweiCreates(api.endpoint, await huaweiTargets(api.endpoint, count), 0, count));
    const created = await runCreates(api.endpoint, poolFile, count - 1);
    await waitActive(api.endpoint, created.created);
    const ids = await firstIds(api.endpoint, 1000);
    // One wrk per API instance, the 16 connections shared among them.
    const loads = await Promise.all(
      apis.map((a) => runWrk(a.endpoint, signedHuaweiShows(a.endpoint, ids), 16 / apis.length, durationSeconds)),
    );
    return {
      setup,
      createsPerSecond: created.created / created.seconds,
      readsPerSecond: loads.reduce((n, l) => n + l.requestsPerSecond, 0),
      readP99Ms: Math.max(...loads.map((l) => l.p99Ms)),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function postgresBenchmark(opts: { connections: number; durationSeconds: number }): Promise<BenchOutput | string> {
  if (!postgresBin()) return '### PostgreSQL beside SQLite\n\nSkipped: no initdb; install the Debian package "postgresql".';
  const rows: Row[] = [];
  const sqlite = await startSitevpn();
  try {
    rows.push(await measure('SQLite, one process', [sqlite], opts.connections, opts.durationSeconds));
  } finally {
    await sqlite.stop();
  }
  const pg = await startPostgres();
  const running: Running[] = [];
  try {
    const env = async (role: string) => ({
      SITEVPN_DATABASE_URL: await pg.createDatabase(),
      SITEVPN_MASTER_KEY: randomBytes(32).toString('hex'),
      SITEVPN_ROLE: role,
    });
    const all = await startSitevpn({ env: await env('all') });
    running.push(all);
    rows.push(await measure('PostgreSQL, one process', [all], opts.connections, opts.durationSeconds));
    await all.stop();
    running.length = 0;
    const shared = { ...(await env('api')), SITEVPN_LEASE_SECONDS: '3' };
    const api1 = await startSitevpn({ env: shared });
    running.push(api1);
    running.push(await startSitevpn({ env: { ...shared, SITEVPN_ROLE: 'dataplane' } }));
    const api2 = await startSitevpn({ env: shared });
    running.push(api2);
    rows.push(await measure('PostgreSQL, 2 API + 1 data-plane instances', [api1, api2], opts.connections, opts.durationSeconds));
  } finally {
    for (const r of running) await r.stop();
    await pg.stop();
  }
  const pages = await pageCostLines();
  const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const markdown = [
    `${f(opts.connections)} connections created through the Huawei API by wrk (concurrency 16), then signed Huawei reads for ${opts.durationSeconds} s (concurrency 16, split across the API instances). Every sitevpn process on core 1: two API instances share it.`,
    '',
    '| setup | creates/s | reads/s | read p99 |',
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.setup} | ${f(r.createsPerSecond)} | ${f(r.readsPerSecond)} | ${f(r.readP99Ms, 1)} ms |`),
    '',
    'A list page of 100 by marker from the middle, read through the store (no HTTP), mean of 20:',
    '',
    ...pages.map((l) => `- ${l}`),
  ].join('\n');
  return { title: 'PostgreSQL beside SQLite', markdown, data: { rows, pages } };
}
