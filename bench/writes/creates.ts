// Creates measured with wrk: N unique create requests are pre-signed (Huawei AK/SK with the SDK's
// signer, or EC2 SigV4 with @smithy/signature-v4) into a pool file that pool.lua walks once,
// wrk pinned to core 0 (taskset -c 0), sitevpn pinned to core 1, concurrency 16.
//
//   node --import tsx bench/writes/creates.ts huawei 10000 [--active] [--profile DIR] [--keep DIR]
//   node --import tsx bench/writes/creates.ts ec2 5000
//
// --active also waits until every connection is ACTIVE (list sweeps of limit 200) and reports the
// time from the first create. Before/after RSS of the server gives the memory per tunnel.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_AK, BENCH_PROJECT, BENCH_SK, type PinnedServer, ROOT, startPinned } from './server.ts';
import { signEc2, signHuawei } from './sign.ts';

export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** CPU seconds (user + system) the process has used: a measure the machine's other load does not skew. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) * 1024;
}

/** A signed Huawei call through the SDK's AK/SK signer (no SDK HTTP client: fewer moving parts). */
export function huawei(endpoint: string) {
  return {
    async call(
      method: string,
      rel: string,
      data?: unknown,
      query?: Record<string, string>,
    ): Promise<{ status: number; body: any; errorCode?: string; errorMsg?: string }> {
      const s = signHuawei({ endpoint, method, path: `/v5/${BENCH_PROJECT}${rel}`, query, data, ak: BENCH_AK, sk: BENCH_SK });
      const { host, ...headers } = s.headers;
      const res = await fetch(s.url, { method, headers, body: s.body });
      const body: any = await res.json().catch(() => undefined);
      return { status: res.status, body, errorCode: body?.error_code, errorMsg: body?.error_msg };
    },
  };
}

const cgwIp = (i: number) => `100.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;

interface Signed {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export function writePool(file: string, requests: Signed[]): void {
  const lines = requests.map((r) => {
    const h = Object.entries(r.headers)
      .filter(([k]) => k.toLowerCase() !== 'host' && k.toLowerCase() !== 'content-length')
      .map(([k, v]) => `${k}:${v}`)
      .join('\x1f');
    return `${r.method}\t${r.path}\t${h}\t${r.body ?? ''}`;
  });
  writeFileSync(file, lines.join('\n') + '\n');
}

export interface WrkResult {
  ok: number;
  bad: number;
  seconds: number;
  p50ms: number;
  p99ms: number;
}

export function runWrk(endpoint: string, poolFile: string, concurrency = 16, durationS = Number(process.env.WRK_SECONDS ?? 60)): WrkResult {
  const out = execFileSync(
    'taskset',
    [
      '-c',
      '0',
      'wrk',
      '-t1',
      `-c${concurrency}`,
      `-d${durationS}s`,
      '--timeout',
      '30s',
      '-s',
      join(ROOT, 'bench/writes/pool.lua'),
      endpoint,
    ],
    { env: { ...process.env, POOL_FILE: poolFile }, encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const m = /RESULT ok=(\d+) bad=(\d+) seconds=([\d.]+) p50ms=([\d.]+) p99ms=([\d.]+)/.exec(out);
  if (!m) throw new Error(`wrk printed no RESULT:\n${out}`);
  return { ok: +m[1], bad: +m[2], seconds: +m[3], p50ms: +m[4], p99ms: +m[5] };
}

/**
 * wrk walks the pool while this process watches the server's count of connections (a signed
 * list of limit 1 every 50 ms); the run ends when `target` connections exist. wrk consumes the
 * pool's first entry while it sets up, so target is the pool size less one.
 */
export async function runCreates(
  endpoint: string,
  poolFile: string,
  target: number,
  concurrency = 16,
): Promise<{ seconds: number; created: number }> {
  const wrk = spawn(
    'taskset',
    ['-c', '0', 'wrk', '-t1', `-c${concurrency}`, '-d600s', '--timeout', '30s', '-s', join(ROOT, 'bench/writes/pool.lua'), endpoint],
    {
      env: { ...process.env, POOL_FILE: poolFile },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const client = huawei(endpoint);
  const t0 = performance.now();
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const page = await client.call('GET', '/vpn-connection', undefined, { limit: '1' });
      const total = page.body?.total_count ?? 0;
      if (total >= target) return { seconds: (performance.now() - t0) / 1000, created: total };
      if (performance.now() - t0 > 600_000) throw new Error(`only ${total} of ${target} created`);
    }
  } finally {
    wrk.kill('SIGINT');
  }
}

/** Huawei: one gateway (2 EIPs), a customer gateway per two connections; returns signed creates. */
export async function prepareHuawei(endpoint: string, count: number): Promise<Signed[]> {
  return signHuaweiCreates(endpoint, await huaweiTargets(endpoint, count), 0, count);
}

export interface HuaweiTargets {
  gateway: { id: string; eip1: { id: string }; eip2: { id: string } };
  cgws: string[];
}

/** One gateway and a customer gateway per two of `count` connections, created through the API. */
export async function huaweiTargets(endpoint: string, count: number): Promise<HuaweiTargets> {
  const client = huawei(endpoint);
  const gw = await client.call('POST', '/vpn-gateways', {
    vpn_gateway: {
      name: 'bench-gw',
      vpc_id: '7a1f0c3e-0000-4000-8000-00000000be01',
      local_subnets: ['10.0.0.0/8'],
      connect_subnet: '7a1f0c3e-0000-4000-8000-00000000be02',
    },
  });
  if (gw.status >= 300) throw new Error(`creating a gateway failed: ${gw.errorCode} ${gw.errorMsg}`);
  const gateway = (await client.call('GET', `/vpn-gateways/${gw.body.vpn_gateway.id}`)).body.vpn_gateway;
  const cgws: string[] = new Array(Math.ceil(count / 2));
  await pool(cgws.length, 16, async (i) => {
    const r = await client.call('POST', '/customer-gateways', { customer_gateway: { name: `bench-cgw-${i}`, id_value: cgwIp(i) } });
    if (r.status >= 300) throw new Error(`creating a customer gateway failed: ${r.errorCode} ${r.errorMsg}`);
    cgws[i] = r.body.customer_gateway.id;
  });
  return { gateway, cgws };
}

/**
 * Signed creates of connections `from` to `to` - 1 (signatures hold 15 minutes: sign close to
 * sending); `extra` goes into each vpn_connection (policies, for instance).
 */
export function signHuaweiCreates(
  endpoint: string,
  { gateway, cgws }: HuaweiTargets,
  from: number,
  to: number,
  extra: Record<string, unknown> = {},
): Signed[] {
  const path = `/v5/${BENCH_PROJECT}/vpn-connection`;
  const out: Signed[] = [];
  for (let i = from; i < to; i++) {
    const data = {
      vpn_connection: {
        vgw_id: gateway.id,
        vgw_ip: (i & 1 ? gateway.eip2 : gateway.eip1).id,
        cgw_id: cgws[i >> 1],
        peer_subnets: [`172.${16 + ((i >> 8) & 15)}.${i & 255}.0/24`],
        psk: 'Bench-Psk-1234',
        ...extra,
      },
    };
    const s = signHuawei({ endpoint, method: 'POST', path, data, ak: BENCH_AK, sk: BENCH_SK });
    out.push({ method: 'POST', path, headers: s.headers, body: s.body });
  }
  return out;
}

async function ec2Call(endpoint: string, params: Record<string, string>): Promise<string> {
  const s = await signEc2(endpoint, params, BENCH_AK, BENCH_SK);
  const { host, ...headers } = s.headers;
  const res = await fetch(s.url, { method: 'POST', headers, body: s.body });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${params.Action} failed: ${text}`);
  return text;
}

/** EC2: one virtual private gateway, a customer gateway per connection (two tunnels each). */
export async function prepareEc2(endpoint: string, count: number): Promise<Signed[]> {
  const vgw = /<vpnGatewayId>([^<]+)</.exec(await ec2Call(endpoint, { Action: 'CreateVpnGateway', Type: 'ipsec.1' }))![1];
  const cgws: string[] = new Array(count);
  await pool(count, 16, async (i) => {
    const xml = await ec2Call(endpoint, { Action: 'CreateCustomerGateway', Type: 'ipsec.1', IpAddress: cgwIp(i), BgpAsn: '65000' });
    cgws[i] = /<customerGatewayId>([^<]+)</.exec(xml)![1];
  });
  const out: Signed[] = [];
  for (let i = 0; i < count; i++) {
    const s = await signEc2(
      endpoint,
      { Action: 'CreateVpnConnection', Type: 'ipsec.1', VpnGatewayId: vgw, CustomerGatewayId: cgws[i], 'Options.StaticRoutesOnly': 'true' },
      BENCH_AK,
      BENCH_SK,
    );
    out.push({ method: 'POST', path: '/', headers: s.headers, body: s.body });
  }
  return out;
}

/** The ids of the first `n` connections of the Huawei list (pages of 200). */
export async function firstIds(endpoint: string, n: number): Promise<string[]> {
  const client = huawei(endpoint);
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    const page = await client.call('GET', '/vpn-connection', undefined, marker ? { limit: '200', marker } : { limit: '200' });
    if (page.status !== 200) throw new Error(`listing connections: ${page.status} ${page.errorCode} ${page.errorMsg}`);
    ids.push(...(page.body.vpn_connections as { id: string }[]).map((c) => c.id));
    marker = page.body.page_info?.next_marker;
  } while (marker && ids.length < n);
  return ids.slice(0, n);
}

/** Sweeps the Huawei list (limit 200) until every connection is ACTIVE. */
export async function waitActive(endpoint: string, count: number, timeoutMs = 600_000): Promise<number> {
  const client = huawei(endpoint);
  const t0 = performance.now();
  for (let sweeps = 1; ; sweeps++) {
    let marker: string | undefined;
    let active = 0;
    do {
      const q: Record<string, string> = { limit: '200' };
      if (marker) q.marker = marker;
      const page = await client.call('GET', '/vpn-connection', undefined, q);
      for (const c of page.body.vpn_connections as { status: string }[]) if (c.status === 'ACTIVE') active++;
      marker = page.body.page_info?.next_marker;
    } while (marker);
    if (active >= count) return sweeps;
    if (performance.now() - t0 > timeoutMs) throw new Error(`only ${active} of ${count} ACTIVE`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dialect = args[0] ?? 'huawei';
  const count = Number(args[1] ?? 10_000);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i < 0 ? undefined : (args[i + 1] ?? '');
  };
  const keep = flag('--keep');
  const dataDir = keep ?? mkdtempSync(join(tmpdir(), 'sitevpn-writes-'));
  const work = mkdtempSync(join(tmpdir(), 'sitevpn-pool-'));
  let server: PinnedServer | undefined;
  try {
    server = await startPinned(dataDir, { profileDir: flag('--profile') });
    const requests = dialect === 'ec2' ? await prepareEc2(server.endpoint, count) : await prepareHuawei(server.endpoint, count);
    const file = join(work, 'pool.txt');
    writePool(file, requests);
    const rssBefore = rssBytes(server.pid);
    const cpu0 = cpuSeconds(server.pid);
    const t0 = performance.now();
    const base = dialect === 'ec2' ? 0 : 0;
    const r = await runCreates(server.endpoint, file, base + count - 1);
    console.log(
      `${dialect} creates: ${r.created} in ${r.seconds.toFixed(2)} s, ${Math.round(r.created / r.seconds)} creates/s at concurrency 16`,
    );
    const ok = r.created;
    const cpuCreates = cpuSeconds(server.pid) - cpu0;
    console.log(
      `server CPU during the creates: ${((1000 * cpuCreates) / ok).toFixed(3)} ms per create (${Math.round(ok / cpuCreates)} creates per CPU-second)`,
    );
    if (args.includes('--active')) {
      const sweeps = await waitActive(server.endpoint, ok);
      const s = (performance.now() - t0) / 1000;
      const perTunnel = (rssBytes(server.pid) - rssBefore) / ok;
      const cpuAll = cpuSeconds(server.pid) - cpu0;
      console.log(
        `server CPU from the first create to all ACTIVE: ${((1000 * cpuAll) / ok).toFixed(3)} ms per connection (${Math.round(ok / cpuAll)} per CPU-second)`,
      );
      console.log(
        `all ${ok} ACTIVE ${s.toFixed(2)} s after the first create (${sweeps} list sweeps); RSS growth ${(perTunnel / 1024).toFixed(1)} KiB per tunnel`,
      );
    }
  } finally {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('creates.ts')) await main();
