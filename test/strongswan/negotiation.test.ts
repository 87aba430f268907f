// sitevpn on a real strongSwan: its charon in one network namespace, a customer's charon in
// another, the customer's configuration exported through both dialects and loaded as it is (PSK
// placeholders filled in). What GetActiveVpnTunnelStatus and the Huawei show report must be
// exactly what both charons' list-sas report; traffic must pass; failures carry the IKE notify.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type ActiveVpnTunnelStatus,
  CreateCustomerGatewayCommand,
  CreateVpnConnectionCommand,
  CreateVpnGatewayCommand,
  type EC2Client,
  GetActiveVpnTunnelStatusCommand,
  GetVpnConnectionDeviceSampleConfigurationCommand,
  ReplaceVpnTunnelCommand,
  type VpnTunnelOptionsSpecification,
} from '@aws-sdk/client-ec2';
import { ec2Client } from '../support/aws-client.ts';
import { connNames, installedSa, Lab, labUnavailable, listSas, skipReason, until, withPsks } from '../support/netns.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const skip = skipReason(labUnavailable());
const GW_IPS = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5', '192.0.2.6'];
const CGW_IPS = ['198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14'];

let ec2: EC2Client;

describe('the strongSwan data plane against a customer strongSwan', { skip }, () => {
  let lab: Lab;
  let server: TestServer;

  before(async () => {
    lab = await Lab.create({ gatewayIps: GW_IPS, customerIps: CGW_IPS });
    server = await startTestServer({ dataplane: 'strongswan', viciUri: lab.gw.viciUri, outsideIpPool: '192.0.2.0/29' });
    ec2 = ec2Client(server.endpoint);
  });

  after(async () => {
    if (process.env.SV_DEBUG) {
      for (const { tunnel: t } of await server.app.store.listAllTunnels()) {
        for (const e of await server.app.store.listTunnelEvents(t.id, 100, 'history'))
          process.stderr.write(`HIST ${t.id.slice(0, 8)} ${e.kind}: ${e.detail}\n`);
        for (const e of await server.app.store.listTunnelEvents(t.id, 100, 'log'))
          process.stderr.write(`LOG ${t.id.slice(0, 8)} ${e.detail}\n`);
      }
    }
    await server?.close().catch(() => {});
    await lab?.destroy();
  });

  /** A Huawei gateway (first one: the pool's first two IPs), customer gateway and policy connection. */
  async function huaweiConnection(o: {
    cgwIp: string;
    psk: string;
    ikepolicy?: object;
    ipsecpolicy?: object;
    vgw?: string;
    edit?: (config: string) => string;
  }) {
    const vgw =
      o.vgw ??
      (
        await server.huawei.call('POST', '/vpn-gateways', {
          vpn_gateway: {
            vpc_id: 'cb4a631d-1b2c-4d3e-8f40-ca3fa348c36c',
            local_subnets: ['10.10.0.0/24'],
            connect_subnet: 'f5741286-5a6b-4c7d-8e9f-2c82bd9ee114',
          },
        })
      ).body.vpn_gateway.id;
    const cgw = await server.huawei.call('POST', '/customer-gateways', { customer_gateway: { id_value: o.cgwIp } });
    const gw = (await server.huawei.call('GET', `/vpn-gateways/${vgw}`)).body.vpn_gateway;
    const r = await server.huawei.call('POST', '/vpn-connection', {
      vpn_connection: {
        vgw_id: vgw,
        vgw_ip: gw.eip1.id,
        cgw_id: cgw.body.customer_gateway.id,
        style: 'POLICY',
        psk: o.psk,
        peer_subnets: ['10.20.0.0/24'],
        policy_rules: [{ rule_index: 1, source: '10.10.0.0/24', destination: ['10.20.0.0/24'] }],
        ikepolicy: o.ikepolicy,
        ipsecpolicy: o.ipsecpolicy,
      },
    });
    assert.equal(r.status, 201, r.errorMsg);
    const id: string = r.body.vpn_connection.id;
    const exported = await server.huawei.call('POST', `/vpn-connection/${id}/peer-configuration/export`, {
      vendor: 'strongswan',
      type: 'swanctl',
      model: 'Linux',
      version: '5.9',
    });
    assert.equal(exported.status, 200, exported.errorMsg);
    const config: string = exported.body.peer_config;
    lab.saveCustomerConfig(id, withPsks(o.edit ? o.edit(config) : config, [o.psk]));
    await lab.loadCustomerConfig();
    return { id, vgw, name: connNames(config)[0], gatewayIp: gw.eip1.ip_address as string };
  }

  it('brings a Huawei policy-based connection ACTIVE from the exported peer configuration and passes traffic', async () => {
    const { id, name, gatewayIp } = await huaweiConnection({
      cgwIp: CGW_IPS[0],
      psk: 'Huawei.Peer-Key1',
      ikepolicy: { ike_version: 'v2', encryption_algorithm: 'aes-256-gcm-16', authentication_algorithm: 'sha2-384', dh_group: 'group20' },
      ipsecpolicy: { encryption_algorithm: 'aes-128-gcm-16', authentication_algorithm: 'sha2-256', pfs: 'group19' },
    });
    await lab.initiateFromCustomer(name, name);
    await until(
      async () => (await server.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status === 'ACTIVE',
      60_000,
      'Huawei status ACTIVE',
    );
    const gw = await installedSa(lab.gw.viciUri, { local: gatewayIp, remote: CGW_IPS[0] });
    const cgw = await installedSa(lab.cgw.viciUri, { local: CGW_IPS[0], remote: gatewayIp });
    assert.ok(gw && cgw, 'both charons show an installed SA pair');
    assert.deepEqual(gw.fields, cgw.fields);
    assert.equal(gw.fields['ike.encr-alg'], 'AES_GCM_16');
    assert.equal(gw.fields['ike.dh-group'], 'ECP_384');
    assert.equal(await lab.echoThroughTunnel(), true, 'TCP echo through the tunnel');
    const later = await installedSa(lab.gw.viciUri, { local: gatewayIp, remote: CGW_IPS[0] });
    assert.ok(Number(later!.child['packets-in']) > Number(gw.child['packets-in']), 'the echo went through the CHILD_SA');
  });

  /** An EC2 gateway (two outside IPs) and customer gateway, and a connection with narrowed selectors. */
  async function awsConnection(cgwIp: string, tunnels: VpnTunnelOptionsSpecification[]) {
    const vgw = (await ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!.VpnGatewayId!;
    const cgw = (await ec2.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: cgwIp, BgpAsn: 65010 }))).CustomerGateway!
      .CustomerGatewayId!;
    const created = await ec2.send(
      new CreateVpnConnectionCommand({
        Type: 'ipsec.1',
        VpnGatewayId: vgw,
        CustomerGatewayId: cgw,
        Options: {
          StaticRoutesOnly: true,
          LocalIpv4NetworkCidr: '10.20.0.0/24',
          RemoteIpv4NetworkCidr: '10.10.0.0/24',
          TunnelOptions: tunnels,
        },
      }),
    );
    const id = created.VpnConnection!.VpnConnectionId!;
    const outside = created.VpnConnection!.Options!.TunnelOptions!.map((t) => t.OutsideIpAddress!);
    const sample = await ec2.send(
      new GetVpnConnectionDeviceSampleConfigurationCommand({ VpnConnectionId: id, VpnConnectionDeviceTypeId: '5f1c3a70' }),
    );
    const config = sample.VpnConnectionDeviceSampleConfiguration!;
    return { id, outside, config, names: connNames(config) };
  }

  const status = (id: string, ip: string) =>
    ec2
      .send(new GetActiveVpnTunnelStatusCommand({ VpnConnectionId: id, VpnTunnelOutsideIpAddress: ip }))
      .then((r) => r.ActiveVpnTunnelStatus!);

  /** Waits until the gateway's charon has the tunnels (they leave `pending`: waiting for the peer). */
  const untilLoaded = (id: string, outside: string[]) =>
    until(
      async () => (await Promise.all(outside.map((ip) => status(id, ip)))).every((s) => s.ProvisioningStatus !== 'pending'),
      60_000,
      'tunnels loaded',
    );

  it('reports exactly what both charons negotiated for CBC/MODP and GCM/ECP proposal sets, with PFS when the gateway initiates', async () => {
    const value = <T>(...v: T[]) => v.map((Value) => ({ Value }));
    const psks = ['Aws.tunnel_one1', 'Aws.tunnel_two2'];
    const { id, outside, config, names } = await awsConnection(CGW_IPS[1], [
      {
        PreSharedKey: psks[0],
        IKEVersions: value('ikev2'),
        Phase1EncryptionAlgorithms: value('AES256-GCM-16'),
        Phase1IntegrityAlgorithms: value('SHA2-384'),
        Phase1DHGroupNumbers: value(20),
        Phase2EncryptionAlgorithms: value('AES128-GCM-16'),
        Phase2IntegrityAlgorithms: value('SHA2-256'),
        Phase2DHGroupNumbers: value(19),
      },
      {
        PreSharedKey: psks[1],
        StartupAction: 'start',
        IKEVersions: value('ikev2'),
        Phase1EncryptionAlgorithms: value('AES256'),
        Phase1IntegrityAlgorithms: value('SHA2-256'),
        Phase1DHGroupNumbers: value(15),
        Phase2EncryptionAlgorithms: value('AES128'),
        Phase2IntegrityAlgorithms: value('SHA2-512'),
        Phase2DHGroupNumbers: value(15),
      },
    ]);
    await untilLoaded(id, outside);
    lab.saveCustomerConfig(id, withPsks(config, psks));
    // Tunnel 1 (startup action add): the customer's start_action = start initiates it on load.
    // Tunnel 2 (start): the gateway's first try met an unconfigured customer; replacing the tunnel
    // makes it initiate again at once, childless first, so that the PFS group is negotiated.
    await lab.loadCustomerConfig();
    await ec2.send(new ReplaceVpnTunnelCommand({ VpnConnectionId: id, VpnTunnelOutsideIpAddress: outside[1] }));
    for (const [i, ip] of outside.entries()) {
      const seen = await until(
        async () => {
          const s = await status(id, ip);
          const gw = await installedSa(lab.gw.viciUri, { local: ip, remote: CGW_IPS[1] });
          return s.ProvisioningStatus === 'available' && s.Phase1EncryptionAlgorithm && gw && (i === 0 || s.Phase2DHGroup)
            ? { s, gw }
            : null;
        },
        60_000,
        `tunnel ${i + 1} available`,
      );
      const cgw = await installedSa(lab.cgw.viciUri, { local: CGW_IPS[1], remote: ip });
      assert.ok(cgw, `the customer charon has tunnel ${i + 1} (${names[i]})`);
      assert.deepEqual(seen.gw.fields, cgw.fields, 'both charons agree');
      assert.deepEqual(awsView(seen.s), expectedAws(seen.gw.fields), `tunnel ${i + 1}: GetActiveVpnTunnelStatus is list-sas`);
    }
    assert.deepEqual(awsView(await status(id, outside[0])), {
      IkeVersion: 'ikev2',
      Phase1EncryptionAlgorithm: 'AES256-GCM-16',
      Phase1IntegrityAlgorithm: 'SHA2-384',
      Phase1DHGroup: 20,
      Phase2EncryptionAlgorithm: 'AES128-GCM-16',
      Phase2IntegrityAlgorithm: undefined,
      Phase2DHGroup: undefined,
      ProvisioningStatus: 'available',
    });
    assert.deepEqual(awsView(await status(id, outside[1])), {
      IkeVersion: 'ikev2',
      Phase1EncryptionAlgorithm: 'AES256',
      Phase1IntegrityAlgorithm: 'SHA2-256',
      Phase1DHGroup: 15,
      Phase2EncryptionAlgorithm: 'AES128',
      Phase2IntegrityAlgorithm: 'SHA2-512',
      Phase2DHGroup: 15,
      ProvisioningStatus: 'available',
    });
  });

  it('reports failed with NO_PROPOSAL_CHOSEN for disjoint proposals and AUTHENTICATION_FAILED for a wrong PSK', async () => {
    const value = <T>(...v: T[]) => v.map((Value) => ({ Value }));
    const psks = ['Aws.tunnel_three', 'Aws.tunnel_four'];
    const { id, outside, config } = await awsConnection(CGW_IPS[2], [
      {
        PreSharedKey: psks[0],
        IKEVersions: value('ikev2'),
        Phase1EncryptionAlgorithms: value('AES256'),
        Phase1IntegrityAlgorithms: value('SHA2-512'),
        Phase1DHGroupNumbers: value(21),
      },
      { PreSharedKey: psks[1], IKEVersions: value('ikev2') },
    ]);
    // Tunnel 1: the customer offers only what the gateway refuses. Tunnel 2: the wrong key.
    const cut = config.search(/^ {2}\S+-tunnel2 \{$/m);
    const edited = config.slice(0, cut).replace(/^( +proposals = ).*$/m, '$1aes128-sha256-modp2048') + config.slice(cut);
    await untilLoaded(id, outside);
    // The sample carries the real keys (a full key reads them, as in EC2): tunnel 2's is swapped.
    assert.ok(edited.includes(`"${psks[1]}"`), "the sample carries tunnel 2's key");
    lab.saveCustomerConfig(id, edited.replace(`"${psks[1]}"`, '"Wrong.key_4"'));
    await lab.loadCustomerConfig();
    const one = await until(
      async () => ((await status(id, outside[0])).ProvisioningStatus === 'failed' ? status(id, outside[0]) : null),
      60_000,
      'tunnel 1 failed',
    );
    assert.match(
      one.ProvisioningStatusReason!,
      /^phase 1 NO_PROPOSAL_CHOSEN: no matching proposal \(peer offered IKE:AES_CBC_128\/HMAC_SHA2_256_128\/PRF_HMAC_SHA2_256\/MODP_2048, gateway accepts IKE:AES_CBC_256\/HMAC_SHA2_512_256\/PRF_HMAC_SHA2_512\/ECP_521\)$/,
    );
    const two = await until(
      async () => ((await status(id, outside[1])).ProvisioningStatus === 'failed' ? status(id, outside[1]) : null),
      60_000,
      'tunnel 2 failed',
    );
    assert.match(two.ProvisioningStatusReason!, /^phase 1 AUTHENTICATION_FAILED: pre-shared key mismatch/);
    assert.equal(await installedSa(lab.gw.viciUri, { local: outside[0], remote: CGW_IPS[2] }), null);
    assert.equal(await installedSa(lab.gw.viciUri, { local: outside[1], remote: CGW_IPS[2] }), null);
    const customerSide = await lab.initiateFromCustomer(`${id}-tunnel1`, `${id}-tunnel1`, 5);
    assert.match(customerSide, /received NO_PROPOSAL_CHOSEN notify error/);
  });

  it('fails a PFS mismatch at once when the gateway initiates (childless IKE_SA, then the CHILD_SA with its own DH)', async () => {
    const [gateway] = (await server.huawei.call('GET', '/vpn-gateways')).body.vpn_gateways;
    const { id } = await huaweiConnection({
      vgw: gateway.id,
      cgwIp: CGW_IPS[3],
      psk: 'Huawei.Peer-Key3',
      ipsecpolicy: { pfs: 'group14' },
      edit: (config) => config.replace(/^( +esp_proposals = ).*$/m, '$1aes128-sha256-modp3072'),
    });
    // The first try may have met a customer without configuration; a reset makes the gateway try again now.
    await until(
      async () => !(await server.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status.startsWith('PENDING'),
      60_000,
      'first try over',
    );
    const reset = await server.huawei.call('POST', `/vpn-connection/${id}/reset`, {});
    assert.equal(reset.status, 200, reset.errorMsg);
    const tunnel = await until(
      async () => {
        const [t] = (await server.app.store.listAllTunnels()).filter((x) => x.connectionId === id).map((x) => x.tunnel);
        return t.generation === 2 && t.observed.provisioning === 'failed' && t.observed.generation === 2 && t;
      },
      60_000,
      'the reset tunnel failed',
    );
    assert.equal(tunnel.observed.provisioningReason, "phase 2 NO_PROPOSAL_CHOSEN: the peer accepted none of the gateway's ESP proposals");
    assert.equal((await server.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status, 'ERROR');
    // The IKE_SA that carried the refused CHILD_SA is closed, not left empty.
    await until(async () => !(await listSas(lab.gw.viciUri)).some((sa) => sa.name === tunnel.id), 60_000, 'empty IKE_SA closed');
  });

  it('refuses SM4 before anything is stored, with a clear error in the Huawei dialect', async () => {
    const [gateway] = (await server.huawei.call('GET', '/vpn-gateways')).body.vpn_gateways;
    const cgw = await server.huawei.call('POST', '/customer-gateways', { customer_gateway: { id_value: '198.51.100.99' } });
    const before = (await server.huawei.call('GET', '/vpn-connection')).body.vpn_connections.length;
    const r = await server.huawei.call('POST', '/vpn-connection', {
      vpn_connection: {
        vgw_id: gateway.id,
        vgw_ip: gateway.eip1.id,
        cgw_id: cgw.body.customer_gateway.id,
        psk: 'Huawei.Peer-Key2',
        peer_subnets: ['10.20.0.0/24'],
        ipsecpolicy: { encryption_algorithm: 'sm4' },
      },
    });
    assert.equal(r.status, 400);
    assert.equal(r.errorCode, 'VPN.0562');
    assert.equal(
      r.errorMsg,
      'The current gateway version does not support this feature: the strongSwan data plane cannot use encryption sm4-cbc: strongSwan has no SM4 transform; choose an AES algorithm',
    );
    assert.equal((await server.huawei.call('GET', '/vpn-connection')).body.vpn_connections.length, before);
  });

  it('closes the SAs and unloads the conn and PSK of a deleted connection', async () => {
    const connection = (await server.huawei.call('GET', '/vpn-connection')).body.vpn_connections.find(
      (c: { status: string }) => c.status === 'ACTIVE',
    );
    const { tunnel } = (await server.app.store.listAllTunnels()).find((t) => t.connectionId === connection.id)!;
    assert.ok((await listSas(lab.gw.viciUri)).some((sa) => sa.name === tunnel.id));
    assert.match(await lab.gw.swanctl(['--list-conns']), new RegExp(tunnel.id));
    assert.equal((await server.huawei.call('DELETE', `/vpn-connection/${connection.id}`)).status, 204);
    await until(async () => !(await listSas(lab.gw.viciUri)).some((sa) => sa.name === tunnel.id), 60_000, 'SA closed');
    await until(async () => !(await lab.gw.swanctl(['--list-conns'])).includes(tunnel.id), 60_000, 'conn unloaded');
    assert.match(lab.gw.logText(), new RegExp(`unloaded .*shared key with id 'psk-${tunnel.id}'`));
  });
});

type Status = ActiveVpnTunnelStatus;

/** The fields of ActiveVpnTunnelStatus a negotiation fills. */
function awsView(s: Status) {
  const keys = [
    'IkeVersion',
    'Phase1EncryptionAlgorithm',
    'Phase1IntegrityAlgorithm',
    'Phase1DHGroup',
    'Phase2EncryptionAlgorithm',
    'Phase2IntegrityAlgorithm',
    'Phase2DHGroup',
    'ProvisioningStatus',
  ];
  return Object.fromEntries(keys.map((k) => [k, (s as Record<string, unknown>)[k]]));
}

// charon's names in AWS spelling, written here independently of sitevpn's own tables.
const AWS_ENC: Record<string, string> = {
  'AES_CBC/128': 'AES128',
  'AES_CBC/256': 'AES256',
  'AES_GCM_16/128': 'AES128-GCM-16',
  'AES_GCM_16/256': 'AES256-GCM-16',
};
const AWS_INTEG: Record<string, string> = {
  HMAC_SHA1_96: 'SHA1',
  HMAC_SHA2_256_128: 'SHA2-256',
  HMAC_SHA2_384_192: 'SHA2-384',
  HMAC_SHA2_512_256: 'SHA2-512',
  PRF_HMAC_SHA1: 'SHA1',
  PRF_HMAC_SHA2_256: 'SHA2-256',
  PRF_HMAC_SHA2_384: 'SHA2-384',
  PRF_HMAC_SHA2_512: 'SHA2-512',
};
const DH: Record<string, number> = { MODP_2048: 14, MODP_3072: 15, MODP_4096: 16, ECP_256: 19, ECP_384: 20, ECP_521: 21 };

function expectedAws(f: Record<string, string | undefined>) {
  return {
    IkeVersion: f.version === '2' ? 'ikev2' : 'ikev1',
    Phase1EncryptionAlgorithm: AWS_ENC[`${f['ike.encr-alg']}/${f['ike.encr-keysize']}`],
    Phase1IntegrityAlgorithm: AWS_INTEG[f['ike.integ-alg'] ?? f['ike.prf-alg']!],
    Phase1DHGroup: DH[f['ike.dh-group']!],
    Phase2EncryptionAlgorithm: AWS_ENC[`${f['child.encr-alg']}/${f['child.encr-keysize']}`],
    Phase2IntegrityAlgorithm: f['child.integ-alg'] && AWS_INTEG[f['child.integ-alg']],
    Phase2DHGroup: f['child.dh-group'] && DH[f['child.dh-group']],
    ProvisioningStatus: 'available',
  };
}
