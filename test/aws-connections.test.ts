// CreateVpnConnection, DescribeVpnConnections and DeleteVpnConnection through the official
// @aws-sdk/client-ec2, plus SigV4 authentication failures.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateVpnConnectionCommand,
  type CreateVpnConnectionCommandInput,
  DeleteVpnConnectionCommand,
  DescribeVpnConnectionsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { presignEc2, sendEc2, signEc2 } from './support/aws-raw.ts';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { eventually, startTestServer, TEST_AK, type TestServer } from './support/server.ts';

let server: TestServer;
let ec2: EC2Client;
before(async () => {
  server = await startTestServer();
  ec2 = ec2Client(server.endpoint);
});
after(() => server.close());

async function create(extra: Partial<CreateVpnConnectionCommandInput> = {}) {
  const pair = await gatewayPair(server);
  const r = await ec2.send(
    new CreateVpnConnectionCommand({ CustomerGatewayId: pair.cgw.id, VpnGatewayId: pair.gateway.id, Type: 'ipsec.1', ...extra }),
  );
  return { ...pair, connection: r.VpnConnection! };
}

function describeOne(id: string) {
  return ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [id] })).then((r) => r.VpnConnections![0]);
}

describe('CreateVpnConnection', () => {
  it('makes two tunnels, one on each gateway outside IP, pending and then available and UP', async () => {
    const { gateway, connection } = await create({
      Options: { StaticRoutesOnly: true, TunnelOptions: [{ TunnelInsideCidr: '169.254.44.0/30', PreSharedKey: 'tunnel1.Secret_key' }] },
      TagSpecifications: [{ ResourceType: 'vpn-connection', Tags: [{ Key: 'Name', Value: 'branch' }] }],
    });
    assert.match(connection.VpnConnectionId!, /^vpn-[0-9a-f]{17}$/);
    assert.equal(connection.State, 'pending');
    assert.equal(connection.Type, 'ipsec.1');
    assert.deepEqual(connection.Tags, [{ Key: 'Name', Value: 'branch' }]);
    const options = connection.Options!.TunnelOptions!;
    assert.deepEqual(
      options.map((t) => t.OutsideIpAddress),
      gateway.outsideIps.map((ip) => ip.ip),
    );
    assert.equal(options[0].TunnelInsideCidr, '169.254.44.0/30');
    assert.match(options[1].TunnelInsideCidr!, /^169\.254\.\d+\.\d+\/30$/);
    // EC2 returns the keys, the given one and the generated one (8-64 of [A-Za-z0-9._], not starting with 0).
    assert.equal(options[0].PreSharedKey, 'tunnel1.Secret_key');
    assert.match(options[1].PreSharedKey!, /^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/);
    assert.ok(connection.CustomerGatewayConfiguration!.includes(`<ip_address>${gateway.outsideIps[0].ip}</ip_address>`));
    assert.ok(connection.CustomerGatewayConfiguration!.includes('<pre_shared_key>tunnel1.Secret_key</pre_shared_key>'));
    assert.ok(connection.CustomerGatewayConfiguration!.includes(`<pre_shared_key>${options[1].PreSharedKey}</pre_shared_key>`));
    const up = await eventually(async () => {
      const c = await describeOne(connection.VpnConnectionId!);
      return c.State === 'available' && c.VgwTelemetry!.every((t) => t.Status === 'UP') && c;
    });
    assert.deepEqual(
      up.VgwTelemetry!.map((t) => [t.OutsideIpAddress, t.Status, t.StatusMessage]),
      gateway.outsideIps.map((ip) => [ip.ip, 'UP', '']),
    );
    assert.ok(up.VgwTelemetry![0].LastStatusChange instanceof Date);
  });

  const invalid: [string, Partial<CreateVpnConnectionCommandInput>, string, string][] = [
    [
      'a PSK starting with 0',
      { Options: { TunnelOptions: [{ PreSharedKey: '0abcdefgh' }] } },
      'InvalidParameterValue',
      'Value for parameter PreSharedKey is invalid.',
    ],
    [
      'a PSK with a dash',
      { Options: { TunnelOptions: [{ PreSharedKey: 'abc-defgh' }] } },
      'InvalidParameterValue',
      'Value for parameter PreSharedKey is invalid.',
    ],
    [
      'a reserved inside CIDR',
      { Options: { TunnelOptions: [{ TunnelInsideCidr: '169.254.169.252/30' }] } },
      'InvalidParameterValue',
      'Value ( 169.254.169.252/30 ) for parameter Options.TunnelOptions.1.TunnelInsideCidr is invalid. The tunnel inside CIDR must be a /30 in 169.254.0.0/16, other than 169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30.',
    ],
    [
      'an inside CIDR that is not a /30',
      { Options: { TunnelOptions: [{ TunnelInsideCidr: '169.254.10.0/29' }] } },
      'InvalidParameterValue',
      'Value ( 169.254.10.0/29 ) for parameter Options.TunnelOptions.1.TunnelInsideCidr is invalid. The tunnel inside CIDR must be a /30 in 169.254.0.0/16, other than 169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30.',
    ],
    [
      'the same inside CIDR twice',
      { Options: { TunnelOptions: [{ TunnelInsideCidr: '169.254.10.0/30' }, { TunnelInsideCidr: '169.254.10.0/30' }] } },
      'InvalidParameterValue',
      'The tunnel inside CIDR 169.254.10.0/30 is used by both tunnels of the VPN connection.',
    ],
    [
      'a phase-1 DH group of 1',
      { Options: { TunnelOptions: [{ Phase1DHGroupNumbers: [{ Value: 1 }] }] } },
      'InvalidParameterValue',
      'Value ( 1 ) for parameter Options.TunnelOptions.1.Phase1DHGroupNumber.1.Value is invalid. Valid values: 2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24.',
    ],
    [
      'an unknown encryption algorithm',
      { Options: { TunnelOptions: [{ Phase2EncryptionAlgorithms: [{ Value: 'DES' }] }] } },
      'InvalidParameterValue',
      'Value ( DES ) for parameter Options.TunnelOptions.1.Phase2EncryptionAlgorithm.1.Value is invalid. Valid values: AES128, AES256, AES128-GCM-16, AES256-GCM-16.',
    ],
    [
      'an unknown IKE version',
      { Options: { TunnelOptions: [{ IKEVersions: [{ Value: 'ikev3' }] }] } },
      'InvalidParameterValue',
      'Value ( ikev3 ) for parameter Options.TunnelOptions.1.IKEVersion.1.Value is invalid. Valid values: ikev1, ikev2.',
    ],
    [
      'a rekey margin above half the phase-2 lifetime',
      { Options: { TunnelOptions: [{ Phase2LifetimeSeconds: 900, RekeyMarginTimeSeconds: 600 }] } },
      'InvalidParameterValue',
      'Value ( 600 ) for parameter Options.TunnelOptions.1.RekeyMarginTimeSeconds is invalid. The rekey margin must be between 60 and half of Phase2LifetimeSeconds (900).',
    ],
    [
      'three tunnels',
      { Options: { TunnelOptions: [1, 2, 3].map(() => ({ StartupAction: 'start' })) } },
      'InvalidParameterValue',
      'Value ( 3 ) for parameter Options.TunnelOptions is invalid. A VPN connection has exactly two tunnels.',
    ],
    [
      'a PSK of 7 characters',
      { Options: { TunnelOptions: [{ PreSharedKey: 'abcdefg' }] } },
      'InvalidParameterValue',
      'Value for parameter PreSharedKey is invalid.',
    ],
    [
      'a PSK of 65 characters',
      { Options: { TunnelOptions: [{}, { PreSharedKey: 'a'.repeat(65) }] } },
      'InvalidParameterValue',
      'Value for parameter PreSharedKey is invalid.',
    ],
    [
      'a transit gateway, of which there are none',
      { VpnGatewayId: undefined, TransitGatewayId: 'tgw-0123456789abcdef0' },
      'InvalidTransitGatewayID.NotFound',
      "The transitGateway ID 'tgw-0123456789abcdef0' does not exist",
    ],
    [
      'both a VPN gateway and a transit gateway',
      { TransitGatewayId: 'tgw-0123456789abcdef0' },
      'InvalidParameterValue',
      'The request can include either a VpnGatewayId or a TransitGatewayId, but not both.',
    ],
    [
      'an unknown customer gateway',
      { CustomerGatewayId: 'cgw-0000000000000000a' },
      'InvalidCustomerGatewayID.NotFound',
      "The customerGateway ID 'cgw-0000000000000000a' does not exist",
    ],
    [
      'an unknown VPN gateway',
      { VpnGatewayId: 'vgw-0000000000000000b' },
      'InvalidVpnGatewayID.NotFound',
      "The vpnGateway ID 'vgw-0000000000000000b' does not exist",
    ],
    [
      'a local network that is not a CIDR',
      { Options: { LocalIpv4NetworkCidr: '10.0.0.0/40' } },
      'InvalidParameterValue',
      'Value ( 10.0.0.0/40 ) for parameter Options.LocalIpv4NetworkCidr is invalid. Expecting an IPv4 CIDR block.',
    ],
  ];
  for (const [what, extra, code, message] of invalid) {
    it(`refuses ${what} with ${code}`, async () => {
      const pair = await gatewayPair(server);
      const e = await ec2Failure(
        ec2.send(
          new CreateVpnConnectionCommand({ CustomerGatewayId: pair.cgw.id, VpnGatewayId: pair.gateway.id, Type: 'ipsec.1', ...extra }),
        ),
      );
      assert.deepEqual([e.name, e.message], [code, message]);
    });
  }

  it('refuses a missing CustomerGatewayId with MissingParameter', async () => {
    const e = await ec2Failure(ec2.send(new CreateVpnConnectionCommand({ VpnGatewayId: 'vgw-1', Type: 'ipsec.1' } as never)));
    assert.deepEqual([e.name, e.message], ['MissingParameter', 'The request must contain the parameter CustomerGatewayId']);
  });

  it('answers DryRun with DryRunOperation for a full key and UnauthorizedOperation for a read-only key', async () => {
    const pair = await gatewayPair(server);
    const input = { CustomerGatewayId: pair.cgw.id, VpnGatewayId: pair.gateway.id, Type: 'ipsec.1', DryRun: true };
    const ok = await ec2Failure(ec2.send(new CreateVpnConnectionCommand(input)));
    assert.deepEqual([ok.name, ok.status], ['DryRunOperation', 412]);
    const key = await server.app.services.tenants.createKey(undefined, 'read-only', 'reader');
    const reader = ec2Client(server.endpoint, { accessKeyId: key.accessKeyId, secretAccessKey: key.secret });
    const denied = await ec2Failure(reader.send(new CreateVpnConnectionCommand(input)));
    assert.deepEqual(
      [denied.name, denied.message, denied.status],
      ['UnauthorizedOperation', 'You are not authorized to perform this operation.', 403],
    );
    const real = await ec2Failure(reader.send(new CreateVpnConnectionCommand({ ...input, DryRun: false })));
    assert.equal(real.name, 'UnauthorizedOperation');
  });
});

describe('DescribeVpnConnections', () => {
  it('filters by state, gateway ids, static routes, BGP ASN and tags, and refuses unknown filters', async () => {
    const a = await create({
      Options: { StaticRoutesOnly: true },
      TagSpecifications: [{ ResourceType: 'vpn-connection', Tags: [{ Key: 'team', Value: 'red' }] }],
    });
    const b = await create();
    const ids = async (Filters: { Name: string; Values: string[] }[]) =>
      ((await ec2.send(new DescribeVpnConnectionsCommand({ Filters }))).VpnConnections ?? [])
        .map((c) => c.VpnConnectionId)
        .filter((id) => id === a.connection.VpnConnectionId || id === b.connection.VpnConnectionId);
    assert.deepEqual(await ids([{ Name: 'customer-gateway-id', Values: [a.cgw.id] }]), [a.connection.VpnConnectionId]);
    assert.deepEqual(await ids([{ Name: 'vpn-gateway-id', Values: [b.gateway.id] }]), [b.connection.VpnConnectionId]);
    assert.deepEqual(await ids([{ Name: 'option.static-routes-only', Values: ['true'] }]), [a.connection.VpnConnectionId]);
    assert.deepEqual(await ids([{ Name: 'tag:team', Values: ['red'] }]), [a.connection.VpnConnectionId]);
    assert.deepEqual(await ids([{ Name: 'tag-key', Values: ['team'] }]), [a.connection.VpnConnectionId]);
    assert.deepEqual(await ids([{ Name: 'bgp-asn', Values: ['65000'] }]), [a.connection.VpnConnectionId, b.connection.VpnConnectionId]);
    assert.deepEqual(await ids([{ Name: 'state', Values: ['deleted'] }]), []);
    const e = await ec2Failure(ec2.send(new DescribeVpnConnectionsCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })));
    assert.deepEqual([e.name, e.message], ['InvalidParameterValue', "The filter 'colour' is invalid"]);
  });

  it('answers InvalidVpnConnectionID.NotFound naming the unknown id', async () => {
    const { connection } = await create();
    const e = await ec2Failure(
      ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [connection.VpnConnectionId!, 'vpn-1234'] })),
    );
    assert.deepEqual([e.name, e.message], ['InvalidVpnConnectionID.NotFound', "The vpnConnection ID 'vpn-1234' does not exist"]);
  });

  it('shows a connection made through the Huawei API: one domain, two dialects', async () => {
    const pair = await gatewayPair(server);
    const huawei = await server.huawei.call('POST', '/vpn-connection', connectionBody(pair.gateway, pair.cgw));
    const c = await describeOne(huawei.body.vpn_connection.id);
    assert.equal(c.VpnGatewayId, pair.gateway.id);
    assert.deepEqual(
      c.Options!.TunnelOptions!.map((t) => t.OutsideIpAddress),
      [pair.gateway.outsideIps[0].ip],
    );
    assert.deepEqual(c.Options!.TunnelOptions![0].Phase1EncryptionAlgorithms, [{ Value: 'AES128' }]);
  });

  it('returns the pre-shared keys to a full key and redacts them for a read-only key', async () => {
    const { connection } = await create({ Options: { TunnelOptions: [{ PreSharedKey: 'canary.Psk_in_xml' }] } });
    const r = await sendEc2(
      await signEc2(server.endpoint, { Action: 'DescribeVpnConnections', 'VpnConnectionId.1': connection.VpnConnectionId! }),
    );
    assert.equal(r.status, 200);
    // Members in the model's order (generated/model.ts): the configuration follows the state.
    assert.match(
      r.text,
      /<vpnConnectionSet><item><category>VPN<\/category>.*<state>(pending|available)<\/state><customerGatewayConfiguration>&lt;\?xml /s,
    );
    assert.match(
      r.text,
      /<tunnelOptionSet><item><outsideIpAddress>[0-9.]+<\/outsideIpAddress><tunnelInsideCidr>[0-9./]+<\/tunnelInsideCidr><preSharedKey>canary\.Psk_in_xml<\/preSharedKey>/,
    );
    const key = await server.app.services.tenants.createKey(undefined, 'read-only', 'psk-reader');
    const raw = await sendEc2(
      await signEc2(
        server.endpoint,
        { Action: 'DescribeVpnConnections', 'VpnConnectionId.1': connection.VpnConnectionId! },
        { accessKeyId: key.accessKeyId, secretAccessKey: key.secret },
      ),
    );
    assert.equal(raw.status, 200);
    assert.equal(raw.text.includes('canary.Psk_in_xml'), false);
    assert.equal(raw.text.includes('preSharedKey'), false);
    assert.equal(raw.text.includes('pre_shared_key'), false);
    const reader = ec2Client(server.endpoint, { accessKeyId: key.accessKeyId, secretAccessKey: key.secret });
    const seen = (await reader.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [connection.VpnConnectionId!] })))
      .VpnConnections![0];
    assert.deepEqual(
      seen.Options!.TunnelOptions!.map((t) => t.PreSharedKey),
      [undefined, undefined],
    );
  });
});

describe('DeleteVpnConnection', () => {
  it('deletes, after which the connection shows deleting, without its keys or configuration, and is gone for Huawei', async () => {
    const { connection } = await create();
    await ec2.send(new DeleteVpnConnectionCommand({ VpnConnectionId: connection.VpnConnectionId! }));
    const gone = await describeOne(connection.VpnConnectionId!);
    assert.equal(gone.State, 'deleting');
    assert.equal(gone.CustomerGatewayConfiguration, undefined);
    assert.deepEqual(
      gone.Options!.TunnelOptions!.map((t) => t.PreSharedKey),
      [undefined, undefined],
    );
    const huawei = await server.huawei.call('GET', `/vpn-connection/${connection.VpnConnectionId}`);
    assert.equal(huawei.status, 404);
  });
});

describe('SigV4', () => {
  it('refuses a wrong secret, an unknown key and an unconfigured region with AuthFailure', async () => {
    const wrong = await ec2Failure(
      ec2Client(server.endpoint, { accessKeyId: TEST_AK, secretAccessKey: 'nope' }).send(new DescribeVpnConnectionsCommand({})),
    );
    assert.deepEqual(
      [wrong.name, wrong.message, wrong.status],
      ['AuthFailure', 'AWS was not able to validate the provided access credentials', 401],
    );
    const unknown = await ec2Failure(
      ec2Client(server.endpoint, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(new DescribeVpnConnectionsCommand({})),
    );
    assert.equal(unknown.name, 'AuthFailure');
    const region = await ec2Failure(ec2Client(server.endpoint, undefined, 'eu-north-9').send(new DescribeVpnConnectionsCommand({})));
    assert.deepEqual([region.name, region.message], ['AuthFailure', "Credential should be scoped to a valid region, not 'eu-north-9'."]);
  });

  it('answers an unknown key exactly as a wrong secret, also for an expired request', async () => {
    const strip = (r: { status: number; text: string }) => [r.status, r.text.replace(/<RequestID>[^<]*<\/RequestID>/, '')];
    for (const signingDate of [undefined, new Date(Date.now() - 6 * 60_000)]) {
      const unknown = await sendEc2(
        await signEc2(server.endpoint, { Action: 'DescribeVpnConnections' }, { accessKeyId: 'AKIAUNKNOWN000000000', signingDate }),
      );
      const wrong = await sendEc2(
        await signEc2(server.endpoint, { Action: 'DescribeVpnConnections' }, { secretAccessKey: 'not-the-secret', signingDate }),
      );
      assert.deepEqual(strip(unknown), strip(wrong));
      assert.match(unknown.text, signingDate ? /<Code>RequestExpired<\/Code>/ : /<Code>AuthFailure<\/Code>/);
    }
  });

  it('refuses a request signed six minutes ago with RequestExpired, and a tampered body with AuthFailure', async () => {
    const old = await signEc2(server.endpoint, { Action: 'DescribeVpnConnections' }, { signingDate: new Date(Date.now() - 6 * 60_000) });
    const expired = await sendEc2(old);
    assert.equal(expired.status, 400);
    assert.match(expired.text, /<Code>RequestExpired<\/Code><Message>Request has expired\.<\/Message>/);
    const fresh = await signEc2(server.endpoint, { Action: 'DescribeVpnConnections' });
    const tampered = await sendEc2({ ...fresh, body: fresh.body.replace('DescribeVpnConnections', 'DescribeVpnGateways') });
    assert.equal(tampered.status, 401);
    assert.match(tampered.text, /<Code>AuthFailure<\/Code>/);
  });

  it('accepts a presigned GET with the action in the query string', async () => {
    const res = await fetch(await presignEc2(server.endpoint, { Action: 'DescribeVpnConnections' }));
    assert.equal(res.status, 200);
    assert.match(
      await res.text(),
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeVpnConnectionsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/">/,
    );
    const tampered = (await presignEc2(server.endpoint, { Action: 'DescribeVpnConnections' })).replace(
      'DescribeVpnConnections',
      'DescribeVpnGateways',
    );
    assert.equal((await fetch(tampered)).status, 401);
  });

  it('answers an unknown action with InvalidAction', async () => {
    const r = await sendEc2(await signEc2(server.endpoint, { Action: 'RunInstances' }));
    assert.equal(r.status, 400);
    assert.match(r.text, /<Code>InvalidAction<\/Code><Message>The action RunInstances is not valid for this web service\.<\/Message>/);
  });
});
