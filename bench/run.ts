// `npm run bench`: every benchmark the issues name. Load comes from wrk pinned to core 0, each
// server under test runs pinned to core 1 (bench/lib/cores.ts). BENCH_DURATION (seconds per load
// run, default 10) and BENCH_ONLY (comma-separated names) narrow a run. Each benchmark's
// Markdown is printed, merged into bench/results.json and rendered into docs/BENCHMARKS.md.
import { engineBenchmark } from '../src/dataplane/simulated/engine/bench-engine.ts';
import { awsReadsBenchmark } from './aws-reads.ts';
import { engineApiBenchmark } from './engine-api.ts';
import { huaweiShowBenchmark } from './huawei-show.ts';
import { type BenchOutput, type BenchRecord, machine, machineLine, recordMarkdown, saveRecords } from './lib/results.ts';
import { postgresBenchmark } from './postgres.ts';
import { profileBenchmark } from './profile.ts';
import { strongswanBenchmark } from './strongswan.ts';

const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
if (!(durationSeconds >= 1)) throw new Error(`BENCH_DURATION must be a number of seconds ≥ 1, not ${process.env.BENCH_DURATION}`);
const only = process.env.BENCH_ONLY?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);

const benchmarks: Record<string, () => Promise<BenchOutput | string>> = {
  'huawei-show': () => huaweiShowBenchmark({ connections: 1000, durationSeconds }),
  'aws-reads': () => awsReadsBenchmark({ durationSeconds }),
  profile: () => profileBenchmark({ connections: 1000, durationSeconds }),
  engine: () => engineBenchmark(),
  'engine-api': () => engineApiBenchmark(),
  strongswan: () => strongswanBenchmark(),
  postgres: () => postgresBenchmark({ connections: 2000, durationSeconds }),
};
const unknown = only?.filter((n) => !(n in benchmarks)) ?? [];
if (unknown.length) throw new Error(`BENCH_ONLY: unknown benchmark(s) ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);

/** The older benchmarks return Markdown whose first line is the `### title`. */
function asOutput(out: BenchOutput | string): BenchOutput {
  if (typeof out !== 'string') return out;
  const [first, ...rest] = out.split('\n');
  return first.startsWith('### ')
    ? { title: first.slice(4), markdown: rest.join('\n').trim(), data: null }
    : { title: 'benchmark', markdown: out, data: null };
}

const command = [
  only ? `BENCH_ONLY=${only.join(',')}` : '',
  process.env.BENCH_DURATION ? `BENCH_DURATION=${durationSeconds}` : '',
  'npm run bench',
]
  .filter(Boolean)
  .join(' ');
console.log(`## Run of ${new Date().toISOString()}: \`${command}\`\n\nMachine: ${machineLine(machine())}\n`);
const failures: string[] = [];
for (const [name, run] of Object.entries(benchmarks)) {
  if (only && !only.includes(name)) continue;
  const m = machine();
  const started = new Date();
  try {
    const out = asOutput(await run());
    const record: BenchRecord = {
      name,
      ...out,
      startedAt: started.toISOString(),
      wallSeconds: (Date.now() - started.getTime()) / 1000,
      command,
      machine: m,
    };
    console.log(recordMarkdown(record));
    // Saved one by one, so that a later failure keeps what finished.
    saveRecords([record]);
  } catch (err) {
    failures.push(name);
    console.error(`benchmark ${name} failed: ${(err as Error).stack ?? err}`);
  }
}
if (failures.length) {
  console.error(`failed: ${failures.join(', ')} (their previous results are kept in bench/results.json)`);
  process.exitCode = 1;
}
