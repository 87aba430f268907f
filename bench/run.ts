// `npm run bench`: every benchmark the issues name, printed as Markdown for docs/BENCHMARKS.md.
// BENCH_DURATION (seconds per load run, default 10) and BENCH_ONLY (comma-separated names)
// narrow a run; the figures are machine-dependent, so the header records the machine.
import { cpus, totalmem } from 'node:os';
import { engineBenchmark } from '../src/dataplane/simulated/engine/bench-engine.ts';
import { awsReadsBenchmark } from './aws-reads.ts';
import { engineApiBenchmark } from './engine-api.ts';
import { huaweiShowBenchmark } from './huawei-show.ts';
import { strongswanBenchmark } from './strongswan.ts';

const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
const only = process.env.BENCH_ONLY?.split(',');

const benchmarks: Record<string, () => Promise<string>> = {
  'huawei-show': () => huaweiShowBenchmark({ connections: 1000, durationSeconds }),
  'aws-reads': () => awsReadsBenchmark({ durationSeconds }),
  engine: () => engineBenchmark(),
  'engine-api': () => engineApiBenchmark(),
  strongswan: () => strongswanBenchmark(),
};

console.log(`## Run of ${new Date().toISOString()}\n`);
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Command: \`npm run bench\`.\n`);
for (const [name, run] of Object.entries(benchmarks)) {
  if (only && !only.includes(name)) continue;
  console.log(await run());
}
