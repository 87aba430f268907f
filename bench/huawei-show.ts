// Issue 2's figure: signed GET /v5/{project_id}/vpn-connection/{id} over 1,000 connections, at
// concurrency 1 and 16, beside a bare node:http server answering the same bytes in the same run.
import { HuaweiTestClient } from '../test/support/huawei-client.ts';
import { signHuawei } from '../test/support/huawei-raw.ts';
import { BENCH_AK, BENCH_PROJECT, BENCH_SK, startBareServer, startSitevpn } from './lib/processes.ts';
import { row, runLoad, TABLE_HEAD, type LoadRequest } from './lib/load.ts';

export async function huaweiShowBenchmark(opts: { connections: number; durationSeconds: number }): Promise<string> {
  const sitevpn = await startSitevpn();
  let bare: Awaited<ReturnType<typeof startBareServer>> | undefined;
  try {
    const client = new HuaweiTestClient(sitevpn.endpoint, BENCH_AK, BENCH_SK, BENCH_PROJECT);
    const ids = await createConnections(client, opts.connections);
    const requests: LoadRequest[] = ids.map((id) => {
      const signed = signHuawei({ endpoint: sitevpn.endpoint, method: 'GET', path: `/v5/${BENCH_PROJECT}/vpn-connection/${id}`, ak: BENCH_AK, sk: BENCH_SK });
      const { host, ...headers } = signed.headers;
      return { method: 'GET', path: new URL(signed.url).pathname, headers };
    });
    const sample = await client.call('GET', `/vpn-connection/${ids[0]}`);
    bare = await startBareServer(JSON.stringify(sample.body), 'application/json; charset=utf-8');
    const lines = [TABLE_HEAD];
    for (const c of [1, 16]) {
      const base = await runLoad(bare.endpoint, requests, c, opts.durationSeconds);
      const ours = await runLoad(sitevpn.endpoint, requests, c, opts.durationSeconds);
      lines.push(row('bare node:http', c, base), row('sitevpn (Huawei show)', c, ours, base));
    }
    return `### Huawei GET vpn-connection/{id} (${opts.connections} connections, ${opts.durationSeconds} s per run)\n\n${lines.join('\n')}\n`;
  } finally {
    await bare?.stop();
    await sitevpn.stop();
  }
}

async function createConnections(client: HuaweiTestClient, count: number): Promise<string[]> {
  const gw = await client.call('POST', '/vpn-gateways', {
    vpn_gateway: { name: 'bench-gw', vpc_id: '7a1f0c3e-0000-4000-8000-00000000be01', local_subnets: ['10.0.0.0/8'], connect_subnet: '7a1f0c3e-0000-4000-8000-00000000be02' },
  });
  if (gw.status >= 300) throw new Error(`creating a gateway failed: ${gw.errorCode} ${gw.errorMsg}`);
  // The create answer carries no EIPs (as in Huawei's API); the show answer does.
  const gateway = (await client.call('GET', `/vpn-gateways/${gw.body.vpn_gateway.id}`)).body.vpn_gateway;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const cgw = await client.call('POST', '/customer-gateways', {
      customer_gateway: { name: `bench-cgw-${i}`, id_value: `100.64.${i >> 8}.${i & 255}` },
    });
    if (cgw.status >= 300) throw new Error(`creating a customer gateway failed: ${cgw.errorCode} ${cgw.errorMsg}`);
    const conn = await client.call('POST', '/vpn-connection', {
      vpn_connection: {
        vgw_id: gateway.id,
        vgw_ip: gateway.eip1.id,
        cgw_id: cgw.body.customer_gateway.id,
        peer_subnets: [`10.${i >> 8}.${i & 255}.0/24`],
        psk: 'Bench-Psk-1234',
      },
    });
    if (conn.status >= 300) throw new Error(`creating a connection failed: ${conn.errorCode} ${conn.errorMsg}`);
    ids.push(conn.body.vpn_connection.id);
  }
  return ids;
}
