// Setup shared by the read benchmarks (not measured): a VPN gateway and N connections, each to
// its own customer gateway, created through the Huawei API, 16 requests at a time.
import { HuaweiTestClient } from '../../test/support/huawei-client.ts';
import { signHuawei } from '../../test/support/huawei-raw.ts';
import { BENCH_AK, BENCH_PROJECT, BENCH_SK } from './processes.ts';
import type { RawRequest } from './wrk.ts';

/** Runs `task(i)` for i in [0, count) with at most `concurrency` running at once. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export function huaweiClient(endpoint: string): HuaweiTestClient {
  return new HuaweiTestClient(endpoint, BENCH_AK, BENCH_SK, BENCH_PROJECT);
}

export async function huaweiGateway(client: HuaweiTestClient) {
  const gw = await client.call('POST', '/vpn-gateways', {
    vpn_gateway: {
      name: 'bench-gw',
      vpc_id: '7a1f0c3e-0000-4000-8000-00000000be01',
      local_subnets: ['10.0.0.0/8'],
      connect_subnet: '7a1f0c3e-0000-4000-8000-00000000be02',
    },
  });
  if (gw.status >= 300) throw new Error(`creating a gateway failed: ${gw.errorCode} ${gw.errorMsg}`);
  // The create answer carries no EIPs (as in Huawei's API); the show answer does.
  return (await client.call('GET', `/vpn-gateways/${gw.body.vpn_gateway.id}`)).body.vpn_gateway;
}

/** `count` Huawei VPN connections on one gateway; their ids in creation order. */
export async function huaweiConnections(client: HuaweiTestClient, count: number): Promise<string[]> {
  const gateway = await huaweiGateway(client);
  const ids: string[] = new Array(count);
  await pool(count, 16, async (i) => {
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
    ids[i] = conn.body.vpn_connection.id;
  });
  return ids;
}

/** Signed GET /v5/{project}/vpn-connection/{id} for each id, signed now (Huawei allows 15 minutes of skew). */
export function signedHuaweiShows(endpoint: string, ids: string[]): RawRequest[] {
  return ids.map((id) => {
    const signed = signHuawei({ endpoint, method: 'GET', path: `/v5/${BENCH_PROJECT}/vpn-connection/${id}`, ak: BENCH_AK, sk: BENCH_SK });
    const { host, ...headers } = signed.headers;
    return { method: 'GET', path: new URL(signed.url).pathname, headers };
  });
}
