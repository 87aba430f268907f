// Issue 12's "data plane under load": reads while many simulated tunnels rekey on short lifetimes.
// One sitevpn (SQLite, simulated data plane) pinned to core 1; `count` connections created through
// the Huawei API with IKE lifetime 60 s and IPsec lifetime 30 s, so every tunnel rekeys its
// CHILD_SA every 7.5 to 15 s and its IKE_SA every 15 to 30 s; once all are ACTIVE and rekeying,
// wrk (core 0, concurrency 16) reads connections (signed Huawei GET vpn-connection/{id}) for
// `seconds`. Reported: reads/s, p50 and p99, and the rekeys the server counted in that window.
//
//   node --import tsx bench/writes/rekey-reads.ts [count=10000] [seconds=20]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawRequest } from '../lib/wrk.ts';
import { runWrk } from '../lib/wrk.ts';
import { firstIds, huaweiTargets, runCreates, signHuaweiCreates, waitActive, writePool } from './creates.ts';
import { BENCH_AK, BENCH_PROJECT, BENCH_SK, startPinned } from './server.ts';
import { signHuawei } from './sign.ts';

/** The server's successful rekeys so far, from /metrics. */
async function rekeys(endpoint: string): Promise<number> {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(/^sitevpn_rekeys_total\{[^}]*\} (\d+(?:\.\d+)?)$/gm)) sum += Number(m[1]);
  return sum;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10_000);
  const seconds = Number(process.argv[3] ?? 20);
  const dataDir = mkdtempSync(join(tmpdir(), 'sitevpn-rekey-reads-'));
  const server = await startPinned(dataDir);
  try {
    // Created by wrk from a pool of signed creates, as bench/writes/creates.ts does.
    const poolFile = join(dataDir, 'pool.txt');
    const policies = { ikepolicy: { lifetime_seconds: 60 }, ipsecpolicy: { lifetime_seconds: 30 } };
    writePool(poolFile, signHuaweiCreates(server.endpoint, await huaweiTargets(server.endpoint, count + 1), 0, count + 1, policies));
    await runCreates(server.endpoint, poolFile, count);
    await waitActive(server.endpoint, count);
    // Let the first CHILD_SA rekeys begin (7.5 s at the earliest) so the window sees them all along.
    await new Promise((r) => setTimeout(r, 15_000));
    const ids = await firstIds(server.endpoint, 2000);
    const reads: RawRequest[] = ids.map((id) => {
      const path = `/v5/${BENCH_PROJECT}/vpn-connection/${id}`;
      const s = signHuawei({ endpoint: server.endpoint, method: 'GET', path, ak: BENCH_AK, sk: BENCH_SK });
      const { host, ...headers } = s.headers;
      return { method: 'GET', path, headers };
    });
    const before = await rekeys(server.endpoint);
    const load = await runWrk(server.endpoint, reads, 16, seconds);
    const during = (await rekeys(server.endpoint)) - before;
    const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    console.log(`\n| ${f(count)} tunnels rekeying (IKE 60 s, IPsec 30 s) | value |`);
    console.log('|---|---:|');
    console.log(`| rekeys/s during the reads | ${f(during / load.durationS)} |`);
    console.log(`| signed Huawei show, req/s at c=16 | ${f(load.requestsPerSecond)} |`);
    console.log(`| p50 | ${f(load.p50Ms, 2)} ms |`);
    console.log(`| p99 | ${f(load.p99Ms, 2)} ms |`);
    console.log(`| errors | ${load.errors} of ${load.total} |`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
