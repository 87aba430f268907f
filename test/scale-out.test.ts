// Issue 13's proof: two API instances and two data-plane instances (simulated driver) as real
// `sitevpn serve --role ...` processes on one throwaway PostgreSQL. Connections are created through
// both API instances with both dialects' official clients; a data-plane instance is SIGKILLed and
// its gateways are taken over with every tunnel ACTIVE again; an API instance is SIGKILLed in the
// middle of a burst of creates and nothing is half-written or duplicated; with no data-plane
// instance left, both dialects say the status is stale. Every wait polls for a state under a
// generous cap; no duration is asserted. Without PostgreSQL it skips loudly (fails with CI=true).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as sdk from '@aws-sdk/client-ec2';
import pg from 'pg';
import { ec2Client } from './support/aws-client.ts';
import { ClusterProcess, clusterEnv } from './support/cluster.ts';
import { HuaweiTestClient } from './support/huawei-client.ts';
import { postgresSkipReason, startPostgres, type TestPostgres } from './support/postgres.ts';
import { TEST_AK, TEST_PROJECT, TEST_SK } from './support/server.ts';

const LEASE_SECONDS = 2;
/** Generous: the machine may be loaded; only the condition is asserted, never the time. */
const CAP_MS = 120_000;

async function until<T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + CAP_MS;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`not reached within ${CAP_MS} ms: ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const skip = postgresSkipReason();
describe('several sitevpn instances on one PostgreSQL', { skip }, () => {
  let server: TestPostgres;
  let db: pg.Client;
  const procs: ClusterProcess[] = [];
  let api1: ClusterProcess;
  let api2: ClusterProcess;
  let dp1: ClusterProcess;
  let dp2: ClusterProcess;
  const created = new Set<string>();

  before(async () => {
    server = await startPostgres();
    const url = await server.createDatabase();
    db = new pg.Client({ connectionString: url });
    const env = clusterEnv(url, LEASE_SECONDS);
    [api1, api2, dp1, dp2] = [
      new ClusterProcess('api', env),
      new ClusterProcess('api', env),
      new ClusterProcess('dataplane', env),
      new ClusterProcess('dataplane', env),
    ];
    procs.push(api1, api2, dp1, dp2);
    // The first API instance migrates and bootstraps; the others start together after it.
    await api1.start();
    await Promise.all([api2.start(), dp1.start(), dp2.start()]);
    await db.connect();
  });
  after(async () => {
    await db?.end().catch(() => {});
    for (const p of procs) await p.stop();
    await server?.stop();
  });

  const huawei = (p: ClusterProcess) => new HuaweiTestClient(p.endpoint, TEST_AK, TEST_SK, TEST_PROJECT);
  const ec2 = (p: ClusterProcess) => ec2Client(p.endpoint, { accessKeyId: TEST_AK, secretAccessKey: TEST_SK });
  const describeAll = async (p: ClusterProcess) =>
    (await ec2(p).send(new sdk.DescribeVpnConnectionsCommand({}))).VpnConnections!.filter((c) => c.State !== 'deleted');
  const owners = async () =>
    new Map((await db.query('SELECT gateway_id, owner FROM gateway_leases')).rows.map((r) => [r.gateway_id as string, r.owner as string]));
  const pidOf = (owner: string) => Number(owner.split('-').at(-2));

  /** Every live connection through `via`: every tunnel UP and current (none stale), in both dialects. */
  async function allActive(via: ClusterProcess, expected: number) {
    const list = await describeAll(via);
    if (list.length !== expected) return false;
    const ec2Ok = list.every((c) => c.State === 'available' && c.VgwTelemetry!.every((t) => t.Status === 'UP' && t.StatusMessage === ''));
    if (!ec2Ok) return false;
    for (const c of list) {
      const h = await huawei(via).call('GET', `/vpn-connection/${c.VpnConnectionId}`);
      if (h.body?.vpn_connection?.status !== 'ACTIVE' || h.body.vpn_connection.status_reason !== undefined) return false;
    }
    return list;
  }

  it('creates connections through both API instances with both official clients, and the data-plane instances bring every tunnel up', async () => {
    let octet = 20;
    for (const api of [api1, api2]) {
      const h = huawei(api);
      const vgw = await h.call('POST', '/vpn-gateways', {
        vpn_gateway: {
          vpc_id: 'cb4a631d-1b2c-4d3e-8f40-ca3fa348c36c',
          local_subnets: ['10.0.0.0/24'],
          connect_subnet: 'f5741286-5a6b-4c7d-8e9f-2c82bd9ee114',
        },
      });
      assert.equal(vgw.status, 201, vgw.errorMsg);
      const g = (await h.call('GET', `/vpn-gateways/${vgw.body.vpn_gateway.id}`)).body.vpn_gateway;
      const cgw = await h.call('POST', '/customer-gateways', {
        customer_gateway: { name: `cgw-${octet}`, id_type: 'ip', id_value: `10.1.2.${octet++}`, bgp_asn: 65000 },
      });
      assert.equal(cgw.status, 201, cgw.errorMsg);
      const conn = await h.call('POST', '/vpn-connection', {
        vpn_connection: {
          vgw_id: g.id,
          vgw_ip: g.eip1.id,
          cgw_id: cgw.body.customer_gateway.id,
          peer_subnets: ['192.168.0.0/24'],
          psk: 'Abcdefgh1234',
        },
      });
      assert.equal(conn.status, 201, conn.errorMsg);
      created.add(conn.body.vpn_connection.id);

      const e = ec2(api);
      const ev = (await e.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!;
      const ec = (await e.send(new sdk.CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: `192.0.2.${octet++}`, BgpAsn: 65010 })))
        .CustomerGateway!;
      const vpn = (
        await e.send(
          new sdk.CreateVpnConnectionCommand({ Type: 'ipsec.1', VpnGatewayId: ev.VpnGatewayId, CustomerGatewayId: ec.CustomerGatewayId }),
        )
      ).VpnConnection!;
      created.add(vpn.VpnConnectionId!);
    }
    // Each API instance reads what the other wrote.
    for (const api of [api1, api2]) assert.deepEqual(new Set((await describeAll(api)).map((c) => c.VpnConnectionId)), created);
    await until('every tunnel ACTIVE', () => allActive(api2, created.size));
    const leases = await until('every gateway leased', async () => {
      const o = await owners();
      return o.size === 4 && o;
    });
    const byPid = new Set([...leases.values()].map(pidOf));
    assert.ok(
      [...byPid].every((pid) => pid === dp1.pid || pid === dp2.pid),
      'only data-plane instances own gateways',
    );
  });

  it('takes over the gateways of a SIGKILLed data-plane instance: every tunnel ACTIVE again, no connection lost or duplicated', async () => {
    const before = await owners();
    // The victim is an instance that owns gateways (both usually do).
    const victim = [...before.values()].some((o) => pidOf(o) === dp1.pid) ? dp1 : dp2;
    const survivor = victim === dp1 ? dp2 : dp1;
    const victims = [...before].filter(([, o]) => pidOf(o) === victim.pid).map(([g]) => g);
    assert.ok(victims.length > 0);
    await victim.kill();
    await until('the victim’s gateways leased by the survivor', async () => {
      const o = await owners();
      return victims.every((g) => pidOf(o.get(g) ?? '') === survivor.pid);
    });
    const list = await until('every tunnel ACTIVE again', () => allActive(api1, created.size));
    assert.deepEqual(new Set(list.map((c) => c.VpnConnectionId)), created, 'no connection lost or added');
    assert.equal(Number((await db.query('SELECT count(*) AS n FROM vpn_connections')).rows[0].n), created.size);
  });

  it('leaves no half-written record and no duplicate when an API instance is SIGKILLed during a burst of creates', async () => {
    const e = ec2(api2);
    const pairs: { vgw: string; cgw: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const vgw = (await e.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!.VpnGatewayId!;
      const cgw = (
        await e.send(new sdk.CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: `198.51.100.${10 + i}`, BgpAsn: 65020 }))
      ).CustomerGateway!.CustomerGatewayId!;
      pairs.push({ vgw, cgw });
    }
    const answered: string[] = [];
    const burst = pairs.map((p) =>
      e
        .send(new sdk.CreateVpnConnectionCommand({ Type: 'ipsec.1', VpnGatewayId: p.vgw, CustomerGatewayId: p.cgw }))
        .then((r) => void answered.push(r.VpnConnection!.VpnConnectionId!))
        .catch(() => undefined),
    );
    // Killed as soon as the first create is answered, with the others in flight.
    await Promise.race(burst);
    await api2.kill();
    await Promise.all(burst);

    const cgws = new Set(pairs.map((p) => p.cgw));
    const fresh = (await describeAll(api1)).filter((c) => cgws.has(c.CustomerGatewayId!));
    const perCgw = new Map<string, number>();
    for (const c of fresh) perCgw.set(c.CustomerGatewayId!, (perCgw.get(c.CustomerGatewayId!) ?? 0) + 1);
    assert.ok(
      [...perCgw.values()].every((n) => n === 1),
      `one connection per create at most: ${JSON.stringify([...perCgw])}`,
    );
    for (const id of answered)
      assert.ok(
        fresh.some((c) => c.VpnConnectionId === id),
        `answered create ${id} is stored`,
      );
    // Whole: both tunnels of every stored connection, each with its key (readable through the other instance).
    for (const c of fresh) {
      assert.equal(c.Options!.TunnelOptions!.length, 2, `${c.VpnConnectionId} has both tunnels`);
      const tunnels = Number((await db.query('SELECT count(*) AS n FROM tunnels WHERE connection_id = $1', [c.VpnConnectionId])).rows[0].n);
      assert.equal(tunnels, 2);
    }
    const orphans = Number(
      (await db.query('SELECT count(*) AS n FROM tunnels t LEFT JOIN vpn_connections c ON c.id = t.connection_id WHERE c.id IS NULL'))
        .rows[0].n,
    );
    assert.equal(orphans, 0, 'no tunnel without its connection');
    for (const c of fresh) created.add(c.VpnConnectionId!);
    await until('every tunnel, old and new, ACTIVE', () => allActive(api1, created.size));
  });

  it('says the status is stale in both dialects once no data-plane instance renews the leases', async () => {
    await dp1.kill();
    await dp2.kill();
    const id = [...created][0];
    const h = await until('Huawei reports the status stale', async () => {
      const r = await huawei(api1).call('GET', `/vpn-connection/${id}`);
      return r.body?.vpn_connection?.status === 'UNKNOWN' && r.body.vpn_connection;
    });
    assert.match(
      h.status_reason,
      /^status stale: the data plane instance owning \S+ stopped renewing its lease at \S+Z; showing the last observation until another instance takes over$/,
    );
    const c = (await ec2(api1).send(new sdk.DescribeVpnConnectionsCommand({ VpnConnectionIds: [id] }))).VpnConnections![0];
    assert.ok(
      c.VgwTelemetry!.every((t) => t.StatusMessage === h.status_reason),
      'EC2 says the same in StatusMessage',
    );
  });
});
