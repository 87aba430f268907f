// CPU per request of the read paths, measured in one process without sockets, for A/B work on a
// machine too loaded for wrk figures: sitevpn's app (SQLite, simulated data plane, the access log
// written to a file at info) answers N signed requests through fastify's inject(), 16 at a time,
// after a warm-up, and the process's CPU time (all threads, user + system) over those requests is
// divided by N. No socket and no load generator is counted, so the figure is below what `npm run
// bench` reports; it is for comparing two versions of the code, not for the docs' ratios.
//
//   node --import tsx bench/cpu-inject.ts [requests per scenario, default 20000] [scenario,...]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { createApp } from '../src/http/app.ts';
import { signEc2 } from '../test/support/aws-raw.ts';
import { signHuawei } from '../test/support/huawei-raw.ts';
import { createConnections, waitUntilUp } from './aws-reads.ts';
import { BENCH_AK, BENCH_PROJECT, BENCH_SK } from './lib/processes.ts';

interface Injected {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

const total = Number(process.argv[2] ?? 20000);
const only = process.argv[3]?.split(',');
const dataDir = mkdtempSync(join(tmpdir(), 'sitevpn-cpu-'));
const config = loadConfig(
  { SITEVPN_ACCESS_KEY_ID: BENCH_AK, SITEVPN_SECRET_ACCESS_KEY: BENCH_SK, SITEVPN_PROJECT_ID: BENCH_PROJECT },
  { dataDir, port: 0, logLevel: 'info' },
);
const logger = pino({ level: 'info' }, pino.destination({ dest: join(dataDir, 'access.log'), sync: false }));
const app = await createApp(config, { logger });
const endpoint = await app.listen();
const creds = { accessKeyId: BENCH_AK, secretAccessKey: BENCH_SK };

try {
  const { ids, outsideIp } = await createConnections(endpoint, 100);
  await waitUntilUp(endpoint, ids, outsideIp);
  const huaweiIds = ids; // EC2-made connections show through the Huawei API too
  const ec2 = async (params: Record<string, string>): Promise<Injected> => {
    const r = await signEc2(endpoint, params, creds);
    return { method: 'POST', url: '/', headers: r.headers, payload: r.body };
  };
  const scenarios: [string, () => Promise<Injected[]>, number][] = [
    [
      'huawei-show',
      async () =>
        huaweiIds.map((id) => {
          const s = signHuawei({ endpoint, method: 'GET', path: `/v5/${BENCH_PROJECT}/vpn-connection/${id}`, ak: BENCH_AK, sk: BENCH_SK });
          return { method: 'GET', url: new URL(s.url).pathname, headers: s.headers };
        }),
      1,
    ],
    [
      'status',
      () =>
        Promise.all(
          ids.map((id) => ec2({ Action: 'GetActiveVpnTunnelStatus', VpnConnectionId: id, VpnTunnelOutsideIpAddress: outsideIp })),
        ),
      1,
    ],
    ['describe-one', () => Promise.all(ids.map((id) => ec2({ Action: 'DescribeVpnConnections', 'VpnConnectionId.1': id }))), 1],
    ['describe-100', async () => [await ec2({ Action: 'DescribeVpnConnections' })], 20],
  ];
  for (const [name, build, divisor] of scenarios) {
    if (only && !only.includes(name)) continue;
    const pool = await build();
    const n = Math.max(200, Math.round(total / divisor));
    const first = await app.server.inject(pool[0]!);
    if (first.statusCode !== 200) throw new Error(`${name}: ${first.statusCode} ${first.body.slice(0, 300)}`);
    await run(pool, Math.round(n / 4));
    const before = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await run(pool, n);
    const cpu = process.cpuUsage(before);
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const us = (cpu.user + cpu.system) / n;
    console.log(JSON.stringify({ scenario: name, requests: n, cpuUsPerRequest: Math.round(us * 10) / 10, wallMs: Math.round(wallMs) }));
  }
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}

async function run(pool: Injected[], n: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const r = await app.server.inject(pool[next++ % pool.length]!);
      if (r.statusCode !== 200) throw new Error(`answer ${r.statusCode}: ${r.body.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}
