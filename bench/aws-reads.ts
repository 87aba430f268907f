// Issue 12's EC2 read figures: signed GetActiveVpnTunnelStatus, DescribeVpnConnections for one
// id and for 100 connections, each beside a bare node:http server answering the same bytes in
// the same run. Every request is a SigV4-signed POST (as the SDKs send them), signed right before
// each run because SigV4 allows five minutes of skew.
import { CreateVpnConnectionCommand, EC2Client } from '@aws-sdk/client-ec2';
import { signEc2 } from '../test/support/aws-raw.ts';
import { huaweiClient, huaweiGateway, pool } from './lib/fixtures.ts';
import { BENCH_AK, BENCH_SK, startSitevpn } from './lib/processes.ts';
import { fetchRaw, type ReadScenario, readScenario, scenarioMarkdown } from './lib/read-bench.ts';
import type { BenchOutput } from './lib/results.ts';
import type { RawRequest } from './lib/wrk.ts';

const CREDS = { accessKeyId: BENCH_AK, secretAccessKey: BENCH_SK };
/** Two runs (bare, sitevpn) per signing, well inside SigV4's five minutes. */
const MAX_DURATION_S = 120;

export async function awsReadsBenchmark(opts: { durationSeconds: number }): Promise<BenchOutput> {
  if (opts.durationSeconds > MAX_DURATION_S)
    throw new Error(
      `aws-reads: BENCH_DURATION ${opts.durationSeconds} s is too long for SigV4's five minutes of skew (at most ${MAX_DURATION_S})`,
    );
  const sitevpn = await startSitevpn();
  try {
    const { ids, outsideIp } = await createConnections(sitevpn.endpoint, 100);
    await waitUntilUp(sitevpn.endpoint, ids, outsideIp);
    const specs: [string, (id: string) => Record<string, string>, string[]][] = [
      [
        'EC2 GetActiveVpnTunnelStatus',
        (id) => ({ Action: 'GetActiveVpnTunnelStatus', VpnConnectionId: id, VpnTunnelOutsideIpAddress: outsideIp }),
        ids,
      ],
      ['EC2 DescribeVpnConnections (one id)', (id) => ({ Action: 'DescribeVpnConnections', 'VpnConnectionId.1': id }), ids],
      ['EC2 DescribeVpnConnections (100 connections)', () => ({ Action: 'DescribeVpnConnections' }), [ids[0]]],
    ];
    const scenarios: ReadScenario[] = [];
    for (const [label, params, over] of specs) {
      const sign = () => signedPool(sitevpn.endpoint, over, params);
      scenarios.push(
        await readScenario({
          label,
          sitevpn,
          body: await fetchRaw(sitevpn.endpoint, (await sign())[0], label),
          contentType: 'text/xml;charset=UTF-8',
          sign,
          durationSeconds: opts.durationSeconds,
        }),
      );
    }
    return { title: 'EC2 reads', markdown: scenarios.map(scenarioMarkdown).join('\n'), data: { scenarios } };
  } finally {
    await sitevpn.stop();
  }
}

function signedPool(endpoint: string, ids: string[], params: (id: string) => Record<string, string>): Promise<RawRequest[]> {
  return Promise.all(
    ids.map(async (id) => {
      const r = await signEc2(endpoint, params(id), CREDS);
      const { host, ...headers } = r.headers;
      return { method: 'POST', path: '/', headers, body: r.body };
    }),
  );
}

export async function createConnections(endpoint: string, count: number): Promise<{ ids: string[]; outsideIp: string }> {
  const huawei = huaweiClient(endpoint);
  const ec2 = new EC2Client({ endpoint, region: 'us-east-1', credentials: CREDS, maxAttempts: 1 });
  const gateway = await huaweiGateway(huawei);
  const ids: string[] = new Array(count);
  await pool(count, 16, async (i) => {
    const cgw = await huawei.call('POST', '/customer-gateways', {
      customer_gateway: { name: `cgw-${i}`, id_value: `100.65.${i >> 8}.${i & 255}` },
    });
    if (cgw.status >= 300) throw new Error(`creating a customer gateway failed: ${cgw.errorCode} ${cgw.errorMsg}`);
    const r = await ec2.send(
      new CreateVpnConnectionCommand({ CustomerGatewayId: cgw.body.customer_gateway.id, VpnGatewayId: gateway.id, Type: 'ipsec.1' }),
    );
    ids[i] = r.VpnConnection!.VpnConnectionId!;
  });
  return { ids, outsideIp: gateway.eip1.ip_address };
}

export async function waitUntilUp(endpoint: string, ids: string[], outsideIp: string): Promise<void> {
  for (const id of ids) {
    for (let i = 0; ; i++) {
      const r = await signEc2(
        endpoint,
        { Action: 'GetActiveVpnTunnelStatus', VpnConnectionId: id, VpnTunnelOutsideIpAddress: outsideIp },
        CREDS,
      );
      const { host, ...headers } = r.headers;
      const res = await fetch(r.url, { method: 'POST', headers, body: r.body });
      const text = await res.text();
      if (text.includes('<provisioningStatus>available</provisioningStatus>') && text.includes('<ikeVersion>')) break;
      if (i > 500) throw new Error(`connection ${id} did not come up: ${text}`);
      await new Promise((res) => setTimeout(res, 10));
    }
  }
}
