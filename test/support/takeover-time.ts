// Measures gateway-lease takeover on a throwaway PostgreSQL: one API instance, two data-plane
// instances, N EC2 connections; SIGKILLs a data-plane instance that owns gateways and reports the
// time until its gateways are leased by the survivor and until every tunnel is UP again.
//   node --import tsx test/support/takeover-time.ts [leaseSeconds=15] [connections=10]
import * as sdk from '@aws-sdk/client-ec2';
import pg from 'pg';
import { ec2Client } from './aws-client.ts';
import { ClusterProcess, clusterEnv } from './cluster.ts';
import { startPostgres } from './postgres.ts';

const leaseSeconds = Number(process.argv[2] ?? 15);
const n = Number(process.argv[3] ?? 10);
const server = await startPostgres();
const procs: ClusterProcess[] = [];
try {
  const url = await server.createDatabase();
  const env = clusterEnv(url, leaseSeconds);
  const api = new ClusterProcess('api', env);
  const dps = [new ClusterProcess('dataplane', env), new ClusterProcess('dataplane', env)];
  procs.push(api, ...dps);
  await api.start();
  await Promise.all(dps.map((d) => d.start()));
  const ec2 = ec2Client(api.endpoint);
  for (let i = 0; i < n; i++) {
    const vgw = (await ec2.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!.VpnGatewayId!;
    const cgw = (
      await ec2.send(new sdk.CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: `198.51.100.${10 + i}`, BgpAsn: 65020 }))
    ).CustomerGateway!.CustomerGatewayId!;
    await ec2.send(new sdk.CreateVpnConnectionCommand({ Type: 'ipsec.1', VpnGatewayId: vgw, CustomerGatewayId: cgw }));
  }
  const allUp = async () => {
    const list = (await ec2.send(new sdk.DescribeVpnConnectionsCommand({}))).VpnConnections!;
    return list.length === n && list.every((c) => c.VgwTelemetry!.every((t) => t.Status === 'UP' && t.StatusMessage === ''));
  };
  while (!(await allUp())) await new Promise((r) => setTimeout(r, 50));
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const owners = async () =>
    (await db.query('SELECT gateway_id, owner FROM gateway_leases')).rows as { gateway_id: string; owner: string }[];
  const pidOf = (owner: string) => Number(owner.split('-').at(-2));
  const leases = await owners();
  const victim = dps.find((d) => leases.some((l) => pidOf(l.owner) === d.pid))!;
  const lost = leases.filter((l) => pidOf(l.owner) === victim.pid).map((l) => l.gateway_id);
  const t0 = performance.now();
  await victim.kill();
  let leased = 0;
  for (;;) {
    const now = await owners();
    if (lost.every((g) => now.some((l) => l.gateway_id === g && pidOf(l.owner) !== victim.pid))) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  leased = performance.now() - t0;
  while (!(await allUp())) await new Promise((r) => setTimeout(r, 20));
  const up = performance.now() - t0;
  await db.end();
  process.stdout.write(
    `lease ${leaseSeconds} s, ${n} connections, ${lost.length} gateways on the killed instance: taken over after ${(leased / 1000).toFixed(2)} s, every tunnel UP after ${(up / 1000).toFixed(2)} s\n`,
  );
} finally {
  for (const p of procs) await p.stop();
  await server.stop();
}
