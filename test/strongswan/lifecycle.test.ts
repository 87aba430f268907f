// What happens around established tunnels on a real strongSwan: a restart of sitevpn leaves the
// SAs alone, a dead customer is noticed by DPD and comes back, and a charon that goes away makes
// every tunnel DOWN with the reason until it returns.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateCustomerGatewayCommand,
  CreateVpnConnectionCommand,
  CreateVpnGatewayCommand,
  DescribeVpnConnectionsCommand,
  GetVpnConnectionDeviceSampleConfigurationCommand,
} from '@aws-sdk/client-ec2';
import type { Tunnel } from '../../src/domain/entities.ts';
import { ec2Client } from '../support/aws-client.ts';
import { testContext } from '../support/fixtures.ts';
import { connNames, installedSa, Lab, labUnavailable, listSas, skipReason, until, withPsks } from '../support/netns.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const skip = skipReason(labUnavailable());
const GW_IPS = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'];
const CGW = { huawei: '198.51.100.21', aws: '198.51.100.22' };
const DPD = { interval: 10, timeout: 5 };

describe('the strongSwan data plane across restarts and failures', { skip }, () => {
  let lab: Lab;
  let server: TestServer;
  let dataDir: string;
  const ids = { huawei: '', aws: '' };
  let huaweiName = '';

  const start = () => startTestServer({ dataplane: 'strongswan', viciUri: lab.gw.viciUri, outsideIpPool: '192.0.2.0/29', dataDir });

  /** The tunnels of a connection as the store has them (observations included). */
  async function tunnels(id: string): Promise<Tunnel[]> {
    const ctx = await testContext(server);
    return (await server.app.store.getConnection(ctx.tenantId, id))!.tunnels;
  }

  const huaweiStatus = async () => (await server.huawei.call('GET', `/vpn-connection/${ids.huawei}`)).body.vpn_connection.status as string;

  before(async () => {
    lab = await Lab.create({ gatewayIps: GW_IPS, customerIps: Object.values(CGW) });
    dataDir = mkdtempSync(join(tmpdir(), 'sitevpn-ss-'));
    server = await start();
    // A Huawei policy connection (the gateway initiates) with a short DPD ...
    const h = server.huawei;
    const hvgw = (
      await h.call('POST', '/vpn-gateways', {
        vpn_gateway: {
          vpc_id: 'cb4a631d-1b2c-4d3e-8f40-ca3fa348c36c',
          local_subnets: ['10.10.0.0/24'],
          connect_subnet: 'f5741286-5a6b-4c7d-8e9f-2c82bd9ee114',
        },
      })
    ).body.vpn_gateway.id;
    const vgw = (await h.call('GET', `/vpn-gateways/${hvgw}`)).body.vpn_gateway;
    const cgw = (await h.call('POST', '/customer-gateways', { customer_gateway: { id_value: CGW.huawei } })).body.customer_gateway;
    const psk = 'Life.cycle-Key1';
    const created = await h.call('POST', '/vpn-connection', {
      vpn_connection: {
        vgw_id: vgw.id,
        vgw_ip: vgw.eip1.id,
        cgw_id: cgw.id,
        style: 'POLICY',
        psk,
        peer_subnets: ['10.20.0.0/24'],
        policy_rules: [{ rule_index: 1, source: '10.10.0.0/24', destination: ['10.20.0.0/24'] }],
        ikepolicy: { dpd: DPD },
        ipsecpolicy: { pfs: 'group14' },
      },
    });
    assert.equal(created.status, 201, created.errorMsg);
    ids.huawei = created.body.vpn_connection.id;
    const peer = await h.call('POST', `/vpn-connection/${ids.huawei}/peer-configuration/export`, {
      vendor: 'strongSwan',
      type: 'swanctl',
      model: 'Debian',
      version: '5.9.8',
    });
    huaweiName = connNames(peer.body.peer_config)[0];
    lab.saveCustomerConfig('huawei', withPsks(peer.body.peer_config, [psk]));
    // ... and an EC2 connection whose two tunnels wait for the customer (startup action add).
    const ec2 = ec2Client(server.endpoint);
    const vgwId = (await ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!.VpnGatewayId!;
    const cgwId = (await ec2.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: CGW.aws, BgpAsn: 65020 })))
      .CustomerGateway!.CustomerGatewayId!;
    const psks = ['Life.cycle_two', 'Life.cycle_three'];
    const conn = await ec2.send(
      new CreateVpnConnectionCommand({
        Type: 'ipsec.1',
        VpnGatewayId: vgwId,
        CustomerGatewayId: cgwId,
        Options: {
          StaticRoutesOnly: true,
          LocalIpv4NetworkCidr: '10.20.0.0/24',
          RemoteIpv4NetworkCidr: '10.10.0.0/24',
          TunnelOptions: psks.map((PreSharedKey) => ({ PreSharedKey })),
        },
      }),
    );
    ids.aws = conn.VpnConnection!.VpnConnectionId!;
    const sample = await ec2.send(
      new GetVpnConnectionDeviceSampleConfigurationCommand({ VpnConnectionId: ids.aws, VpnConnectionDeviceTypeId: '5f1c3a70' }),
    );
    lab.saveCustomerConfig('aws', withPsks(sample.VpnConnectionDeviceSampleConfiguration!, psks));
    await until(async () => (await tunnels(ids.aws)).every((t) => t.observed.provisioning !== 'pending'), 60_000, 'EC2 tunnels loaded');
    await lab.loadCustomerConfig();
    await lab.initiateFromCustomer(huaweiName, huaweiName);
    await until(
      async () => (await huaweiStatus()) === 'ACTIVE' && (await tunnels(ids.aws)).every((t) => t.observed.ikeStatus === 'UP'),
      60_000,
      'all tunnels up',
    );
  });

  after(async () => {
    if (process.env.SV_DEBUG) process.stderr.write(`--- gw charon log\n${lab?.gw.logText().split('\n').slice(-120).join('\n')}\n`);
    await server?.close().catch(() => {});
    await lab?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves established SAs untouched when sitevpn restarts (same IKE_SA and CHILD_SA ids)', async () => {
    const snapshot = async () =>
      (await listSas(lab.gw.viciUri))
        .map((s) => `${s.name}[${s.uniqueid}] ${s.state} ${s.children.map((c) => `{${c.uniqueid}} ${c.state}`).join(' ')}`)
        .sort();
    const before = await snapshot();
    assert.equal(before.length, 3, before.join('\n'));
    const deletions = () => (lab.gw.logText().match(/deleting IKE_SA|initiating IKE_SA/g) ?? []).length;
    const activity = deletions();
    await server.close();
    server = await start();
    const all = async () => [...(await tunnels(ids.huawei)), ...(await tunnels(ids.aws))];
    // The new instance reads list-sas and reports the SAs it found as kept.
    await until(
      async () => {
        const history = await Promise.all((await all()).map((t) => server.app.store.listTunnelEvents(t.id, 5, 'history')));
        return history.every((h) => h.some((e) => e.kind === 'ike-up' && / kept \(established \d+ s ago\)/.test(e.detail)));
      },
      60_000,
      'every tunnel reported as kept',
    );
    assert.deepEqual(await snapshot(), before);
    assert.equal(deletions(), activity, 'no SA was deleted or initiated');
    assert.equal(await huaweiStatus(), 'ACTIVE');
  });

  it('reports an IKE_SA rekey and a CHILD_SA rekey with the new SAs', async () => {
    const [t] = await tunnels(ids.huawei);
    const { ViciClient } = await import('../../src/dataplane/strongswan/vici/commands.ts');
    const gw = await ViciClient.connect(lab.gw.viciUri);
    try {
      const before = (await installedSa(lab.gw.viciUri, { local: GW_IPS[0], remote: CGW.huawei }))!;
      const reported = (kind: string) =>
        until(
          async () => (await server.app.store.listTunnelEvents(t.id, 5, 'history')).find((e) => e.kind === kind),
          60_000,
          `${kind} reported`,
        );
      await gw.rekey({ ike: t.id });
      const ikeRekey = await reported('ike-rekey');
      await gw.rekey({ 'child-id': Number(before.child.uniqueid) });
      await reported('child-rekey');
      const after = (await installedSa(lab.gw.viciUri, { local: GW_IPS[0], remote: CGW.huawei }))!;
      assert.notEqual(after.ike.uniqueid, before.ike.uniqueid);
      assert.notEqual(after.child.uniqueid, before.child.uniqueid);
      assert.match(ikeRekey.detail, new RegExp(`\\[${after.ike.uniqueid}\\] rekeyed with ${CGW.huawei}`));
      const [now] = await tunnels(ids.huawei);
      assert.equal(now.observed.ikeStatus, 'UP');
      assert.equal(now.observed.negotiated?.phase2.dhGroup, 14, 'a rekeyed CHILD_SA shows its PFS group');
      assert.equal(await huaweiStatus(), 'ACTIVE');
    } finally {
      await gw.close();
    }
  });

  it('reports DOWN within the DPD timeout when the customer charon dies, and ACTIVE again once it is back', async () => {
    await lab.cgw.stop('SIGKILL');
    // DOWN because of DPD (the reason says so), not because of a clock: the wait is only a cap.
    await until(async () => (await huaweiStatus()) === 'DOWN', 60_000, 'Huawei DOWN');
    const [h] = await tunnels(ids.huawei);
    assert.match(h.observed.statusMessage, new RegExp(`^DPD timeout: peer ${CGW.huawei} not responding$|^peer did not respond: `));
    const aws = await until(
      async () => {
        const c = (await ec2Client(server.endpoint).send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [ids.aws] })))
          .VpnConnections![0];
        return c.VgwTelemetry!.every((t) => t.Status === 'DOWN') && c;
      },
      60_000,
      'EC2 tunnels DOWN',
    );
    for (const t of aws.VgwTelemetry!) assert.equal(t.StatusMessage, `DPD timeout: peer ${CGW.aws} not responding`);

    await lab.cgw.start();
    await lab.loadCustomerConfig(); // the EC2 tunnels: start_action = start
    await lab.initiateFromCustomer(huaweiName, huaweiName);
    await until(
      async () => (await huaweiStatus()) === 'ACTIVE' && (await tunnels(ids.aws)).every((t) => t.observed.ikeStatus === 'UP'),
      60_000,
      'all tunnels up again',
    );
    assert.ok(await installedSa(lab.cgw.viciUri, { local: CGW.huawei, remote: GW_IPS[0] }));
  });

  it('reports every tunnel DOWN while its charon is away, and what list-sas shows once it is back', async () => {
    await lab.gw.stop('SIGTERM');
    const unreachable = new RegExp(`^strongSwan \\(VICI unix://${lab.gw.socket.replaceAll('.', '\\.')}\\) is not reachable$`);
    await until(
      async () =>
        (await Promise.all([tunnels(ids.huawei), tunnels(ids.aws)]))
          .flat()
          .every((t) => unreachable.test(t.observed.statusMessage) && t.observed.ikeStatus === 'DOWN'),
      60_000,
      'all DOWN, charon unreachable',
    );
    assert.equal(await huaweiStatus(), 'DOWN');
    await lab.gw.start();
    // sitevpn reconnects, loads its conns again and initiates the Huawei tunnel (startup action start).
    await until(async () => (await huaweiStatus()) === 'ACTIVE', 60_000, 'Huawei ACTIVE again');
    assert.ok(await installedSa(lab.gw.viciUri, { local: GW_IPS[0], remote: CGW.huawei }));
    // The EC2 tunnels wait for the customer, which saw its SAs deleted when charon stopped.
    const aws = await until(
      async () => {
        const ts = await tunnels(ids.aws);
        return ts.every((t) => !unreachable.test(t.observed.statusMessage)) && ts;
      },
      60_000,
      'EC2 tunnels reconciled',
    );
    for (const t of aws) assert.equal(t.observed.statusMessage, `waiting for peer ${CGW.aws} to initiate (startup action add)`);
  });
});
