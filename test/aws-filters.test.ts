// One filter engine for every EC2 Describe action: every documented filter name, EC2's `*` and `?`
// wildcards, and InvalidParameterValue for names the action does not know, all through the SDK.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EC2Client, Filter } from '@aws-sdk/client-ec2';
import * as sdk from '@aws-sdk/client-ec2';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { gatewayPair } from './support/fixtures.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let ec2: EC2Client;
let a: { vpn: string; vgw: string; cgw: string; config: string };
let b: { vpn: string; vgw: string; cgw: string };

before(async () => {
  server = await startTestServer();
  ec2 = ec2Client(server.endpoint);
  const pa = await gatewayPair(server);
  const pb = await gatewayPair(server);
  const ca = await ec2.send(
    new sdk.CreateVpnConnectionCommand({
      CustomerGatewayId: pa.cgw.id,
      VpnGatewayId: pa.gateway.id,
      Type: 'ipsec.1',
      Options: { StaticRoutesOnly: true },
      TagSpecifications: [{ ResourceType: 'vpn-connection', Tags: [{ Key: 'Name', Value: 'branch-paris' }] }],
    }),
  );
  const cb = await ec2.send(
    new sdk.CreateVpnConnectionCommand({
      CustomerGatewayId: pb.cgw.id,
      VpnGatewayId: pb.gateway.id,
      Type: 'ipsec.1',
      TagSpecifications: [{ ResourceType: 'vpn-connection', Tags: [{ Key: 'Name', Value: 'branch-oslo' }] }],
    }),
  );
  await ec2.send(
    new sdk.CreateVpnConnectionRouteCommand({ VpnConnectionId: ca.VpnConnection!.VpnConnectionId!, DestinationCidrBlock: '10.77.0.0/16' }),
  );
  a = {
    vpn: ca.VpnConnection!.VpnConnectionId!,
    vgw: pa.gateway.id,
    cgw: pa.cgw.id,
    config: ca.VpnConnection!.CustomerGatewayConfiguration!,
  };
  b = { vpn: cb.VpnConnection!.VpnConnectionId!, vgw: pb.gateway.id, cgw: pb.cgw.id };
  await ec2.send(new sdk.CreateTagsCommand({ Resources: [a.vgw, a.cgw], Tags: [{ Key: 'site', Value: 'paris-1' }] }));
  await ec2.send(new sdk.CreateTagsCommand({ Resources: [b.vgw, b.cgw], Tags: [{ Key: 'site', Value: 'oslo-2' }] }));
});
after(() => server.close());

// The test's own resources among those answered, in creation order: EC2 defines no order, and two
// resources created in the same millisecond come back in id order.
const mine = (ids: (string | undefined)[], known: string[]) => known.filter((id) => ids.includes(id));
const vpns = async (Filters: Filter[]) =>
  mine(
    ((await ec2.send(new sdk.DescribeVpnConnectionsCommand({ Filters }))).VpnConnections ?? []).map((c) => c.VpnConnectionId),
    [a.vpn, b.vpn],
  );
const vgws = async (Filters: Filter[]) =>
  mine(
    ((await ec2.send(new sdk.DescribeVpnGatewaysCommand({ Filters }))).VpnGateways ?? []).map((g) => g.VpnGatewayId),
    [a.vgw, b.vgw],
  );
const cgws = async (Filters: Filter[]) =>
  mine(
    ((await ec2.send(new sdk.DescribeCustomerGatewaysCommand({ Filters }))).CustomerGateways ?? []).map((c) => c.CustomerGatewayId),
    [a.cgw, b.cgw],
  );
const tags = async (Filters: Filter[]) =>
  ((await ec2.send(new sdk.DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['site', 'Name'] }, ...Filters] }))).Tags ?? [])
    .filter((t) => [a.vpn, b.vpn, a.vgw, b.vgw, a.cgw, b.cgw].includes(t.ResourceId!))
    .map((t) => `${t.ResourceId} ${t.Key}=${t.Value}`)
    .sort();

describe('DescribeVpnConnections filters', () => {
  it('selects by every filter name EC2 documents for it', async () => {
    const f = (Name: string, ...Values: string[]) => vpns([{ Name, Values }]);
    assert.deepEqual(await f('customer-gateway-id', a.cgw), [a.vpn]);
    assert.deepEqual(await f('vpn-gateway-id', b.vgw), [b.vpn]);
    assert.deepEqual(await f('vpn-connection-id', b.vpn), [b.vpn]);
    assert.deepEqual(await f('option.static-routes-only', 'true'), [a.vpn]);
    assert.deepEqual(await f('option.static-routes-only', 'false'), [b.vpn]);
    assert.deepEqual(await f('route.destination-cidr-block', '10.77.0.0/16'), [a.vpn]);
    assert.deepEqual(await f('bgp-asn', '65000'), [a.vpn, b.vpn]);
    assert.deepEqual(await f('bgp-asn', '65001'), []);
    assert.deepEqual(await f('type', 'ipsec.1'), [a.vpn, b.vpn]);
    assert.deepEqual(await f('state', 'pending', 'available'), [a.vpn, b.vpn]);
    assert.deepEqual(await f('state', 'deleted'), []);
    assert.deepEqual(await f('tag:Name', 'branch-oslo'), [b.vpn]);
    assert.deepEqual(await f('tag-key', 'Name'), [a.vpn, b.vpn]);
    assert.deepEqual(await f('transit-gateway-id', 'tgw-0123456789abcdef0'), []);
    assert.deepEqual(await f('customer-gateway-configuration', a.config), [a.vpn]);
  });

  it('takes * and ? wildcards in values, including tag values', async () => {
    assert.deepEqual(await vpns([{ Name: 'tag:Name', Values: ['branch-*'] }]), [a.vpn, b.vpn]);
    assert.deepEqual(await vpns([{ Name: 'tag:Name', Values: ['branch-?slo'] }]), [b.vpn]);
    assert.deepEqual(await vpns([{ Name: 'tag:Name', Values: ['branch-?'] }]), []);
    assert.deepEqual(await vpns([{ Name: 'vpn-connection-id', Values: [`${a.vpn.slice(0, -1)}?`] }]), [a.vpn]);
    assert.deepEqual(await vpns([{ Name: 'route.destination-cidr-block', Values: ['10.77.*'] }]), [a.vpn]);
    assert.deepEqual(await vpns([{ Name: 'customer-gateway-configuration', Values: [`*<vpn_gateway_id>${a.vgw}</vpn_gateway_id>*`] }]), [
      a.vpn,
    ]);
    assert.deepEqual(await vpns([{ Name: 'customer-gateway-configuration', Values: [`*<vpn_connection id="${b.vpn}">*`] }]), [b.vpn]);
  });

  it('requires every filter to match', async () => {
    assert.deepEqual(
      await vpns([
        { Name: 'tag:Name', Values: ['branch-*'] },
        { Name: 'option.static-routes-only', Values: ['true'] },
      ]),
      [a.vpn],
    );
  });

  it('answers InvalidParameterValue naming a filter it does not know', async () => {
    const e = await ec2Failure(
      ec2.send(new sdk.DescribeVpnConnectionsCommand({ Filters: [{ Name: 'amazon-side-asn', Values: ['64512'] }] })),
    );
    assert.deepEqual([e.name, e.message], ['InvalidParameterValue', "The filter 'amazon-side-asn' is invalid"]);
  });
});

describe('DescribeVpnGateways filters', () => {
  it('selects by every filter name EC2 documents for it, with wildcards', async () => {
    const f = (Name: string, ...Values: string[]) => vgws([{ Name, Values }]);
    assert.deepEqual(await f('vpn-gateway-id', a.vgw), [a.vgw]);
    assert.deepEqual(await f('state', 'available'), [a.vgw, b.vgw]);
    assert.deepEqual(await f('type', 'ipsec.*'), [a.vgw, b.vgw]);
    assert.deepEqual(await f('amazon-side-asn', '6451?'), [a.vgw, b.vgw]);
    assert.deepEqual(await f('attachment.state', 'attached'), []);
    assert.deepEqual(await f('attachment.vpc-id', 'vpc-*'), []);
    assert.deepEqual(await f('tag:site', 'paris-*'), [a.vgw]);
    assert.deepEqual(await f('tag-key', 's?te'), [a.vgw, b.vgw]);
    const e = await ec2Failure(ec2.send(new sdk.DescribeVpnGatewaysCommand({ Filters: [{ Name: 'bgp-asn', Values: ['1'] }] })));
    assert.deepEqual([e.name, e.message], ['InvalidParameterValue', "The filter 'bgp-asn' is invalid"]);
  });
});

describe('DescribeCustomerGateways filters', () => {
  it('selects by every filter name EC2 documents for it, with wildcards', async () => {
    const f = (Name: string, ...Values: string[]) => cgws([{ Name, Values }]);
    assert.deepEqual(await f('customer-gateway-id', b.cgw), [b.cgw]);
    assert.deepEqual(await f('bgp-asn', '650??'), [a.cgw, b.cgw]);
    assert.deepEqual(await f('state', 'available'), [a.cgw, b.cgw]);
    assert.deepEqual(await f('type', 'ipsec.1'), [a.cgw, b.cgw]);
    assert.deepEqual(await f('tag:site', '*-2'), [b.cgw]);
    assert.deepEqual(await f('tag-key', 'site'), [a.cgw, b.cgw]);
    const ips = (await ec2.send(new sdk.DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [a.cgw] }))).CustomerGateways![0].IpAddress!;
    assert.deepEqual(await f('ip-address', ips), [a.cgw]);
    assert.deepEqual(await f('ip-address', '198.51.100.*'), [a.cgw, b.cgw]);
    const e = await ec2Failure(ec2.send(new sdk.DescribeCustomerGatewaysCommand({ Filters: [{ Name: 'vpn-gateway-id', Values: ['x'] }] })));
    assert.deepEqual([e.name, e.message], ['InvalidParameterValue', "The filter 'vpn-gateway-id' is invalid"]);
  });
});

describe('DescribeTags filters', () => {
  it('selects by key, value, resource-id, resource-type and tag:<key>, with wildcards', async () => {
    assert.deepEqual(await tags([{ Name: 'resource-id', Values: [a.vgw] }]), [`${a.vgw} site=paris-1`]);
    assert.deepEqual(await tags([{ Name: 'value', Values: ['*-1'] }]), [`${a.cgw} site=paris-1`, `${a.vgw} site=paris-1`].sort());
    assert.deepEqual(
      await tags([
        { Name: 'resource-type', Values: ['vpn-connection'] },
        { Name: 'value', Values: ['branch-?slo'] },
      ]),
      [`${b.vpn} Name=branch-oslo`],
    );
    assert.deepEqual(await tags([{ Name: 'tag:site', Values: ['oslo*'] }]), [`${b.cgw} site=oslo-2`, `${b.vgw} site=oslo-2`].sort());
    const e = await ec2Failure(ec2.send(new sdk.DescribeTagsCommand({ Filters: [{ Name: 'state', Values: ['x'] }] })));
    assert.deepEqual([e.name, e.message], ['InvalidParameterValue', "The filter 'state' is invalid"]);
  });
});
