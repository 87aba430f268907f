// Issue 4's end-to-end figure: 10,000 VPN connections created through the Huawei API on a
// sitevpn child process (embedded defaults: SQLite, simulated data plane), each to its own
// customer gateway on one VPN gateway. Measured: the wall time from the first create until the
// list shows every connection ACTIVE, and the server's resident memory (VmRSS) before the first
// create and once all are ACTIVE, which gives the memory per tunnel (store caches included).
import { readFileSync } from 'node:fs';
import { HuaweiTestClient } from '../test/support/huawei-client.ts';
import { pool } from './lib/fixtures.ts';
import { BENCH_AK, BENCH_PROJECT, BENCH_SK, startSitevpn } from './lib/processes.ts';
import type { BenchOutput } from './lib/results.ts';

export interface EngineApiOptions {
  connections?: number;
  /** Requests in flight at once while creating. */
  concurrency?: number;
  /** Give up waiting for ACTIVE after this long. */
  timeoutMs?: number;
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(line.split(/\s+/)[1]) * 1024;
}

/** 100.64.0.0 upwards: a distinct address per customer gateway. */
function cgwIp(i: number): string {
  return `100.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
}

async function countActive(client: HuaweiTestClient): Promise<{ active: number; total: number }> {
  let marker: string | undefined;
  let active = 0;
  let total = 0;
  do {
    const query: Record<string, string> = { limit: '200' };
    if (marker) query.marker = marker;
    const page = await client.call('GET', '/vpn-connection', undefined, query);
    if (page.status !== 200) throw new Error(`listing connections failed: ${page.errorCode} ${page.errorMsg}`);
    for (const c of page.body.vpn_connections as { status: string }[]) if (c.status === 'ACTIVE') active++;
    total = page.body.total_count;
    marker = page.body.page_info.next_marker;
  } while (marker);
  return { active, total };
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

export async function engineApiBenchmark(opts: EngineApiOptions = {}): Promise<BenchOutput> {
  const count = opts.connections ?? 10_000;
  const concurrency = opts.concurrency ?? 16;
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const sitevpn = await startSitevpn();
  try {
    const client = new HuaweiTestClient(sitevpn.endpoint, BENCH_AK, BENCH_SK, BENCH_PROJECT);
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
    const cgwIds: string[] = new Array(count);
    await pool(count, concurrency, async (i) => {
      const cgw = await client.call('POST', '/customer-gateways', { customer_gateway: { name: `bench-cgw-${i}`, id_value: cgwIp(i) } });
      if (cgw.status >= 300) throw new Error(`creating a customer gateway failed: ${cgw.errorCode} ${cgw.errorMsg}`);
      cgwIds[i] = cgw.body.customer_gateway.id;
    });

    const rssBefore = rssBytes(sitevpn.pid);
    const started = performance.now();
    await pool(count, concurrency, async (i) => {
      const conn = await client.call('POST', '/vpn-connection', {
        vpn_connection: {
          vgw_id: gateway.id,
          vgw_ip: gateway.eip1.id,
          cgw_id: cgwIds[i],
          peer_subnets: [`172.${16 + ((i >> 8) & 15)}.${i & 255}.0/24`],
          psk: 'Bench-Psk-1234',
        },
      });
      if (conn.status >= 300) throw new Error(`creating a connection failed: ${conn.errorCode} ${conn.errorMsg}`);
    });
    const created = performance.now();
    let polls = 0;
    for (;;) {
      polls++;
      const { active, total } = await countActive(client);
      if (total !== count) throw new Error(`expected ${count} connections, the list says ${total}`);
      if (active === count) break;
      if (performance.now() - started > timeoutMs) throw new Error(`only ${active} of ${count} connections ACTIVE after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const allActive = performance.now();
    const rssAfter = rssBytes(sitevpn.pid);

    const createS = (created - started) / 1000;
    const activeS = (allActive - started) / 1000;
    const perTunnel = (rssAfter - rssBefore) / count;
    const rows = [
      '| measure | value |',
      '|---|---|',
      `| connections (one tunnel each) | ${count.toLocaleString('en-US')} |`,
      `| creates (concurrency ${concurrency}) | ${createS.toFixed(1)} s (${Math.round(count / createS)} creates/s) |`,
      `| first create → all ACTIVE | ${activeS.toFixed(1)} s (${Math.round(count / activeS)} tunnels/s end to end; ${polls} list sweep(s) of ${Math.ceil(count / 200)} pages) |`,
      `| server RSS before the first create | ${mib(rssBefore)} MiB |`,
      `| server RSS once all ACTIVE | ${mib(rssAfter)} MiB |`,
      `| memory per tunnel | ${(perTunnel / 1024).toFixed(1)} KiB (RSS growth / connections; SQLite page cache and the connection cache included) |`,
    ];
    return {
      title: `${count.toLocaleString('en-US')} connections through the Huawei API to ACTIVE (simulated data plane, SQLite)`,
      markdown: `${rows.join('\n')}\n\nThe creating client runs in the bench process (unpinned); sitevpn is pinned to core 1 and writes its access log.\n`,
      data: {
        connections: count,
        concurrency,
        createSeconds: createS,
        createsPerSecond: count / createS,
        allActiveSeconds: activeS,
        listSweeps: polls,
        rssBeforeBytes: rssBefore,
        rssAfterBytes: rssAfter,
        bytesPerTunnel: perTunnel,
      },
    };
  } finally {
    await sitevpn.stop();
  }
}
