// GetVpnConnectionDeviceTypes and GetVpnConnectionDeviceSampleConfiguration through the official
// @aws-sdk/client-ec2 against a real sitevpn: samples carry the connection's real values, with
// the pre-shared keys for full keys and placeholders for read-only keys.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateVpnConnectionCommand,
  type EC2Client,
  GetActiveVpnTunnelStatusCommand,
  GetVpnConnectionDeviceSampleConfigurationCommand,
  GetVpnConnectionDeviceTypesCommand,
  ModifyVpnConnectionOptionsCommand,
  ModifyVpnTunnelOptionsCommand,
  type VpnConnection,
  type VpnTunnelOptionsSpecification,
} from '@aws-sdk/client-ec2';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { gatewayPair, testContext } from './support/fixtures.ts';
import { eventually, startTestServer, type TestServer } from './support/server.ts';

const STRONGSWAN = '5f1c3a70';
const GENERIC = '9e27b4d1';
const PSKS = ['First.tunnel_key1', 'Second.tunnel_key2'];
const GONE = 'vpn-0123456789abcdef0';

let server: TestServer;
let ec2: EC2Client;
let readOnly: EC2Client;
let vpn: VpnConnection;
let cgwIp: string;

before(async () => {
  server = await startTestServer();
  ec2 = ec2Client(server.endpoint);
  const key = await server.app.services.tenants.createKey((await testContext(server)).tenantId, 'read-only', 'aws-device-config');
  readOnly = ec2Client(server.endpoint, { accessKeyId: key.accessKeyId, secretAccessKey: key.secret });
  vpn = await connection([
    {
      PreSharedKey: PSKS[0],
      TunnelInsideCidr: '169.254.20.0/30',
      Phase1EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }],
      Phase1IntegrityAlgorithms: [{ Value: 'SHA2-384' }],
      Phase1DHGroupNumbers: [{ Value: 20 }],
      Phase2EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }],
      Phase2DHGroupNumbers: [{ Value: 20 }],
      Phase1LifetimeSeconds: 14400,
      Phase2LifetimeSeconds: 1800,
      IKEVersions: [{ Value: 'ikev2' }],
    },
    { PreSharedKey: PSKS[1], TunnelInsideCidr: '169.254.21.0/30' },
  ]);
});
after(() => server.close());

async function connection(TunnelOptions?: VpnTunnelOptionsSpecification[], StaticRoutesOnly = true): Promise<VpnConnection> {
  const { gateway, cgw } = await gatewayPair(server);
  cgwIp = cgw.idValue;
  const r = await ec2.send(
    new CreateVpnConnectionCommand({
      Type: 'ipsec.1',
      CustomerGatewayId: cgw.id,
      VpnGatewayId: gateway.id,
      Options: { StaticRoutesOnly, TunnelOptions },
    }),
  );
  return r.VpnConnection!;
}

const sample = async (VpnConnectionId: string, VpnConnectionDeviceTypeId: string, InternetKeyExchangeVersion?: string, client = ec2) =>
  (
    await client.send(
      new GetVpnConnectionDeviceSampleConfigurationCommand({ VpnConnectionId, VpnConnectionDeviceTypeId, InternetKeyExchangeVersion }),
    )
  ).VpnConnectionDeviceSampleConfiguration!;

/** Polls until no tunnel of the connection is being (re)negotiated. */
const settled = (c: VpnConnection) =>
  eventually(async () => {
    const all = await Promise.all(
      c.Options!.TunnelOptions!.map((t) =>
        ec2.send(
          new GetActiveVpnTunnelStatusCommand({ VpnConnectionId: c.VpnConnectionId, VpnTunnelOutsideIpAddress: t.OutsideIpAddress }),
        ),
      ),
    );
    return all.every((s) => s.ActiveVpnTunnelStatus!.ProvisioningStatus === 'available');
  });

const values = (conf: string, key: string) =>
  conf
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith(`${key} = `))
    .map((l) => l.slice(key.length + 3));

describe('GetVpnConnectionDeviceTypes', () => {
  it('lists the strongSwan and Generic device types with stable ids', async () => {
    const r = await ec2.send(new GetVpnConnectionDeviceTypesCommand({}));
    assert.deepEqual(r.VpnConnectionDeviceTypes, [
      { VpnConnectionDeviceTypeId: STRONGSWAN, Vendor: 'strongSwan', Platform: 'Ubuntu/Debian', Software: 'strongSwan 5.9+ (swanctl)' },
      { VpnConnectionDeviceTypeId: GENERIC, Vendor: 'Generic', Platform: 'Generic', Software: 'Vendor Agnostic' },
    ]);
    assert.equal(r.NextToken, undefined);
  });

  it('accepts MaxResults from 200 to 1000 and refuses other page sizes and unknown tokens', async () => {
    assert.equal((await ec2.send(new GetVpnConnectionDeviceTypesCommand({ MaxResults: 200 }))).VpnConnectionDeviceTypes!.length, 2);
    const small = await ec2Failure(ec2.send(new GetVpnConnectionDeviceTypesCommand({ MaxResults: 5 })));
    assert.deepEqual(
      [small.name, small.message],
      ['InvalidParameterValue', 'Value ( 5 ) for parameter MaxResults is invalid. Expecting a value greater than or equal to 200.'],
    );
    const token = await ec2Failure(ec2.send(new GetVpnConnectionDeviceTypesCommand({ NextToken: 'abc' })));
    assert.deepEqual([token.name, token.message], ['InvalidNextToken', 'The specified NextToken is not valid.']);
  });
});

describe('GetVpnConnectionDeviceSampleConfiguration', () => {
  it('writes a swanctl.conf with the real outside IPs, inside addresses and proposals, and placeholders for a read-only key', async () => {
    const conf = await sample(vpn.VpnConnectionId!, STRONGSWAN, undefined, readOnly);
    const ips = vpn.Options!.TunnelOptions!.map((t) => t.OutsideIpAddress!);
    assert.deepEqual(values(conf, 'remote_addrs'), ips);
    assert.deepEqual(values(conf, 'local_addrs'), [cgwIp, cgwIp]);
    assert.match(conf, /169\.254\.20\.2\/30/);
    assert.match(conf, /169\.254\.21\.2\/30/);
    assert.equal(values(conf, 'proposals')[0], 'aes256gcm16-prfsha384-ecp384');
    assert.equal(values(conf, 'esp_proposals')[0], 'aes256gcm16-ecp384');
    assert.match(values(conf, 'proposals')[1], /^aes128-aes256-sha256-sha1-sha384-sha512-modp2048-modp1024-/);
    assert.deepEqual(values(conf, 'life_time'), ['1800s', '3600s']);
    assert.deepEqual(values(conf, 'rekey_time'), ['14130s', '1530s', '28530s', '3330s']);
    for (const psk of PSKS) assert.ok(!conf.includes(psk), 'a pre-shared key leaked into the sample');
    assert.deepEqual(values(conf, 'secret'), ['"REPLACE_WITH_TUNNEL1_PSK"', '"REPLACE_WITH_TUNNEL2_PSK"']);
    assert.match(conf, /PRE-SHARED KEYS ARE NOT INCLUDED/);
  });

  it('writes the pre-shared keys into both samples for a full key, as EC2 does', async () => {
    const conf = await sample(vpn.VpnConnectionId!, STRONGSWAN);
    assert.deepEqual(
      values(conf, 'secret'),
      PSKS.map((k) => `"${k}"`),
    );
    assert.doesNotMatch(conf, /REPLACE_WITH|NOT INCLUDED/);
    const text = await sample(vpn.VpnConnectionId!, GENERIC);
    for (const psk of PSKS) assert.match(text, new RegExp(`Pre-shared key +: ${psk.replace('.', '\\.')}\n`), `missing: ${psk}`);
    assert.doesNotMatch(text, /REPLACE_WITH|NOT included/);
  });

  it('writes a generic text configuration with every value of every tunnel and placeholders for a read-only key', async () => {
    const text = await sample(vpn.VpnConnectionId!, GENERIC, undefined, readOnly);
    for (const psk of PSKS) assert.ok(!text.includes(psk));
    for (const expected of [
      ...vpn.Options!.TunnelOptions!.map((t) => t.OutsideIpAddress!),
      cgwIp,
      '169.254.20.1/30',
      '169.254.20.2/30',
      '169.254.21.1/30',
      '169.254.21.2/30',
      'AES256-GCM-16',
      'SHA2-384',
      'Lifetime                     : 1800 seconds',
      'pre-shared key REPLACE_WITH_TUNNEL2_PSK',
      'Tunnel 1',
      'Tunnel 2',
      'every 10 seconds, peer dead after 40 seconds',
    ])
      assert.ok(text.includes(expected), `missing: ${expected}`);
  });

  it('writes IKEv1 when asked and refuses a version the tunnels do not allow', async () => {
    const open = await connection();
    const conf = await sample(open.VpnConnectionId!, STRONGSWAN, 'ikev1');
    assert.deepEqual(values(conf, 'version'), ['1', '1']);
    assert.equal(values(conf, 'reauth_time').length, 2);
    const e = await ec2Failure(sample(vpn.VpnConnectionId!, STRONGSWAN, 'ikev1'));
    assert.deepEqual(
      [e.name, e.message],
      [
        'InvalidParameterValue',
        `Value ( ikev1 ) for parameter InternetKeyExchangeVersion is invalid. The tunnels of VPN connection ${vpn.VpnConnectionId} do not allow ikev1.`,
      ],
    );
    const bad = await ec2Failure(sample(vpn.VpnConnectionId!, STRONGSWAN, 'ikev3'));
    assert.deepEqual(
      [bad.name, bad.message],
      ['InvalidParameterValue', 'Value ( ikev3 ) for parameter InternetKeyExchangeVersion is invalid. Valid values: ikev1, ikev2.'],
    );
  });

  it('follows the connection: network CIDRs narrow the traffic selectors and modified options change the proposals', async () => {
    const c = await connection([{ PreSharedKey: PSKS[0] }, {}]);
    const id = c.VpnConnectionId!;
    assert.deepEqual(values(await sample(id, STRONGSWAN), 'local_ts'), ['0.0.0.0/0', '0.0.0.0/0']);
    await settled(c);
    await ec2.send(
      new ModifyVpnConnectionOptionsCommand({
        VpnConnectionId: id,
        LocalIpv4NetworkCidr: '10.1.0.0/16',
        RemoteIpv4NetworkCidr: '10.2.0.0/16',
      }),
    );
    const narrowed = await sample(id, STRONGSWAN);
    // Which side is which follows the data plane's intent (service/intents.ts), whatever it is.
    assert.deepEqual(new Set([values(narrowed, 'local_ts')[0], values(narrowed, 'remote_ts')[0]]), new Set(['10.1.0.0/16', '10.2.0.0/16']));
    await settled(c);
    const ip = c.Options!.TunnelOptions![1].OutsideIpAddress!;
    const TunnelOptions = { Phase2EncryptionAlgorithms: [{ Value: 'AES128-GCM-16' }], Phase2DHGroupNumbers: [{ Value: 19 }] };
    await ec2.send(new ModifyVpnTunnelOptionsCommand({ VpnConnectionId: id, VpnTunnelOutsideIpAddress: ip, TunnelOptions }));
    assert.equal(values(await sample(id, STRONGSWAN), 'esp_proposals')[1], 'aes128gcm16-ecp256');
  });

  it('returns InvalidParameterValue for an unknown device type and NotFound for an unknown connection', async () => {
    const e = await ec2Failure(sample(vpn.VpnConnectionId!, 'cafebabe'));
    assert.deepEqual(
      [e.name, e.message],
      [
        'InvalidParameterValue',
        'Value ( cafebabe ) for parameter VpnConnectionDeviceTypeId is invalid. Use GetVpnConnectionDeviceTypes for the valid device type ids.',
      ],
    );
    const gone = await ec2Failure(sample(GONE, STRONGSWAN));
    assert.deepEqual(
      [gone.name, gone.message, gone.status],
      ['InvalidVpnConnectionID.NotFound', `The vpnConnection ID '${GONE}' does not exist`, 400],
    );
  });

  it('answers DryRunOperation to both device actions, also for a read-only key', async () => {
    for (const client of [ec2, readOnly]) {
      for (const command of [
        new GetVpnConnectionDeviceTypesCommand({ DryRun: true }),
        new GetVpnConnectionDeviceSampleConfigurationCommand({
          VpnConnectionId: vpn.VpnConnectionId,
          VpnConnectionDeviceTypeId: STRONGSWAN,
          DryRun: true,
        }),
      ]) {
        const e = await ec2Failure(client.send(command as never));
        assert.deepEqual([e.name, e.message, e.status], ['DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412]);
      }
    }
  });
});
