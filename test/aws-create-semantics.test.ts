// CreateVpnConnection and CreateCustomerGateway as EC2 defines them: idempotent repeats, EC2's
// order of checks and its words, and the customerGatewayConfiguration document (gateway ASN,
// well-formed XML from the writer), all through the official @aws-sdk/client-ec2.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EC2Client } from '@aws-sdk/client-ec2';
import * as sdk from '@aws-sdk/client-ec2';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let ec2: EC2Client;
before(async () => {
  server = await startTestServer();
  ec2 = ec2Client(server.endpoint);
});
after(() => server.close());

let octet = 1;
async function pair(AmazonSideAsn?: number, BgpAsn = 65010) {
  const vgw = (await ec2.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1', AmazonSideAsn }))).VpnGateway!.VpnGatewayId!;
  const cgw = (await ec2.send(new sdk.CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: `198.18.0.${octet++}`, BgpAsn })))
    .CustomerGateway!;
  return { vgw, cgw: cgw.CustomerGatewayId!, ip: cgw.IpAddress! };
}
const create = (input: Partial<sdk.CreateVpnConnectionCommandInput>) =>
  ec2
    .send(new sdk.CreateVpnConnectionCommand({ Type: 'ipsec.1', ...input } as sdk.CreateVpnConnectionCommandInput))
    .then((r) => r.VpnConnection!);
const failure = async (p: Promise<unknown>) => {
  const e = await ec2Failure(p);
  return [e.name, e.message];
};

describe('CreateVpnConnection is idempotent', () => {
  it('returns the existing connection for the same request, also with other tags, and leaves its tags alone', async () => {
    const p = await pair();
    const Options = { StaticRoutesOnly: true, TunnelOptions: [{ TunnelInsideCidr: '169.254.60.0/30', PreSharedKey: 'same.Key_1' }] };
    const first = await create({
      CustomerGatewayId: p.cgw,
      VpnGatewayId: p.vgw,
      Options,
      TagSpecifications: [{ ResourceType: 'vpn-connection', Tags: [{ Key: 'Name', Value: 'one' }] }],
    });
    const again = await create({ CustomerGatewayId: p.cgw, VpnGatewayId: p.vgw, Options });
    const tagged = await create({
      CustomerGatewayId: p.cgw,
      VpnGatewayId: p.vgw,
      Options,
      TagSpecifications: [{ ResourceType: 'vpn-connection', Tags: [{ Key: 'Name', Value: 'two' }] }],
    });
    assert.deepEqual([again.VpnConnectionId, tagged.VpnConnectionId], [first.VpnConnectionId, first.VpnConnectionId]);
    assert.deepEqual(tagged.Tags, [{ Key: 'Name', Value: 'one' }]);
    assert.deepEqual(
      again.Options!.TunnelOptions!.map((t) => t.PreSharedKey),
      first.Options!.TunnelOptions!.map((t) => t.PreSharedKey),
    );
    const all = (await ec2.send(new sdk.DescribeVpnConnectionsCommand({ Filters: [{ Name: 'vpn-gateway-id', Values: [p.vgw] }] })))
      .VpnConnections!;
    assert.equal(all.length, 1);
  });

  it('refuses the same gateway pair with other options in EC2 words, never the Huawei ones', async () => {
    const p = await pair();
    const first = await create({ CustomerGatewayId: p.cgw, VpnGatewayId: p.vgw });
    const other = await failure(create({ CustomerGatewayId: p.cgw, VpnGatewayId: p.vgw, Options: { StaticRoutesOnly: true } }));
    assert.deepEqual(other, [
      'InvalidParameterValue',
      `The VPN connection '${first.VpnConnectionId}' already joins customer gateway '${p.cgw}' to virtual private gateway '${p.vgw}' with other options.`,
    ]);
    const key = await failure(
      create({ CustomerGatewayId: p.cgw, VpnGatewayId: p.vgw, Options: { TunnelOptions: [{ PreSharedKey: 'other.Key_2' }] } }),
    );
    assert.equal(key[0], 'InvalidParameterValue');
    assert.doesNotMatch(String(key[1]), /already used|vgw_ip|VPN gateway IP/);
  });

  it('creates a new connection once the old one is deleted', async () => {
    const p = await pair();
    const first = await create({ CustomerGatewayId: p.cgw, VpnGatewayId: p.vgw });
    await ec2.send(new sdk.DeleteVpnConnectionCommand({ VpnConnectionId: first.VpnConnectionId! }));
    const second = await create({ CustomerGatewayId: p.cgw, VpnGatewayId: p.vgw });
    assert.notEqual(second.VpnConnectionId, first.VpnConnectionId);
    assert.equal(second.State, 'pending');
  });
});

describe('CreateCustomerGateway is idempotent', () => {
  it('returns the existing gateway for the same type, address and ASN, and a new one for another device name', async () => {
    const input = { Type: 'ipsec.1' as const, IpAddress: '198.18.1.1', BgpAsn: 65020 };
    const a = (await ec2.send(new sdk.CreateCustomerGatewayCommand(input))).CustomerGateway!;
    const b = (
      await ec2.send(
        new sdk.CreateCustomerGatewayCommand({
          ...input,
          TagSpecifications: [{ ResourceType: 'customer-gateway', Tags: [{ Key: 'k', Value: 'v' }] }],
        }),
      )
    ).CustomerGateway!;
    const c = (await ec2.send(new sdk.CreateCustomerGatewayCommand({ ...input, DeviceName: 'edge-2' }))).CustomerGateway!;
    assert.equal(b.CustomerGatewayId, a.CustomerGatewayId);
    assert.notEqual(c.CustomerGatewayId, a.CustomerGatewayId);
    await ec2.send(new sdk.DeleteCustomerGatewayCommand({ CustomerGatewayId: a.CustomerGatewayId! }));
    const d = (await ec2.send(new sdk.CreateCustomerGatewayCommand(input))).CustomerGateway!;
    assert.notEqual(d.CustomerGatewayId, a.CustomerGatewayId);
  });
});

describe("CreateVpnConnection checks in EC2's order", () => {
  it('refuses a VPN gateway and a transit gateway together before looking anything up', async () => {
    const r = await failure(
      create({
        CustomerGatewayId: 'cgw-00000000000000001',
        VpnGatewayId: 'vgw-00000000000000001',
        TransitGatewayId: 'tgw-00000000000000001',
      }),
    );
    assert.deepEqual(r, ['InvalidParameterValue', 'The request can include either a VpnGatewayId or a TransitGatewayId, but not both.']);
  });

  it('reports an unknown customer gateway before an unknown transit gateway', async () => {
    const r = await failure(create({ CustomerGatewayId: 'cgw-00000000000000002', TransitGatewayId: 'tgw-00000000000000002' }));
    assert.deepEqual(r, ['InvalidCustomerGatewayID.NotFound', "The customerGateway ID 'cgw-00000000000000002' does not exist"]);
    const p = await pair();
    const t = await failure(create({ CustomerGatewayId: p.cgw, TransitGatewayId: 'tgw-00000000000000002' }));
    assert.deepEqual(t, ['InvalidTransitGatewayID.NotFound', "The transitGateway ID 'tgw-00000000000000002' does not exist"]);
  });

  it('names a missing gateway parameter as EC2 does', async () => {
    const p = await pair();
    assert.deepEqual(await failure(create({ CustomerGatewayId: p.cgw })), [
      'MissingParameter',
      'The request must contain the parameter VpnGatewayId',
    ]);
  });

  it('words an in-use gateway in EC2 terms', async () => {
    const p = await pair();
    await create({ CustomerGatewayId: p.cgw, VpnGatewayId: p.vgw });
    const busy = await failure(ec2.send(new sdk.DeleteVpnGatewayCommand({ VpnGatewayId: p.vgw })));
    assert.deepEqual(busy, ['IncorrectState', 'The VPN gateway is in use.']);
  });
});

describe('customerGatewayConfiguration', () => {
  it("is well-formed XML with the VPN gateway's own ASN and the customer gateway's, and the keys for a full key", async () => {
    const p = await pair(65123, 65321);
    const c = await create({ CustomerGatewayId: p.cgw, VpnGatewayId: p.vgw, Options: { TunnelOptions: [{ PreSharedKey: 'conf.Key_1' }] } });
    const xml = c.CustomerGatewayConfiguration!;
    assert.equal(XMLValidator.validate(xml), true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml).vpn_connection;
    assert.equal(doc['@_id'], c.VpnConnectionId);
    assert.deepEqual([doc.customer_gateway_id, doc.vpn_gateway_id, doc.vpn_connection_type], [p.cgw, p.vgw, 'ipsec.1']);
    assert.equal(doc.ipsec_tunnel.length, 2);
    for (const t of doc.ipsec_tunnel) {
      assert.equal(t.vpn_gateway.bgp.asn, 65123);
      assert.equal(t.customer_gateway.bgp.asn, 65321);
      assert.equal(t.customer_gateway.tunnel_outside_address.ip_address, p.ip);
    }
    assert.equal(doc.ipsec_tunnel[0].ike.pre_shared_key, 'conf.Key_1');
    assert.equal(doc.ipsec_tunnel[1].ike.pre_shared_key, c.Options!.TunnelOptions![1].PreSharedKey);
  });
});

describe('pre-shared keys at rest', () => {
  it('never reach the database file in clear, neither while the connection lives nor once it is deleted', async () => {
    const p = await pair();
    const canary = 'AtRest.canary_key_77';
    const c = await create({ CustomerGatewayId: p.cgw, VpnGatewayId: p.vgw, Options: { TunnelOptions: [{ PreSharedKey: canary }] } });
    assert.equal(c.Options!.TunnelOptions![0].PreSharedKey, canary);
    await ec2.send(new sdk.DeleteVpnConnectionCommand({ VpnConnectionId: c.VpnConnectionId! }));
    const deleted = (await ec2.send(new sdk.DescribeVpnConnectionsCommand({ VpnConnectionIds: [c.VpnConnectionId!] }))).VpnConnections![0];
    assert.equal(deleted.Options!.TunnelOptions![0].PreSharedKey, undefined);
    for (const file of ['sitevpn.db', 'sitevpn.db-wal']) {
      const path = join(server.dataDir, file);
      if (existsSync(path)) assert.equal(readFileSync(path).includes(canary), false, `${file} holds the key in clear`);
    }
  });
});
