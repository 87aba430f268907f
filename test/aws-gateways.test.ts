// Customer gateways and VPN gateways through the official @aws-sdk/client-ec2 against a real
// sitevpn: creation and its validation, every Describe filter, attach/detach, in-use deletes, DryRun.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EC2Client, Filter } from '@aws-sdk/client-ec2';
import * as sdk from '@aws-sdk/client-ec2';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let ec2: EC2Client;
let readOnly: EC2Client;
before(async () => {
  server = await startTestServer();
  ec2 = ec2Client(server.endpoint);
  const key = await server.app.services.tenants.createKey(undefined, 'read-only', 'reader');
  readOnly = ec2Client(server.endpoint, { accessKeyId: key.accessKeyId, secretAccessKey: key.secret });
});
after(() => server.close());

let octet = 1;
const nextIp = () => `203.0.113.${octet++}`;
const fail = (name: string, message: string, status = 400) => ({ name, message, status });
const failureOf = async (p: Promise<unknown>) => {
  const { name, message, status } = await ec2Failure(p);
  return { name, message, status };
};
const DRY_RUN = fail('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
const UNAUTHORIZED = fail('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);

async function cgw(input: Partial<sdk.CreateCustomerGatewayCommandInput> = {}) {
  const r = await ec2.send(new sdk.CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: nextIp(), ...input }));
  return r.CustomerGateway!;
}
async function vgw(input: Partial<sdk.CreateVpnGatewayCommandInput> = {}) {
  return (await ec2.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1', ...input }))).VpnGateway!;
}
const cgwIds = async (Filters: Filter[]) =>
  ((await ec2.send(new sdk.DescribeCustomerGatewaysCommand({ Filters }))).CustomerGateways ?? []).map((c) => c.CustomerGatewayId);
const vgwIds = async (Filters: Filter[]) =>
  ((await ec2.send(new sdk.DescribeVpnGatewaysCommand({ Filters }))).VpnGateways ?? []).map((g) => g.VpnGatewayId);
const connect = (c: { CustomerGatewayId?: string }, g: { VpnGatewayId?: string }) =>
  ec2.send(new sdk.CreateVpnConnectionCommand({ CustomerGatewayId: c.CustomerGatewayId!, VpnGatewayId: g.VpnGatewayId!, Type: 'ipsec.1' }));

describe('CreateCustomerGateway', () => {
  it('creates an available ipsec.1 customer gateway with its device name and tags', async () => {
    const c = await cgw({
      IpAddress: '198.18.0.1',
      BgpAsn: 65010,
      DeviceName: 'edge-1',
      TagSpecifications: [{ ResourceType: 'customer-gateway', Tags: [{ Key: 'Name', Value: 'hq' }] }],
    });
    assert.match(c.CustomerGatewayId!, /^cgw-[0-9a-f]{17}$/);
    assert.deepEqual(
      { ...c, CustomerGatewayId: undefined },
      {
        CustomerGatewayId: undefined,
        BgpAsn: '65010',
        IpAddress: '198.18.0.1',
        State: 'available',
        Type: 'ipsec.1',
        DeviceName: 'edge-1',
        Tags: [{ Key: 'Name', Value: 'hq' }],
      },
    );
  });

  it('defaults the BGP ASN to 65000 and takes a 4-byte ASN through BgpAsnExtended', async () => {
    assert.equal((await cgw()).BgpAsn, '65000');
    const big = await cgw({ BgpAsnExtended: 4200000001 });
    assert.deepEqual([big.BgpAsn, big.BgpAsnExtended], ['4200000001', '4200000001']);
  });

  it('returns the existing customer gateway for an identical request and a new one for another device name', async () => {
    const ip = nextIp();
    const first = await cgw({ IpAddress: ip, BgpAsn: 65020 });
    assert.equal((await cgw({ IpAddress: ip, BgpAsn: 65020 })).CustomerGatewayId, first.CustomerGatewayId);
    assert.notEqual((await cgw({ IpAddress: ip, BgpAsn: 65020, DeviceName: 'other' })).CustomerGatewayId, first.CustomerGatewayId);
  });

  it('accepts up to 50 tags at creation, more than the Huawei limit of 20', async () => {
    const Tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    assert.equal((await cgw({ TagSpecifications: [{ ResourceType: 'customer-gateway', Tags }] })).Tags!.length, 50);
  });

  const cases: Array<[string, Partial<sdk.CreateCustomerGatewayCommandInput>, ReturnType<typeof fail>]> = [
    [
      'refuses a missing IpAddress with MissingParameter',
      { IpAddress: undefined },
      fail('MissingParameter', 'The request must contain the parameter ipAddress'),
    ],
    [
      'refuses an address that is not IPv4',
      { IpAddress: '300.1.2.3' },
      fail('InvalidParameterValue', 'Value ( 300.1.2.3 ) for parameter ipAddress is invalid. Expecting an IPv4 address.'),
    ],
    [
      'refuses BGP ASN 0',
      { BgpAsn: 0 },
      fail('InvalidParameterValue', 'Value ( 0 ) for parameter BgpAsn is invalid. Expecting a value greater than or equal to 1.'),
    ],
    [
      'refuses BGP ASN 4294967295',
      { BgpAsn: 4294967295 },
      fail(
        'InvalidParameterValue',
        'Value ( 4294967295 ) for parameter BgpAsn is invalid. Expecting a value less than or equal to 4294967294.',
      ),
    ],
    [
      'refuses a 2-byte ASN in BgpAsnExtended',
      { BgpAsnExtended: 65000 },
      fail(
        'InvalidParameterValue',
        'Value ( 65000 ) for parameter BgpAsnExtended is invalid. Expecting a value greater than or equal to 2147483648.',
      ),
    ],
    [
      'refuses BgpAsn together with BgpAsnExtended',
      { BgpAsn: 65000, BgpAsnExtended: 4200000000 },
      fail('InvalidParameterCombination', 'The parameters BgpAsn and BgpAsnExtended cannot be used together.'),
    ],
    [
      'refuses a type other than ipsec.1',
      { Type: 'ipsec.2' as 'ipsec.1' },
      fail('InvalidParameterValue', 'Value ( ipsec.2 ) for parameter Type is invalid. Valid values: ipsec.1.'),
    ],
    [
      'refuses certificate-based customer gateways as unsupported',
      { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' },
      fail('UnsupportedOperation', 'Certificate-based customer gateways are not supported by sitevpn; use IpAddress.'),
    ],
    [
      'refuses a tag specification for another resource type',
      { TagSpecifications: [{ ResourceType: 'vpn-gateway', Tags: [{ Key: 'a', Value: 'b' }] }] },
      fail('InvalidParameter', "'vpn-gateway' is not a valid taggable resource type for this operation."),
    ],
    [
      'refuses a reserved aws: tag key',
      { TagSpecifications: [{ ResourceType: 'customer-gateway', Tags: [{ Key: 'aws:x', Value: 'b' }] }] },
      fail(
        'InvalidParameterValue',
        "Value ( aws:x ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use",
      ),
    ],
    [
      'refuses 51 tags with TagLimitExceeded',
      {
        TagSpecifications: [
          { ResourceType: 'customer-gateway', Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: '' })) },
        ],
      },
      fail('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.'),
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name + ' and creates nothing', async () => {
      const before = (await ec2.send(new sdk.DescribeCustomerGatewaysCommand({}))).CustomerGateways!.length;
      assert.deepEqual(
        await failureOf(ec2.send(new sdk.CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: nextIp(), ...input }))),
        expected,
      );
      assert.equal((await ec2.send(new sdk.DescribeCustomerGatewaysCommand({}))).CustomerGateways!.length, before);
    });
  }

  it('answers DryRun with DryRunOperation for a full key and UnauthorizedOperation for a read-only one', async () => {
    const input = { Type: 'ipsec.1' as const, IpAddress: '198.18.9.9', DryRun: true };
    assert.deepEqual(await failureOf(ec2.send(new sdk.CreateCustomerGatewayCommand(input))), DRY_RUN);
    assert.deepEqual(await failureOf(readOnly.send(new sdk.CreateCustomerGatewayCommand(input))), UNAUTHORIZED);
    assert.deepEqual(await failureOf(readOnly.send(new sdk.CreateCustomerGatewayCommand({ ...input, DryRun: false }))), UNAUTHORIZED);
    assert.deepEqual(await cgwIds([{ Name: 'ip-address', Values: ['198.18.9.9'] }]), []);
  });
});

describe('DescribeCustomerGateways', () => {
  it('selects by id and by each filter', async () => {
    const a = await cgw({
      IpAddress: '198.18.1.1',
      BgpAsn: 64901,
      TagSpecifications: [{ ResourceType: 'customer-gateway', Tags: [{ Key: 'site', Value: 'berlin' }] }],
    });
    const b = await cgw({
      IpAddress: '198.18.1.2',
      BgpAsn: 64902,
      TagSpecifications: [{ ResourceType: 'customer-gateway', Tags: [{ Key: 'tier', Value: 'gold' }] }],
    });
    const both = [a.CustomerGatewayId, b.CustomerGatewayId];
    const r = await ec2.send(new sdk.DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [b.CustomerGatewayId!, a.CustomerGatewayId!] }));
    assert.deepEqual(
      r.CustomerGateways!.map((c) => c.CustomerGatewayId),
      [b.CustomerGatewayId, a.CustomerGatewayId],
    );
    assert.deepEqual(await cgwIds([{ Name: 'bgp-asn', Values: ['64901'] }]), [a.CustomerGatewayId]);
    assert.deepEqual(await cgwIds([{ Name: 'customer-gateway-id', Values: [b.CustomerGatewayId!] }]), [b.CustomerGatewayId]);
    assert.deepEqual(await cgwIds([{ Name: 'ip-address', Values: ['198.18.1.*'] }]), both);
    assert.deepEqual(
      await cgwIds([
        { Name: 'ip-address', Values: ['198.18.1.2'] },
        { Name: 'state', Values: ['available'] },
        { Name: 'type', Values: ['ipsec.1'] },
      ]),
      [b.CustomerGatewayId],
    );
    assert.deepEqual(await cgwIds([{ Name: 'state', Values: ['deleted'] }]), []);
    assert.deepEqual(await cgwIds([{ Name: 'tag:site', Values: ['berlin'] }]), [a.CustomerGatewayId]);
    assert.deepEqual(await cgwIds([{ Name: 'tag-key', Values: ['tier'] }]), [b.CustomerGatewayId]);
    assert.deepEqual(await cgwIds([{ Name: 'tag-value', Values: ['ber?in', 'gold'] }]), both);
  });

  it('returns InvalidCustomerGatewayID.NotFound for an unknown id', async () => {
    const r = ec2.send(new sdk.DescribeCustomerGatewaysCommand({ CustomerGatewayIds: ['cgw-0123456789abcdef0'] }));
    assert.deepEqual(
      await failureOf(r),
      fail('InvalidCustomerGatewayID.NotFound', "The customerGateway ID 'cgw-0123456789abcdef0' does not exist"),
    );
  });

  it('refuses an unknown filter name', async () => {
    assert.deepEqual(
      await failureOf(cgwIds([{ Name: 'color', Values: ['red'] }])),
      fail('InvalidParameterValue', "The filter 'color' is invalid"),
    );
  });

  it('is allowed for a read-only key, also as DryRun', async () => {
    assert.ok(Array.isArray((await readOnly.send(new sdk.DescribeCustomerGatewaysCommand({}))).CustomerGateways));
    assert.deepEqual(await failureOf(readOnly.send(new sdk.DescribeCustomerGatewaysCommand({ DryRun: true }))), DRY_RUN);
  });
});

describe('DeleteCustomerGateway', () => {
  it('deletes an unused customer gateway', async () => {
    const c = await cgw();
    assert.equal(
      (await ec2.send(new sdk.DeleteCustomerGatewayCommand({ CustomerGatewayId: c.CustomerGatewayId! }))).$metadata.httpStatusCode,
      200,
    );
    // EC2 keeps a deleted customer gateway visible for a while, no longer available.
    const byId = { Name: 'customer-gateway-id', Values: [c.CustomerGatewayId!] };
    assert.deepEqual(await cgwIds([byId, { Name: 'state', Values: ['available'] }]), []);
    assert.deepEqual(await cgwIds([byId, { Name: 'state', Values: ['deleting', 'deleted'] }]), [c.CustomerGatewayId]);
  });

  it('refuses a customer gateway used by a VPN connection with IncorrectState', async () => {
    const c = await cgw();
    await connect(c, await vgw());
    const r = ec2.send(new sdk.DeleteCustomerGatewayCommand({ CustomerGatewayId: c.CustomerGatewayId! }));
    assert.deepEqual(await failureOf(r), fail('IncorrectState', 'The customer gateway is in use.'));
  });

  it('returns InvalidCustomerGatewayID.NotFound for an unknown id', async () => {
    const r = ec2.send(new sdk.DeleteCustomerGatewayCommand({ CustomerGatewayId: 'cgw-0123456789abcdef1' }));
    assert.deepEqual(
      await failureOf(r),
      fail('InvalidCustomerGatewayID.NotFound', "The customerGateway ID 'cgw-0123456789abcdef1' does not exist"),
    );
  });

  it('answers DryRun without deleting, and refuses a read-only key', async () => {
    const c = await cgw();
    const input = { CustomerGatewayId: c.CustomerGatewayId!, DryRun: true };
    assert.deepEqual(await failureOf(ec2.send(new sdk.DeleteCustomerGatewayCommand(input))), DRY_RUN);
    assert.deepEqual(await failureOf(readOnly.send(new sdk.DeleteCustomerGatewayCommand(input))), UNAUTHORIZED);
    assert.deepEqual(await failureOf(readOnly.send(new sdk.DeleteCustomerGatewayCommand({ ...input, DryRun: false }))), UNAUTHORIZED);
    assert.deepEqual(await cgwIds([{ Name: 'customer-gateway-id', Values: [c.CustomerGatewayId!] }]), [c.CustomerGatewayId]);
  });
});

describe('CreateVpnGateway', () => {
  it('creates an available, detached ipsec.1 gateway with Amazon side ASN 64512 by default', async () => {
    const g = await vgw();
    assert.match(g.VpnGatewayId!, /^vgw-[0-9a-f]{17}$/);
    assert.deepEqual(
      [g.State, g.Type, g.AmazonSideAsn, g.VpcAttachments, g.AvailabilityZone],
      ['available', 'ipsec.1', 64512, [], undefined],
    );
  });

  it('keeps a 32-bit Amazon side ASN, the availability zone and the tags', async () => {
    const g = await vgw({
      AmazonSideAsn: 4200000000,
      AvailabilityZone: 'us-east-1b',
      TagSpecifications: [{ ResourceType: 'vpn-gateway', Tags: [{ Key: 'env', Value: 'prod' }] }],
    });
    assert.deepEqual([g.AmazonSideAsn, g.AvailabilityZone, g.Tags], [4200000000, 'us-east-1b', [{ Key: 'env', Value: 'prod' }]]);
  });

  const ASN = 'Expecting a private ASN in the range 64512 to 65534 or 4200000000 to 4294967294.';
  const cases: Array<[string, Partial<sdk.CreateVpnGatewayCommandInput>, ReturnType<typeof fail>]> = [
    [
      'refuses Amazon side ASN 65535',
      { AmazonSideAsn: 65535 },
      fail('InvalidParameterValue', `Value ( 65535 ) for parameter amazonSideAsn is invalid. ${ASN}`),
    ],
    [
      'refuses the public Amazon side ASN 7224',
      { AmazonSideAsn: 7224 },
      fail('InvalidParameterValue', `Value ( 7224 ) for parameter amazonSideAsn is invalid. ${ASN}`),
    ],
    [
      'refuses Amazon side ASN 4199999999',
      { AmazonSideAsn: 4199999999 },
      fail('InvalidParameterValue', `Value ( 4199999999 ) for parameter amazonSideAsn is invalid. ${ASN}`),
    ],
    [
      'refuses a malformed availability zone',
      { AvailabilityZone: 'moon' },
      fail(
        'InvalidParameterValue',
        'Value ( moon ) for parameter availabilityZone is invalid. Expecting an availability zone name such as us-east-1a.',
      ),
    ],
    [
      'refuses a type other than ipsec.1',
      { Type: 'ipsec.9' as 'ipsec.1' },
      fail('InvalidParameterValue', 'Value ( ipsec.9 ) for parameter Type is invalid. Valid values: ipsec.1.'),
    ],
    [
      'refuses a tag specification for another resource type',
      { TagSpecifications: [{ ResourceType: 'customer-gateway', Tags: [{ Key: 'a', Value: 'b' }] }] },
      fail('InvalidParameter', "'customer-gateway' is not a valid taggable resource type for this operation."),
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name, async () =>
      assert.deepEqual(await failureOf(ec2.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1', ...input }))), expected),
    );
  }

  it('answers DryRun with DryRunOperation for a full key and UnauthorizedOperation for a read-only one', async () => {
    const count = async () => (await ec2.send(new sdk.DescribeVpnGatewaysCommand({}))).VpnGateways!.length;
    const before = await count();
    assert.deepEqual(await failureOf(ec2.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1', DryRun: true }))), DRY_RUN);
    assert.deepEqual(await failureOf(readOnly.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1', DryRun: true }))), UNAUTHORIZED);
    assert.deepEqual(await failureOf(readOnly.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1' }))), UNAUTHORIZED);
    assert.equal(await count(), before);
  });
});

describe('DescribeVpnGateways', () => {
  it('selects by id and by each filter', async () => {
    const a = await vgw({
      AmazonSideAsn: 65101,
      AvailabilityZone: 'eu-west-1a',
      TagSpecifications: [{ ResourceType: 'vpn-gateway', Tags: [{ Key: 'team', Value: 'net' }] }],
    });
    const b = await vgw({ AmazonSideAsn: 65102 });
    await ec2.send(new sdk.AttachVpnGatewayCommand({ VpcId: 'vpc-0a1b2c3d', VpnGatewayId: b.VpnGatewayId! }));
    const r = await ec2.send(new sdk.DescribeVpnGatewaysCommand({ VpnGatewayIds: [a.VpnGatewayId!, b.VpnGatewayId!] }));
    assert.deepEqual(
      r.VpnGateways!.map((g) => g.VpnGatewayId),
      [a.VpnGatewayId, b.VpnGatewayId],
    );
    assert.deepEqual(r.VpnGateways![1].VpcAttachments, [{ State: 'attached', VpcId: 'vpc-0a1b2c3d' }]);
    assert.deepEqual(await vgwIds([{ Name: 'amazon-side-asn', Values: ['65101'] }]), [a.VpnGatewayId]);
    assert.deepEqual(
      await vgwIds([
        { Name: 'attachment.state', Values: ['attached'] },
        { Name: 'amazon-side-asn', Values: ['6510?'] },
      ]),
      [b.VpnGatewayId],
    );
    assert.deepEqual(await vgwIds([{ Name: 'attachment.vpc-id', Values: ['vpc-0a1b2c3d'] }]), [b.VpnGatewayId]);
    assert.deepEqual(await vgwIds([{ Name: 'availability-zone', Values: ['eu-west-1a'] }]), [a.VpnGatewayId]);
    assert.deepEqual(
      await vgwIds([
        { Name: 'vpn-gateway-id', Values: [a.VpnGatewayId!, b.VpnGatewayId!] },
        { Name: 'state', Values: ['available'] },
        { Name: 'type', Values: ['ipsec.1'] },
      ]),
      [a.VpnGatewayId, b.VpnGatewayId],
    );
    assert.deepEqual(await vgwIds([{ Name: 'tag:team', Values: ['net'] }]), [a.VpnGatewayId]);
    assert.deepEqual(await vgwIds([{ Name: 'tag-key', Values: ['te*'] }]), [a.VpnGatewayId]);
    assert.deepEqual(await vgwIds([{ Name: 'tag-value', Values: ['net'] }]), [a.VpnGatewayId]);
  });

  it('returns InvalidVpnGatewayID.NotFound for an unknown id and refuses an unknown filter', async () => {
    const r = ec2.send(new sdk.DescribeVpnGatewaysCommand({ VpnGatewayIds: ['vgw-0123456789abcdef0'] }));
    assert.deepEqual(await failureOf(r), fail('InvalidVpnGatewayID.NotFound', "The vpnGateway ID 'vgw-0123456789abcdef0' does not exist"));
    assert.deepEqual(
      await failureOf(vgwIds([{ Name: 'attachment', Values: ['x'] }])),
      fail('InvalidParameterValue', "The filter 'attachment' is invalid"),
    );
  });
});

describe('AttachVpnGateway, DetachVpnGateway and DeleteVpnGateway', () => {
  it('attaches, refuses a second VPC, detaches, and then deletes', async () => {
    const id = (await vgw()).VpnGatewayId!;
    const attached = await ec2.send(new sdk.AttachVpnGatewayCommand({ VpcId: 'vpc-1111', VpnGatewayId: id }));
    assert.deepEqual(attached.VpcAttachment, { State: 'attached', VpcId: 'vpc-1111' });
    const second = ec2.send(new sdk.AttachVpnGatewayCommand({ VpcId: 'vpc-2222', VpnGatewayId: id }));
    assert.deepEqual(
      await failureOf(second),
      fail('IncorrectState', `The vpnGateway '${id}' is in an incorrect state for this operation.`),
    );
    const del = () => ec2.send(new sdk.DeleteVpnGatewayCommand({ VpnGatewayId: id }));
    assert.deepEqual(await failureOf(del()), fail('IncorrectState', 'The VPN gateway is in use.'));
    assert.equal((await ec2.send(new sdk.DetachVpnGatewayCommand({ VpcId: 'vpc-1111', VpnGatewayId: id }))).$metadata.httpStatusCode, 200);
    assert.deepEqual(
      await vgwIds([
        { Name: 'attachment.state', Values: ['detached'] },
        { Name: 'vpn-gateway-id', Values: [id] },
      ]),
      [id],
    );
    const again = ec2.send(new sdk.DetachVpnGatewayCommand({ VpcId: 'vpc-1111', VpnGatewayId: id }));
    const noAttachment = `The attachment with vpn gateway ID '${id}' and vpc ID 'vpc-1111' does not exist`;
    assert.deepEqual(await failureOf(again), fail('InvalidVpnGatewayAttachment.NotFound', noAttachment));
    await del();
    assert.deepEqual(
      await vgwIds([
        { Name: 'vpn-gateway-id', Values: [id] },
        { Name: 'state', Values: ['available'] },
      ]),
      [],
    );
    assert.deepEqual(
      await vgwIds([
        { Name: 'vpn-gateway-id', Values: [id] },
        { Name: 'state', Values: ['deleting', 'deleted'] },
      ]),
      [id],
    );
  });

  it('refuses to delete a gateway used by a VPN connection with IncorrectState', async () => {
    const g = await vgw();
    await connect(await cgw(), g);
    const r = ec2.send(new sdk.DeleteVpnGatewayCommand({ VpnGatewayId: g.VpnGatewayId! }));
    assert.deepEqual(await failureOf(r), fail('IncorrectState', 'The VPN gateway is in use.'));
  });

  it('returns InvalidVpnGatewayID.NotFound for an unknown gateway in each action', async () => {
    const VpnGatewayId = 'vgw-0123456789abcdef2';
    const expected = fail('InvalidVpnGatewayID.NotFound', `The vpnGateway ID '${VpnGatewayId}' does not exist`);
    assert.deepEqual(await failureOf(ec2.send(new sdk.AttachVpnGatewayCommand({ VpcId: 'vpc-1', VpnGatewayId }))), expected);
    assert.deepEqual(await failureOf(ec2.send(new sdk.DetachVpnGatewayCommand({ VpcId: 'vpc-1', VpnGatewayId }))), expected);
    assert.deepEqual(await failureOf(ec2.send(new sdk.DeleteVpnGatewayCommand({ VpnGatewayId }))), expected);
  });

  it('answers DryRun for each action without changing anything, and refuses a read-only key', async () => {
    const id = (await vgw()).VpnGatewayId!;
    await ec2.send(new sdk.AttachVpnGatewayCommand({ VpcId: 'vpc-3333', VpnGatewayId: id }));
    const commands = [
      (DryRun: boolean) => new sdk.AttachVpnGatewayCommand({ VpcId: 'vpc-3333', VpnGatewayId: id, DryRun }),
      (DryRun: boolean) => new sdk.DetachVpnGatewayCommand({ VpcId: 'vpc-3333', VpnGatewayId: id, DryRun }),
      (DryRun: boolean) => new sdk.DeleteVpnGatewayCommand({ VpnGatewayId: id, DryRun }),
    ];
    for (const command of commands) {
      assert.deepEqual(await failureOf(ec2.send(command(true) as never)), DRY_RUN);
      assert.deepEqual(await failureOf(readOnly.send(command(true) as never)), UNAUTHORIZED);
      assert.deepEqual(await failureOf(readOnly.send(command(false) as never)), UNAUTHORIZED);
    }
    assert.deepEqual(
      await vgwIds([
        { Name: 'vpn-gateway-id', Values: [id] },
        { Name: 'attachment.state', Values: ['attached'] },
      ]),
      [id],
    );
  });
});
