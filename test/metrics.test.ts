// /metrics, /healthz and /readyz on a real server: connections made through the official clients
// (Huawei SDK signer, @aws-sdk/client-ec2) on a ManualClock, so negotiations, rekeys and DPD
// timeouts happen when the test moves time on, and the scrape can be asserted line by line.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateCustomerGatewayCommand,
  CreateVpnConnectionCommand,
  CreateVpnGatewayCommand,
  DescribeVpnConnectionsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { StrongswanDriver } from '../src/dataplane/strongswan/driver.ts';
import { LINK_EVENTS } from '../src/dataplane/strongswan/link.ts';
import { FakeViciServer } from '../src/dataplane/strongswan/vici/fake-server.ts';
import { ManualClock } from '../src/domain/manual-clock.ts';
import { systemClock } from '../src/domain/ports.ts';
import { ec2Client } from './support/aws-client.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { eventually, startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

const DELAY_MS = 10;
const clock = new ManualClock(Date.now());
let server: TestServer;
let ec2: EC2Client;
before(async () => {
  server = await startTestServer({ simulatedDelayMs: DELAY_MS }, { clock });
  ec2 = ec2Client(server.endpoint);
});
after(() => server.close());

async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  await server.app.reconciler.idle();
}

async function scrape(endpoint = server.endpoint): Promise<{ status: number; type: string | null; lines: string[]; text: string }> {
  const r = await fetch(`${endpoint}/metrics`);
  const text = await r.text();
  return { status: r.status, type: r.headers.get('content-type'), lines: text.split('\n'), text };
}

const ext = (method: string, path: string, data?: unknown) =>
  send(
    signHuawei({ endpoint: server.endpoint, method, path: `/sitevpn/v1/projects/${TEST_PROJECT}${path}`, data, ak: TEST_AK, sk: TEST_SK }),
  );

async function huaweiConnection(deviceProfile?: unknown): Promise<{ id: string; ids: string[] }> {
  const gw = await server.huawei.call('POST', '/vpn-gateways', {
    vpn_gateway: {
      name: 'gw-metrics',
      vpc_id: '0b6b9a2e-3f7c-4d7e-9a51-2f1d6c8e4a10',
      local_subnets: ['10.10.0.0/16'],
      connect_subnet: '5c0e7d11-8a2b-4c3d-9e4f-6a7b8c9d0e1f',
    },
  });
  assert.equal(gw.status, 201, gw.errorMsg);
  // The outside IPs are allocated after the answer: the show has them.
  const vgw = (await server.huawei.call('GET', `/vpn-gateways/${gw.body.vpn_gateway.id}`)).body.vpn_gateway as {
    id: string;
    eip1: { id: string };
  };
  const cg = await server.huawei.call('POST', '/customer-gateways', {
    customer_gateway: { name: 'cgw-metrics', id_value: '198.51.100.20' },
  });
  assert.equal(cg.status, 201, cg.errorMsg);
  const cgwId = cg.body.customer_gateway.id as string;
  if (deviceProfile)
    assert.equal((await ext('PUT', `/customer-gateways/${cgwId}/device-profile`, { device_profile: deviceProfile })).status, 200);
  const body = {
    vpn_connection: { vgw_id: vgw.id, vgw_ip: vgw.eip1.id, cgw_id: cgwId, peer_subnets: ['192.168.0.0/24'], psk: 'Abcdefgh1234' },
  };
  const created = await server.huawei.call('POST', '/vpn-connection', body);
  assert.equal(created.status, 201, created.errorMsg);
  const id = created.body.vpn_connection.id as string;
  await advance(DELAY_MS);
  return { id, ids: [vgw.id, vgw.eip1.id, cgwId, id] };
}

const status = async (id: string) => (await server.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status as string;

describe('GET /metrics', () => {
  const secrets: string[] = [TEST_AK, TEST_SK, TEST_PROJECT, 'Abcdefgh1234'];
  let huawei: string;

  it('counts tunnels by state, negotiations and API requests by dialect, operation and status after connections made by both SDKs', async () => {
    const h = await huaweiConnection();
    huawei = h.id;
    secrets.push(...h.ids);
    assert.equal(await status(huawei), 'ACTIVE');

    const cgw = await ec2.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '198.51.100.21', BgpAsn: 65000 }));
    const vgw = await ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }));
    const vpn = await ec2.send(
      new CreateVpnConnectionCommand({
        Type: 'ipsec.1',
        CustomerGatewayId: cgw.CustomerGateway!.CustomerGatewayId,
        VpnGatewayId: vgw.VpnGateway!.VpnGatewayId,
        Options: { StaticRoutesOnly: true },
      }),
    );
    const vpnId = vpn.VpnConnection!.VpnConnectionId!;
    secrets.push(cgw.CustomerGateway!.CustomerGatewayId!, vgw.VpnGateway!.VpnGatewayId!, vpnId);
    await advance(DELAY_MS);
    const described = await ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpnId] }));
    assert.deepEqual(
      described.VpnConnections![0].VgwTelemetry!.map((t) => t.Status),
      ['UP', 'UP'],
    );

    const m = await scrape();
    assert.equal(m.status, 200);
    assert.equal(m.type, 'text/plain; version=0.0.4; charset=utf-8');
    for (const line of [
      'sitevpn_tunnels{state="pending"} 0',
      'sitevpn_tunnels{state="up"} 3',
      'sitevpn_tunnels{state="down"} 0',
      'sitevpn_tunnels{state="failed"} 0',
      'sitevpn_negotiations_total{result="success"} 3',
      'sitevpn_tunnel_events_total{kind="ike-up"} 3',
      // The ManualClock stands still while the reconciler writes: every lag is 0.
      'sitevpn_reconciler_lag_seconds_bucket{le="0.001"} 3',
      'sitevpn_reconciler_lag_seconds_count 3',
      'sitevpn_api_requests_total{dialect="huawei",action="CreateVpnGateway",status="201"} 1',
      'sitevpn_api_requests_total{dialect="huawei",action="CreateCustomerGateway",status="201"} 1',
      'sitevpn_api_requests_total{dialect="huawei",action="CreateVpnConnection",status="201"} 1',
      'sitevpn_api_requests_total{dialect="huawei",action="ShowVpnConnection",status="200"} 1',
      'sitevpn_api_requests_total{dialect="ec2",action="CreateCustomerGateway",status="200"} 1',
      'sitevpn_api_requests_total{dialect="ec2",action="CreateVpnGateway",status="200"} 1',
      'sitevpn_api_requests_total{dialect="ec2",action="CreateVpnConnection",status="200"} 1',
      'sitevpn_api_requests_total{dialect="ec2",action="DescribeVpnConnections",status="200"} 1',
      'sitevpn_api_request_duration_seconds_count{dialect="ec2",action="CreateVpnConnection",status="200"} 1',
      'sitevpn_dpd_timeouts_total 0',
    ]) {
      assert.ok(m.lines.includes(line), `missing line: ${line}`);
    }
    // Nothing that identifies a resource or a key, and no PSK.
    for (const s of secrets) assert.ok(!m.text.includes(s), `the scrape shows ${s}`);
  });

  it('names a failed request by its operation and status, and an unknown EC2 action as unknown', async () => {
    const missing = await server.huawei.call('GET', '/vpn-connection/5a8c6b39-0000-4000-8000-000000000000');
    assert.equal(missing.status, 404);
    const bogus = await fetch(`${server.endpoint}/?Action=Bogus${'x'.repeat(20)}&Version=2016-11-15`);
    assert.equal(bogus.status, 403);
    const m = await scrape();
    assert.ok(m.lines.includes('sitevpn_api_requests_total{dialect="huawei",action="ShowVpnConnection",status="404"} 1'));
    assert.ok(m.lines.includes('sitevpn_api_requests_total{dialect="ec2",action="unknown",status="403"} 1'));
    assert.ok(!m.text.includes('Bogus'));
  });

  it('counts a forced rekey and a DPD timeout', async () => {
    assert.equal((await ext('POST', `/vpn-connections/${huawei}/faults`, { fault: 'force-rekey' })).status, 202);
    await server.app.reconciler.idle();
    await eventually(async () => (await scrape()).lines.includes('sitevpn_rekeys_total{sa="ike"} 1'));
    assert.equal((await ext('POST', `/vpn-connections/${huawei}/faults`, { fault: 'dpd-timeout' })).status, 202);
    await server.app.reconciler.idle();
    await eventually(async () => (await status(huawei)) === 'DOWN');
    const m = await scrape();
    assert.ok(m.lines.includes('sitevpn_dpd_timeouts_total 1'));
    assert.ok(m.lines.includes('sitevpn_tunnels{state="down"} 1'));
    assert.ok(m.lines.includes('sitevpn_tunnels{state="up"} 2'));
    await advance(DELAY_MS);
    await eventually(async () => (await status(huawei)) === 'ACTIVE');
    assert.ok((await scrape()).lines.includes('sitevpn_negotiations_total{result="success"} 4'));
  });

  it('counts a failed negotiation by its IKE notify', async () => {
    const profile = {
      ike_versions: ['v2'],
      ike_proposals: [{ encryption: ['3des-cbc'], integrity: ['md5'], dh_groups: [2] }],
      esp_proposals: [{ encryption: ['3des-cbc'], integrity: ['md5'], pfs_groups: [] }],
    };
    const { id } = await huaweiConnection(profile);
    await eventually(async () => (await status(id)) === 'DOWN' || (await status(id)) === 'ERROR');
    const m = await scrape();
    assert.ok(m.lines.includes('sitevpn_negotiation_failures_total{stage="connect",reason="NO_PROPOSAL_CHOSEN"} 1'), m.text);
    assert.ok(m.lines.includes('sitevpn_negotiations_total{result="failure"} 1'));
    assert.ok(m.lines.includes('sitevpn_tunnels{state="failed"} 1'));
  });
});

describe('GET /healthz and /readyz', () => {
  it('answers 200 on both while the store and the simulated data plane are there', async () => {
    const h = await fetch(`${server.endpoint}/healthz`);
    assert.equal(h.status, 200);
    assert.deepEqual(await h.json(), { status: 'ok' });
    const r = await fetch(`${server.endpoint}/readyz`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), {
      status: 'ready',
      checks: { store: { status: 'ok', detail: 'the store answers' }, dataplane: { status: 'ok', detail: 'simulated data plane' } },
    });
  });

  it('answers /readyz 503 once the store is closed, while /healthz stays 200', async () => {
    const own = await startTestServer();
    try {
      assert.ok((await scrape(own.endpoint)).lines.includes('sitevpn_tunnels{state="up"} 0'));
      await own.app.store.close();
      const r = await fetch(`${own.endpoint}/readyz`);
      assert.equal(r.status, 503);
      assert.deepEqual(await r.json(), {
        status: 'not ready',
        checks: {
          store: { status: 'fail', detail: 'the store does not answer' },
          dataplane: { status: 'ok', detail: 'simulated data plane' },
        },
      });
      assert.equal((await fetch(`${own.endpoint}/healthz`)).status, 200);
      // Metrics still answer, with the tunnel counts last seen.
      const m = await scrape(own.endpoint);
      assert.equal(m.status, 200);
      assert.ok(m.lines.includes('sitevpn_tunnels{state="up"} 0'));
    } finally {
      await own.close().catch(() => {});
    }
  });

  it('follows the VICI session of the strongSwan data plane: ready and connected, then 503 and 0 once charon goes away', async () => {
    const fake = await FakeViciServer.start({
      events: [...LINK_EVENTS],
      commands: { 'get-algorithms': () => 'unknown', 'list-conns': () => ({}) },
    });
    // A reconnect an hour away: once charon is gone it stays gone for this test.
    const driver = new StrongswanDriver(systemClock, { viciUri: fake.uri, reconnectMs: 3_600_000, gcDelayMs: 3_600_000 });
    const own = await startTestServer({}, { dataplane: driver });
    let closed = false;
    try {
      const up = await fetch(`${own.endpoint}/readyz`);
      assert.equal(up.status, 200);
      assert.deepEqual(((await up.json()) as { checks: { dataplane: unknown } }).checks.dataplane, {
        status: 'ok',
        detail: 'strongSwan VICI session connected',
      });
      assert.ok((await scrape(own.endpoint)).lines.includes('sitevpn_vici_connected 1'));
      await fake.close();
      closed = true;
      await eventually(async () => (await fetch(`${own.endpoint}/readyz`)).status === 503);
      const down = await fetch(`${own.endpoint}/readyz`);
      assert.deepEqual(await down.json(), {
        status: 'not ready',
        checks: {
          store: { status: 'ok', detail: 'the store answers' },
          dataplane: { status: 'fail', detail: 'strongSwan VICI session down' },
        },
      });
      assert.ok((await scrape(own.endpoint)).lines.includes('sitevpn_vici_connected 0'));
    } finally {
      await own.close();
      if (!closed) await fake.close();
    }
  });

  it('has no vici gauge with the simulated data plane', async () => {
    assert.ok(!(await scrape()).text.includes('sitevpn_vici_connected'));
  });
});
