// One read scenario: sitevpn and a bare node:http server answering the same bytes, both on the
// server core, each driven by wrk with the same pool of signed requests at each concurrency, in
// the same run. The ratio is sitevpn's req/s over bare's.

import { type Running, startBareServer } from './processes.ts';
import { totalCpuMs } from './thread-cpu.ts';
import { type LoadResult, type RawRequest, runWrk } from './wrk.ts';

export const CONCURRENCIES = [1, 16];
const WARMUP_SECONDS = 2;

export interface Measured extends LoadResult {
  /** CPU time of all the server's threads during the run, per request (µs). */
  cpuUsPerRequest: number;
}

export interface Pair {
  concurrency: number;
  bare: Measured;
  sitevpn: Measured;
  /** sitevpn req/s ÷ bare req/s. */
  ratio: number;
  /** bare CPU per request ÷ sitevpn CPU per request: the ratio if each had its core to itself. */
  cpuRatio: number;
}

export interface ReadScenario {
  label: string;
  answerBytes: number;
  /** Distinct signed requests cycled by wrk. */
  poolSize: number;
  durationSeconds: number;
  pairs: Pair[];
}

export interface ReadScenarioSpec {
  label: string;
  sitevpn: Running;
  /** The answer sitevpn gives, which the bare server repeats byte for byte. */
  body: string;
  contentType: string;
  /** Signs the pool for a run; called right before each run, so signatures are fresh. */
  sign(): Promise<RawRequest[]> | RawRequest[];
  durationSeconds: number;
}

export async function readScenario(spec: ReadScenarioSpec): Promise<ReadScenario> {
  const bare = await startBareServer(spec.body, spec.contentType);
  const pairs: Pair[] = [];
  let poolSize = 0;
  try {
    // Warm both up (V8 compiles the hot path in the first thousands of requests), unmeasured.
    const warm = await spec.sign();
    await expectOk(spec.sitevpn.endpoint, warm[0], spec.label);
    for (const server of [bare, spec.sitevpn]) await runWrk(server.endpoint, warm, 16, WARMUP_SECONDS);
    for (const c of CONCURRENCIES) {
      const b = await measure(bare, await spec.sign(), c, spec.durationSeconds);
      const pool = await spec.sign();
      poolSize = pool.length;
      await expectOk(spec.sitevpn.endpoint, pool[0], spec.label);
      const s = await measure(spec.sitevpn, pool, c, spec.durationSeconds);
      pairs.push({
        concurrency: c,
        bare: b,
        sitevpn: s,
        ratio: s.requestsPerSecond / b.requestsPerSecond,
        cpuRatio: b.cpuUsPerRequest / s.cpuUsPerRequest,
      });
    }
  } finally {
    await bare.stop();
  }
  return { label: spec.label, answerBytes: Buffer.byteLength(spec.body), poolSize, durationSeconds: spec.durationSeconds, pairs };
}

async function measure(server: Running, pool: RawRequest[], c: number, durationSeconds: number): Promise<Measured> {
  const before = totalCpuMs(server.pid);
  const r = await runWrk(server.endpoint, pool, c, durationSeconds);
  return { ...r, cpuUsPerRequest: ((totalCpuMs(server.pid) - before) * 1000) / Math.max(1, r.total) };
}

/** Sends one pool request and returns the answer's body; anything but 200 is an error. */
export async function fetchRaw(endpoint: string, r: RawRequest, label = 'request'): Promise<string> {
  const res = await fetch(`${endpoint}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${label}: answered ${res.status}: ${text.slice(0, 500)}`);
  return text;
}

/** The signatures must be accepted before load is measured. */
async function expectOk(endpoint: string, r: RawRequest, label: string): Promise<void> {
  await fetchRaw(endpoint, r, `${label}: a pool request`);
}

const f = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

export function scenarioMarkdown(s: ReadScenario): string {
  const lines = [
    `#### ${s.label} (${s.answerBytes} bytes per answer, ${s.poolSize} signed requests cycled, ${s.durationSeconds} s per run)`,
    '',
    '| server | concurrency | req/s | p50 ms | p99 ms | errors | of bare | CPU µs/req | of bare (CPU) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const p of s.pairs) {
    lines.push(
      `| bare node:http | ${p.concurrency} | ${Math.round(p.bare.requestsPerSecond)} | ${f(p.bare.p50Ms)} | ${f(p.bare.p99Ms)} | ${p.bare.errors} | | ${p.bare.cpuUsPerRequest.toFixed(0)} | |`,
    );
    lines.push(
      `| sitevpn | ${p.concurrency} | ${Math.round(p.sitevpn.requestsPerSecond)} | ${f(p.sitevpn.p50Ms)} | ${f(p.sitevpn.p99Ms)} | ${p.sitevpn.errors} | **${p.ratio.toFixed(2)}** | ${p.sitevpn.cpuUsPerRequest.toFixed(0)} | ${p.cpuRatio.toFixed(2)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
