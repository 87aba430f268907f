// Every EC2 request is read through EC2's model: what a real server answers for unknown, mistyped
// and missing parameters, for members the model has and sitevpn refuses, and for the tag filters.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EC2Client } from '@aws-sdk/client-ec2';
import * as sdk from '@aws-sdk/client-ec2';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { sendEc2, signEc2 } from './support/aws-raw.ts';
import { gatewayPair } from './support/fixtures.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let ec2: EC2Client;
let pair: { vgw: string; cgw: string };

before(async () => {
  server = await startTestServer();
  ec2 = ec2Client(server.endpoint);
  const p = await gatewayPair(server);
  pair = { vgw: p.gateway.id, cgw: p.cgw.id };
  await ec2.send(new sdk.CreateTagsCommand({ Resources: [pair.vgw, pair.cgw], Tags: [{ Key: 'team', Value: 'net-ops' }] }));
});
after(() => server.close());

/** Code and message of a raw, signed request's EC2 error. */
async function raw(params: Record<string, string>): Promise<[number, string, string]> {
  const r = await sendEc2(await signEc2(server.endpoint, params));
  const code = /<Code>([^<]*)<\/Code>/.exec(r.text)?.[1] ?? '';
  const message = /<Message>([^<]*)<\/Message>/.exec(r.text)?.[1] ?? '';
  return [r.status, code, message.replace(/&apos;/g, "'")];
}

describe('the model-driven request reader on the wire', () => {
  it('answers UnknownParameter for a parameter the action does not have', async () => {
    assert.deepEqual(await raw({ Action: 'DescribeVpnGateways', VpnGatewayIds: 'vgw-1' }), [
      400,
      'UnknownParameter',
      'The parameter VpnGatewayIds is not recognized',
    ]);
    assert.deepEqual(await raw({ Action: 'DescribeVpnGateways', 'Filter.1.Name': 'state', 'Filter.1.Values.1': 'x' }), [
      400,
      'UnknownParameter',
      'The parameter Filter.1.Values.1 is not recognized',
    ]);
  });

  it('answers UnknownParameter for DryRun on the route actions, whose model has none', async () => {
    const route = { Action: 'CreateVpnConnectionRoute', VpnConnectionId: 'vpn-1', DestinationCidrBlock: '10.0.0.0/24', DryRun: 'true' };
    assert.deepEqual(await raw(route), [400, 'UnknownParameter', 'The parameter DryRun is not recognized']);
  });

  it('answers InvalidParameterValue for a value of the wrong type', async () => {
    assert.deepEqual(await raw({ Action: 'DescribeVpnConnections', DryRun: 'maybe' }), [
      400,
      'InvalidParameterValue',
      'Value ( maybe ) for parameter DryRun is invalid. Expected a boolean (true or false).',
    ]);
    assert.deepEqual(await raw({ Action: 'DescribeTags', MaxResults: 'ten' }), [
      400,
      'InvalidParameterValue',
      'Value ( ten ) for parameter MaxResults is invalid. Expected an integer.',
    ]);
    assert.deepEqual(await raw({ Action: 'CreateVpnGateway', Type: 'ipsec.1', AmazonSideAsn: '64512.5' }), [
      400,
      'InvalidParameterValue',
      'Value ( 64512.5 ) for parameter AmazonSideAsn is invalid. Expected an integer.',
    ]);
  });

  it('answers MissingParameter for a filter without a name and a required member left out', async () => {
    assert.deepEqual(await raw({ Action: 'DescribeCustomerGateways', 'Filter.1.Value.1': 'x' }), [
      400,
      'MissingParameter',
      'The request must contain the parameter Filter.1.Name',
    ]);
    assert.deepEqual(await raw({ Action: 'DetachVpnGateway', VpnGatewayId: pair.vgw }), [
      400,
      'MissingParameter',
      'The request must contain the parameter VpcId',
    ]);
  });
});

describe('members of the model that sitevpn refuses, through the SDK', () => {
  const create = (extra: Partial<sdk.CreateVpnConnectionCommandInput>) =>
    ec2Failure(
      ec2.send(new sdk.CreateVpnConnectionCommand({ CustomerGatewayId: pair.cgw, VpnGatewayId: pair.vgw, Type: 'ipsec.1', ...extra })),
    );
  const CASES: Array<[string, Partial<sdk.CreateVpnConnectionCommandInput>, string, string]> = [
    [
      'tunnel logs in CloudWatch',
      { Options: { TunnelOptions: [{ LogOptions: { CloudWatchLogOptions: { LogEnabled: true } } }] } },
      'UnsupportedOperation',
      'Tunnel logs in Amazon CloudWatch are not supported by sitevpn.',
    ],
    [
      'an IPv6 local network',
      { Options: { LocalIpv6NetworkCidr: '::/0' } },
      'InvalidParameterCombination',
      'An ipv6 network cidr is not allowed for VPNs using an ipv4 inside ip version',
    ],
    [
      'large bandwidth tunnels',
      { Options: { TunnelBandwidth: 'large' } },
      'UnsupportedOperation',
      'Large bandwidth tunnels are not supported by sitevpn.',
    ],
    [
      'a tunnel bandwidth EC2 does not offer',
      { Options: { TunnelBandwidth: 'huge' as sdk.VpnTunnelBandwidth } },
      'InvalidParameterValue',
      'Value ( huge ) for parameter Options.TunnelBandwidth is invalid. Valid values: standard, large.',
    ],
    [
      'a VPN concentrator',
      { VpnConcentratorId: 'vcn-0123456789abcdef0' },
      'UnsupportedOperation',
      'VPN concentrators are not supported by sitevpn.',
    ],
    [
      'keys kept in Secrets Manager',
      { PreSharedKeyStorage: 'SecretsManager' },
      'UnsupportedOperation',
      'Storing pre-shared keys in AWS Secrets Manager is not supported by sitevpn.',
    ],
    [
      'a transport transit gateway attachment',
      { Options: { TransportTransitGatewayAttachmentId: 'tgw-attach-0123456789abcdef0' } },
      'UnsupportedOperation',
      'Private IP VPN connections over a transit gateway attachment are not supported by sitevpn.',
    ],
  ];
  for (const [what, extra, code, message] of CASES) {
    it(`CreateVpnConnection refuses ${what}`, async () => {
      const e = await create(extra);
      assert.deepEqual([e.name, e.message, e.status], [code, message, 400]);
    });
  }

  it('CreateVpnConnection accepts tunnel logs that are switched off', async () => {
    const r = await ec2.send(
      new sdk.CreateVpnConnectionCommand({
        CustomerGatewayId: pair.cgw,
        VpnGatewayId: pair.vgw,
        Type: 'ipsec.1',
        Options: { TunnelBandwidth: 'standard', TunnelOptions: [{ LogOptions: { CloudWatchLogOptions: { LogEnabled: false } } }] },
      }),
    );
    assert.match(r.VpnConnection!.VpnConnectionId!, /^vpn-[0-9a-f]{17}$/);
    await ec2.send(new sdk.DeleteVpnConnectionCommand({ VpnConnectionId: r.VpnConnection!.VpnConnectionId! }));
  });
});

describe('tag filters of the gateway Describe actions, through the SDK', () => {
  it('select by tag:<key>, tag-key and the formerly documented tag-value, with wildcards', async () => {
    for (const Filters of [
      [{ Name: 'tag:team', Values: ['net-*'] }],
      [{ Name: 'tag-key', Values: ['te?m'] }],
      [{ Name: 'tag-value', Values: ['net-ops'] }],
    ]) {
      const vgws = (await ec2.send(new sdk.DescribeVpnGatewaysCommand({ Filters }))).VpnGateways!.map((g) => g.VpnGatewayId);
      const cgws = (await ec2.send(new sdk.DescribeCustomerGatewaysCommand({ Filters }))).CustomerGateways!.map((c) => c.CustomerGatewayId);
      assert.deepEqual([vgws, cgws], [[pair.vgw], [pair.cgw]], Filters[0].Name);
    }
    const none = (await ec2.send(new sdk.DescribeVpnGatewaysCommand({ Filters: [{ Name: 'tag:team', Values: ['net'] }] }))).VpnGateways;
    assert.deepEqual(none, []);
  });

  it("answers InvalidParameterValue in EC2's words for a filter the action does not document", async () => {
    const vgw = await ec2Failure(ec2.send(new sdk.DescribeVpnGatewaysCommand({ Filters: [{ Name: 'ip-address', Values: ['x'] }] })));
    const cgw = await ec2Failure(
      ec2.send(new sdk.DescribeCustomerGatewaysCommand({ Filters: [{ Name: 'amazon-side-asn', Values: ['1'] }] })),
    );
    assert.deepEqual(
      [vgw.name, vgw.message, cgw.name, cgw.message],
      ['InvalidParameterValue', "The filter 'ip-address' is invalid", 'InvalidParameterValue', "The filter 'amazon-side-asn' is invalid"],
    );
  });
});
