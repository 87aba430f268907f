// Where a signed Huawei GET vpn-connection/{id} spends its time: sitevpn serves 1,000 connections
// under `node --cpu-prof` while wrk drives the show at concurrency 16. The samples of the load
// window are split into the request's stages (lib/profile-analysis.ts) and scaled to the main
// thread's CPU time per request (/proc). A bare node:http server answering the same bytes under
// the same load gives the floor. Profiling costs some throughput; the breakdown is the point.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { huaweiClient, huaweiConnections, signedHuaweiShows } from './lib/fixtures.ts';
import { startBareServer, startSitevpn } from './lib/processes.ts';
import { analyseProfile, type CpuProfile, type ProfileRun, profileMarkdown, type ThreadCpu } from './lib/profile-analysis.ts';
import { fetchRaw } from './lib/read-bench.ts';
import type { BenchOutput } from './lib/results.ts';
import { cpuDelta, threadCpu } from './lib/thread-cpu.ts';
import { type LoadResult, type RawRequest, runWrk } from './lib/wrk.ts';

const CONCURRENCY = 16;

/** Resolves once the process's main thread used under 2 % of a core for a second. */
async function settled(pid: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = threadCpu(pid).get('main') ?? 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = threadCpu(pid).get('main') ?? 0;
    if (now - last < 20) return;
    if (Date.now() > deadline) throw new Error(`pid ${pid} still busy after ${timeoutMs} ms without load`);
    last = now;
  }
}

/** One wrk run with the CPU of each server thread and the monotonic window it covered. */
async function measured(pid: number, endpoint: string, requests: RawRequest[], durationSeconds: number) {
  // Unmeasured warm-up: V8 compiles the hot path in the first thousands of requests.
  await runWrk(endpoint, requests, CONCURRENCY, 2);
  await settled(pid);
  const before = threadCpu(pid);
  const startUs = Number(process.hrtime.bigint() / 1000n);
  const load: LoadResult = await runWrk(endpoint, requests, CONCURRENCY, durationSeconds);
  const window = { startUs, endUs: Number(process.hrtime.bigint() / 1000n) };
  return { load, window, threads: cpuDelta(before, threadCpu(pid)) };
}

export async function profileBenchmark(opts: { connections: number; durationSeconds: number }): Promise<BenchOutput> {
  const work = mkdtempSync(join(tmpdir(), 'sitevpn-profile-'));
  const dataDir = join(work, 'data');
  const profDir = join(work, 'prof');
  mkdirSync(dataDir);
  try {
    // Setup in a first process, so the profiled one does nothing but start, serve and stop.
    const setup = await startSitevpn({ dataDir });
    let ids: string[];
    try {
      ids = await huaweiConnections(huaweiClient(setup.endpoint), opts.connections);
    } finally {
      await setup.stop();
    }
    const logFile = join(work, 'access.log');
    const sitevpn = await startSitevpn({ dataDir, logFile, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] });
    let ours: Awaited<ReturnType<typeof measured>>;
    let body: string;
    let requests: RawRequest[];
    try {
      requests = signedHuaweiShows(sitevpn.endpoint, ids);
      body = await fetchRaw(sitevpn.endpoint, requests[0], 'profile: a pool request');
      // measured() waits until the simulated data plane has brought every tunnel up again after the start.
      ours = await measured(sitevpn.pid, sitevpn.endpoint, requests, opts.durationSeconds);
    } finally {
      await sitevpn.stop();
    }
    const bareServer = await startBareServer(body, 'application/json; charset=utf-8');
    let bare: Awaited<ReturnType<typeof measured>>;
    try {
      bare = await measured(bareServer.pid, bareServer.endpoint, requests, opts.durationSeconds);
    } finally {
      await bareServer.stop();
    }

    const logged = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"msg":"request"') && l.includes('/vpn-connection/')).length;
    if (logged < ours.load.total) throw new Error(`the access log holds ${logged} show requests, wrk completed ${ours.load.total}`);
    if (ours.load.errors) throw new Error(`${ours.load.errors} errors under the profiled load`);
    const main = ours.threads.find((t) => t.name === 'main')?.cpuMs ?? 0;
    const profiles = readdirSync(profDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => JSON.parse(readFileSync(join(profDir, f), 'utf8')) as CpuProfile);
    const analysis = analyseProfile(profiles, ours.window, (main * 1000) / ours.load.total);
    const run: ProfileRun = {
      concurrency: CONCURRENCY,
      durationSeconds: opts.durationSeconds,
      connections: opts.connections,
      requests: ours.load.total,
      requestsPerSecond: ours.load.requestsPerSecond,
      threads: ours.threads as ThreadCpu[],
      bare: { requestsPerSecond: bare.load.requestsPerSecond, threads: bare.threads, requests: bare.load.total },
    };
    return {
      title: 'Profile: signed Huawei GET vpn-connection/{id} under load',
      markdown: profileMarkdown(analysis, run),
      data: { ...run, ...analysis },
    };
  } finally {
    if (!process.env.BENCH_KEEP_PROFILE) rmSync(work, { recursive: true, force: true });
    else console.error(`profile kept in ${profDir}`);
  }
}
