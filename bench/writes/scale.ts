// Issue 12's "100,000 connections": one sitevpn (SQLite, simulated data plane) pinned to core 1,
// creates driven by wrk on core 0 (concurrency 16) through the Huawei API until `count` exist.
//
//   node --import tsx bench/writes/scale.ts [count=100000] [--small 1000] [--leg 10000]
//
// Creates go in legs of 10,000 (each signed just before it is sent). Reported: the create rate of
// the first and the last leg (each leg loses one request to wrk's set-up); the time until all
// are ACTIVE and the resident memory per tunnel then; a list page (limit 200) at the start of the
// list and deep in it (by marker), beside the same pages on a database of `--small` connections;
// and a restart on the big database: from spawn to the first answer, and to the first signed
// read of a connection answered 200.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, huawei, huaweiTargets, rssBytes, signHuaweiCreates, waitActive, writePool } from './creates.ts';
import { ROOT, startPinned } from './server.ts';

/** A leg of creates: wrk walks a pool of `requests` while the count is polled every 100 ms. */
async function createLeg(endpoint: string, poolFile: string, target: number): Promise<number> {
  const wrk = spawn(
    'taskset',
    ['-c', '0', 'wrk', '-t1', '-c16', '-d3600s', '--timeout', '30s', '-s', join(ROOT, 'bench/writes/pool.lua'), endpoint],
    { env: { ...process.env, POOL_FILE: poolFile }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const client = huawei(endpoint);
  const t0 = performance.now();
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      const total: number = (await client.call('GET', '/vpn-connection', undefined, { limit: '1' })).body?.total_count ?? 0;
      if (total >= target) return (performance.now() - t0) / 1000;
      if (performance.now() - t0 > 900_000) throw new Error(`only ${total} of ${target} created before the signatures expired`);
    }
  } finally {
    wrk.kill('SIGINT');
  }
}

/** Median ms of `n` signed list calls (limit 200) at `marker` (none: the first page). */
async function pageMs(endpoint: string, marker: string | undefined, n = 21): Promise<number> {
  const client = huawei(endpoint);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const q: Record<string, string> = { limit: '200' };
    if (marker) q.marker = marker;
    const t = performance.now();
    const r = await client.call('GET', '/vpn-connection', undefined, q);
    if (r.status !== 200) throw new Error(`list page: ${r.status} ${r.errorCode} ${r.errorMsg}`);
    times.push(performance.now() - t);
  }
  return times.sort((x, y) => x - y)[n >> 1];
}

/** The marker of the page in the middle of the list (walks the list once). */
async function middleMarker(endpoint: string): Promise<string | undefined> {
  const client = huawei(endpoint);
  const markers: string[] = [];
  let marker: string | undefined;
  do {
    const q: Record<string, string> = { limit: '200' };
    if (marker) q.marker = marker;
    marker = (await client.call('GET', '/vpn-connection', undefined, q)).body.page_info?.next_marker;
    if (marker) markers.push(marker);
  } while (marker);
  return markers[markers.length >> 1];
}

interface Measured {
  count: number;
  firstRate: number;
  lastRate: number;
  overallRate: number;
  cpuMsPerCreate: number;
  activeSeconds: number;
  kibPerTunnel: number;
  firstPageMs: number;
  deepPageMs: number;
  dataDir: string;
}

/** Creates in legs of `leg` (signed just before each leg: signatures hold 15 minutes). */
async function measure(count: number, leg: number): Promise<Measured> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sitevpn-scale-'));
  const work = mkdtempSync(join(tmpdir(), 'sitevpn-scale-pool-'));
  const server = await startPinned(dataDir);
  try {
    const targets = await huaweiTargets(server.endpoint, count);
    const rss0 = rssBytes(server.pid);
    const cpu0 = cpuSeconds(server.pid);
    const t0 = performance.now();
    const poolFile = join(work, 'pool.txt');
    const rates: number[] = [];
    let created = 0;
    let createSeconds = 0;
    for (let from = 0; from < count; from += leg) {
      const requests = signHuaweiCreates(server.endpoint, targets, from, Math.min(count, from + leg));
      writePool(poolFile, requests);
      // wrk spends the pool's first request on its own set-up: one fewer arrives.
      const seconds = await createLeg(server.endpoint, poolFile, created + requests.length - 1);
      created += requests.length - 1;
      createSeconds += seconds;
      rates.push((requests.length - 1) / seconds);
    }
    const cpuMsPerCreate = (1000 * (cpuSeconds(server.pid) - cpu0)) / created;
    await waitActive(server.endpoint, created, 3_600_000);
    const activeSeconds = (performance.now() - t0) / 1000;
    const kibPerTunnel = (rssBytes(server.pid) - rss0) / 1024 / created;
    return {
      count: created,
      firstRate: rates[0],
      lastRate: rates[rates.length - 1],
      overallRate: created / createSeconds,
      cpuMsPerCreate,
      activeSeconds,
      kibPerTunnel,
      firstPageMs: await pageMs(server.endpoint, undefined),
      deepPageMs: await pageMs(server.endpoint, await middleMarker(server.endpoint)),
      dataDir,
    };
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Restarts on `dataDir` from the build in dist/ (what an operator runs): ms to the first answer, to
 * a signed read answered 200, and to all ACTIVE again.
 */
async function restart(dataDir: string, count: number): Promise<{ readyMs: number; firstReadMs: number; activeMs: number }> {
  const t0 = performance.now();
  const server = await startPinned(dataDir, { dist: true });
  try {
    const client = huawei(server.endpoint);
    let firstReadMs = 0;
    for (;;) {
      const r = await client.call('GET', '/vpn-connection', undefined, { limit: '1' });
      if (r.status === 200) {
        const id = r.body.vpn_connections[0].id;
        if ((await client.call('GET', `/vpn-connection/${id}`)).status === 200) {
          firstReadMs = performance.now() - t0;
          break;
        }
      }
    }
    await waitActive(server.endpoint, count, 3_600_000);
    return { readyMs: server.readyMs, firstReadMs, activeMs: performance.now() - t0 };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const count = Number(args[0] ?? 100_000);
  const smallAt = args.indexOf('--small');
  const small = smallAt < 0 ? 1000 : Number(args[smallAt + 1]);
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const legAt = args.indexOf('--leg');
  const leg = legAt < 0 ? 10_000 : Number(args[legAt + 1]);
  const base = await measure(small, leg);
  const baseRe = await restart(base.dataDir, base.count);
  rmSync(base.dataDir, { recursive: true, force: true });
  const big = await measure(count, leg);
  try {
    const re = await restart(big.dataDir, big.count);
    const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    console.log(`\n| measure | ${f(base.count)} connections | ${f(big.count)} connections |`);
    console.log('|---|---:|---:|');
    console.log(`| creates/s, first leg | ${f(base.firstRate)} | ${f(big.firstRate)} |`);
    console.log(`| creates/s, last leg | ${f(base.lastRate)} | ${f(big.lastRate)} |`);
    console.log(`| creates/s, whole run | ${f(base.overallRate)} | ${f(big.overallRate)} |`);
    console.log(`| server CPU per create | ${f(base.cpuMsPerCreate, 2)} ms | ${f(big.cpuMsPerCreate, 2)} ms |`);
    console.log(`| all ACTIVE after the first create | ${f(base.activeSeconds, 1)} s | ${f(big.activeSeconds, 1)} s |`);
    console.log(`| RSS growth per connection | ${f(base.kibPerTunnel, 1)} KiB | ${f(big.kibPerTunnel, 1)} KiB |`);
    console.log(`| list page (limit 200), first, median of 21 | ${f(base.firstPageMs, 1)} ms | ${f(big.firstPageMs, 1)} ms |`);
    console.log(`| list page (limit 200), middle of the list | ${f(base.deepPageMs, 1)} ms | ${f(big.deepPageMs, 1)} ms |`);
    console.log(`| restart (dist/): spawn to first answer | ${f(baseRe.readyMs)} ms | ${f(re.readyMs)} ms |`);
    console.log(`| restart (dist/): spawn to a signed read answered 200 | ${f(baseRe.firstReadMs)} ms | ${f(re.firstReadMs)} ms |`);
    console.log(`| restart (dist/): spawn to all ACTIVE again | ${f(baseRe.activeMs / 1000, 1)} s | ${f(re.activeMs / 1000, 1)} s |`);
  } finally {
    rmSync(big.dataDir, { recursive: true, force: true });
  }
}

await main();
