// Issue 3's figures: signed GetActiveVpnTunnelStatus, DescribeVpnConnections for one id and for
// 100 connections, each beside a bare node:http server answering the same bytes in the same run.
import { CreateVpnConnectionCommand, EC2Client } from '@aws-sdk/client-ec2';
import { HuaweiTestClient } from '../test/support/huawei-client.ts';
import { sendEc2, signEc2 } from '../test/support/aws-raw.ts';
import { BENCH_AK, BENCH_PROJECT, BENCH_SK, startBareServer, startSitevpn, type Running } from './lib/processes.ts';
import { row, runLoad, TABLE_HEAD, type LoadRequest } from './lib/load.ts';

const CREDS = { accessKeyId: BENCH_AK, secretAccessKey: BENCH_SK };

export async function awsReadsBenchmark(opts: { durationSeconds: number }): Promise<string> {
  const sitevpn = await startSitevpn();
  try {
    const { ids, outsideIp } = await createConnections(sitevpn.endpoint, 100);
    await waitUntilUp(sitevpn.endpoint, ids, outsideIp);
    const scenarios: [string, (id: string) => Record<string, string>, string[]][] = [
      ['GetActiveVpnTunnelStatus', (id) => ({ Action: 'GetActiveVpnTunnelStatus', VpnConnectionId: id, VpnTunnelOutsideIpAddress: outsideIp }), ids],
      ['DescribeVpnConnections (one id)', (id) => ({ Action: 'DescribeVpnConnections', 'VpnConnectionId.1': id }), ids],
      ['DescribeVpnConnections (100 connections)', () => ({ Action: 'DescribeVpnConnections' }), [ids[0]]],
    ];
    const sections: string[] = [];
    for (const [label, params, over] of scenarios) {
      const lines = [TABLE_HEAD];
      const sample = await sendEc2(await signEc2(sitevpn.endpoint, params(over[0]), CREDS));
      if (sample.status !== 200) throw new Error(`${label}: ${sample.status} ${sample.text}`);
      const bare = await startBareServer(sample.text, 'text/xml;charset=UTF-8');
      try {
        for (const c of [1, 16]) {
          // SigV4 allows five minutes of skew: sign right before each run.
          const base = await runLoad(bare.endpoint, await signed(bare, over, params), c, opts.durationSeconds);
          const ours = await runLoad(sitevpn.endpoint, await signed(sitevpn, over, params), c, opts.durationSeconds);
          lines.push(row('bare node:http', c, base), row(`sitevpn (${label})`, c, ours, base));
        }
      } finally {
        await bare.stop();
      }
      sections.push(`### EC2 ${label} (${sample.text.length} bytes per answer, ${opts.durationSeconds} s per run)\n\n${lines.join('\n')}\n`);
    }
    return sections.join('\n');
  } finally {
    await sitevpn.stop();
  }
}

async function signed(target: Running, ids: string[], params: (id: string) => Record<string, string>): Promise<LoadRequest[]> {
  return Promise.all(
    ids.map(async (id) => {
      const r = await signEc2(target.endpoint, params(id), CREDS);
      const { host, ...headers } = r.headers;
      return { method: 'POST', path: '/', headers, body: r.body };
    }),
  );
}

async function createConnections(endpoint: string, count: number): Promise<{ ids: string[]; outsideIp: string }> {
  const huawei = new HuaweiTestClient(endpoint, BENCH_AK, BENCH_SK, BENCH_PROJECT);
  const ec2 = new EC2Client({ endpoint, region: 'us-east-1', credentials: CREDS, maxAttempts: 1 });
  const gw = await huawei.call('POST', '/vpn-gateways', {
    vpn_gateway: { name: 'bench-gw', vpc_id: '7a1f0c3e-0000-4000-8000-00000000be01', local_subnets: ['10.0.0.0/8'], connect_subnet: '7a1f0c3e-0000-4000-8000-00000000be02' },
  });
  const gateway = (await huawei.call('GET', `/vpn-gateways/${gw.body.vpn_gateway.id}`)).body.vpn_gateway;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const cgw = await huawei.call('POST', '/customer-gateways', { customer_gateway: { name: `cgw-${i}`, id_value: `100.65.${i >> 8}.${i & 255}` } });
    const r = await ec2.send(new CreateVpnConnectionCommand({ CustomerGatewayId: cgw.body.customer_gateway.id, VpnGatewayId: gateway.id, Type: 'ipsec.1' }));
    ids.push(r.VpnConnection!.VpnConnectionId!);
  }
  return { ids, outsideIp: gateway.eip1.ip_address };
}

async function waitUntilUp(endpoint: string, ids: string[], outsideIp: string): Promise<void> {
  for (const id of ids) {
    for (let i = 0; ; i++) {
      const r = await sendEc2(await signEc2(endpoint, { Action: 'GetActiveVpnTunnelStatus', VpnConnectionId: id, VpnTunnelOutsideIpAddress: outsideIp }, CREDS));
      if (r.text.includes('<provisioningStatus>available</provisioningStatus>') && r.text.includes('<ikeVersion>')) break;
      if (i > 500) throw new Error(`connection ${id} did not come up: ${r.text}`);
      await new Promise((res) => setTimeout(res, 10));
    }
  }
}
