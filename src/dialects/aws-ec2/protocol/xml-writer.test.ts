import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { DescribeVpnConnectionsCommand, EC2Client, GetActiveVpnTunnelStatusCommand } from '@aws-sdk/client-ec2';
import { XMLParser } from 'fast-xml-parser';
import { outputs } from '../generated/model.ts';
import {
  bool,
  double,
  EC2_XMLNS,
  escapeXml,
  type Infer,
  int,
  list,
  named,
  renderEc2Response,
  renderEc2ResponseBytes,
  str,
  struct,
  timestamp,
  valueList,
  writeElement,
  XmlMemo,
  XmlWriterError,
} from './xml-writer.ts';

// Hand-made shapes (a subset of the 2016-11-15 model); the names no rule gives are set with named().
const Tag = struct({ Key: str, Value: str });
const TunnelOption = struct({
  OutsideIpAddress: str,
  TunnelInsideCidr: str,
  PreSharedKey: str,
  Phase1LifetimeSeconds: int,
  DpdTimeoutSeconds: int,
  DpdTimeoutAction: str,
  Phase1EncryptionAlgorithms: valueList(str),
  Phase2IntegrityAlgorithms: valueList(str),
  Phase1DHGroupNumbers: valueList(int),
  IkeVersions: valueList(str),
  StartupAction: str,
  EnableTunnelLifecycleControl: bool,
});
const VpnConnection = struct({
  VpnConnectionId: str,
  State: str,
  CustomerGatewayConfiguration: str,
  Type: str,
  CustomerGatewayId: str,
  VpnGatewayId: str,
  Category: str,
  Options: struct({ StaticRoutesOnly: bool, LocalIpv4NetworkCidr: str, TunnelOptions: list(TunnelOption) }),
  Routes: named('routes', list(struct({ DestinationCidrBlock: str, Source: str, State: str }))),
  Tags: list(Tag),
  VgwTelemetry: named(
    'vgwTelemetry',
    list(struct({ AcceptedRouteCount: int, LastStatusChange: timestamp, OutsideIpAddress: str, Status: str, StatusMessage: str })),
  ),
});
const DescribeVpnConnectionsResult = struct({ VpnConnections: list(VpnConnection) });
const GetActiveVpnTunnelStatusResult = struct({
  ActiveVpnTunnelStatus: struct({
    Phase1EncryptionAlgorithm: str,
    Phase2EncryptionAlgorithm: str,
    Phase1IntegrityAlgorithm: str,
    Phase2IntegrityAlgorithm: str,
    Phase1DHGroup: int,
    Phase2DHGroup: int,
    IkeVersion: str,
    ProvisioningStatus: str,
    ProvisioningStatusReason: str,
  }),
});

const CGW_CONFIG = '<?xml version="1.0"?>\n<vpn_connection id="vpn-1">\r\n  <ike mode="main">psk & more</ike>\n</vpn_connection>';
const described: Infer<typeof DescribeVpnConnectionsResult> = {
  VpnConnections: [
    {
      VpnConnectionId: 'vpn-0123456789abcdef0',
      State: 'available',
      CustomerGatewayConfiguration: CGW_CONFIG,
      Type: 'ipsec.1',
      CustomerGatewayId: 'cgw-0123456789abcdef0',
      VpnGatewayId: 'vgw-0123456789abcdef0',
      Category: 'VPN',
      Options: {
        StaticRoutesOnly: true,
        LocalIpv4NetworkCidr: '0.0.0.0/0',
        TunnelOptions: [
          {
            OutsideIpAddress: '203.0.113.1',
            TunnelInsideCidr: '169.254.11.0/30',
            PreSharedKey: 'key_with<angle>&amp',
            Phase1LifetimeSeconds: 28800,
            DpdTimeoutSeconds: 40,
            DpdTimeoutAction: 'clear',
            Phase1EncryptionAlgorithms: [{ Value: 'AES128' }, { Value: 'AES256-GCM-16' }],
            Phase2IntegrityAlgorithms: [{ Value: 'SHA2-256' }],
            Phase1DHGroupNumbers: [{ Value: 14 }, { Value: 20 }],
            IkeVersions: [{ Value: 'ikev2' }],
            StartupAction: 'add',
            EnableTunnelLifecycleControl: false,
          },
          { OutsideIpAddress: '203.0.113.2', Phase1EncryptionAlgorithms: [] },
        ],
      },
      Routes: [{ DestinationCidrBlock: '10.1.0.0/16', Source: 'Static', State: 'available' }],
      Tags: [{ Key: 'Name', Value: 'héllo \u{1F600}' }],
      VgwTelemetry: [
        {
          AcceptedRouteCount: 0,
          LastStatusChange: new Date(Date.UTC(2024, 0, 1)),
          OutsideIpAddress: '203.0.113.1',
          Status: 'UP',
          StatusMessage: '',
        },
        {
          AcceptedRouteCount: 2,
          LastStatusChange: Date.UTC(2024, 5, 30, 23, 59, 59, 123),
          OutsideIpAddress: '203.0.113.2',
          Status: 'DOWN',
          StatusMessage: 'IPSEC IS DOWN',
        },
      ],
    },
    { VpnConnectionId: 'vpn-00000000000000001', State: 'deleted', Tags: [], VgwTelemetry: undefined },
  ],
};

function sdkAnswering(xml: string): EC2Client {
  return new EC2Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
    requestHandler: {
      async handle() {
        return {
          response: { statusCode: 200, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body: Readable.from([Buffer.from(xml)]) },
        };
      },
    },
  });
}

describe('EC2 XML writer', () => {
  it('writes the response envelope with requestId first and EC2 element names', () => {
    const xml = renderEc2Response('DescribeVpnConnections', DescribeVpnConnectionsResult, described, 'req-1');
    assert.ok(
      xml.startsWith(
        `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeVpnConnectionsResponse xmlns="${EC2_XMLNS}"><requestId>req-1</requestId><vpnConnectionSet><item>`,
      ),
    );
    assert.ok(xml.endsWith('</DescribeVpnConnectionsResponse>'));
    for (const fragment of [
      '<phase1EncryptionAlgorithmSet><item><value>AES128</value></item><item><value>AES256-GCM-16</value></item></phase1EncryptionAlgorithmSet>',
      '<phase1DHGroupNumberSet><item><value>14</value></item><item><value>20</value></item></phase1DHGroupNumberSet>',
      '<ikeVersionSet><item><value>ikev2</value></item></ikeVersionSet>',
      '<routes><item><destinationCidrBlock>10.1.0.0/16</destinationCidrBlock>',
      '<vgwTelemetry><item><acceptedRouteCount>0</acceptedRouteCount><lastStatusChange>2024-01-01T00:00:00.000Z</lastStatusChange>',
      '<lastStatusChange>2024-06-30T23:59:59.123Z</lastStatusChange>',
      '<staticRoutesOnly>true</staticRoutesOnly>',
      '<enableTunnelLifecycleControl>false</enableTunnelLifecycleControl>',
      '<preSharedKey>key_with&lt;angle&gt;&amp;amp</preSharedKey>',
      '<tunnelOptionSet><item>',
      '<phase1EncryptionAlgorithmSet/>',
      '<tagSet/>',
      '<statusMessage></statusMessage>',
    ]) {
      assert.ok(xml.includes(fragment), `missing ${fragment}`);
    }
    assert.ok(!xml.includes('undefined'));
    assert.equal(xml.split('<vgwTelemetry>').length, 2, 'undefined VgwTelemetry of the second connection is omitted');
  });

  it('produces XML that fast-xml-parser reads back to the same values', () => {
    const xml = renderEc2Response('DescribeVpnConnections', DescribeVpnConnectionsResult, described, 'req-1');
    const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false, htmlEntities: true }).parse(xml);
    const root = doc.DescribeVpnConnectionsResponse;
    assert.equal(root['@_xmlns'], EC2_XMLNS);
    const first = root.vpnConnectionSet.item[0];
    assert.equal(first.customerGatewayConfiguration, CGW_CONFIG);
    assert.equal(first.tagSet.item.value, 'héllo \u{1F600}');
    assert.equal(first.options.tunnelOptionSet.item[0].preSharedKey, 'key_with<angle>&amp');
    assert.deepEqual(
      first.vgwTelemetry.item.map((t: { status: string }) => t.status),
      ['UP', 'DOWN'],
    );
  });

  it('is read by the real EC2Client into the DescribeVpnConnections output it models', async () => {
    const xml = renderEc2Response('DescribeVpnConnections', DescribeVpnConnectionsResult, described, 'req-1');
    const out = await sdkAnswering(xml).send(new DescribeVpnConnectionsCommand({}));
    const [a, b] = out.VpnConnections!;
    assert.equal(a.CustomerGatewayConfiguration, CGW_CONFIG);
    assert.equal(a.Options!.StaticRoutesOnly, true);
    const t = a.Options!.TunnelOptions!;
    assert.deepEqual(t[0], {
      OutsideIpAddress: '203.0.113.1',
      TunnelInsideCidr: '169.254.11.0/30',
      PreSharedKey: 'key_with<angle>&amp',
      Phase1LifetimeSeconds: 28800,
      DpdTimeoutSeconds: 40,
      DpdTimeoutAction: 'clear',
      Phase1EncryptionAlgorithms: [{ Value: 'AES128' }, { Value: 'AES256-GCM-16' }],
      Phase2IntegrityAlgorithms: [{ Value: 'SHA2-256' }],
      Phase1DHGroupNumbers: [{ Value: 14 }, { Value: 20 }],
      IkeVersions: [{ Value: 'ikev2' }],
      StartupAction: 'add',
      EnableTunnelLifecycleControl: false,
    });
    assert.deepEqual(t[1], { OutsideIpAddress: '203.0.113.2', Phase1EncryptionAlgorithms: [] });
    assert.deepEqual(a.Routes, [{ DestinationCidrBlock: '10.1.0.0/16', Source: 'Static', State: 'available' }]);
    assert.deepEqual(a.Tags, [{ Key: 'Name', Value: 'héllo \u{1F600}' }]);
    assert.deepEqual(a.VgwTelemetry, [
      {
        AcceptedRouteCount: 0,
        LastStatusChange: new Date(Date.UTC(2024, 0, 1)),
        OutsideIpAddress: '203.0.113.1',
        Status: 'UP',
        StatusMessage: '',
      },
      {
        AcceptedRouteCount: 2,
        LastStatusChange: new Date(Date.UTC(2024, 5, 30, 23, 59, 59, 123)),
        OutsideIpAddress: '203.0.113.2',
        Status: 'DOWN',
        StatusMessage: 'IPSEC IS DOWN',
      },
    ]);
    assert.deepEqual(b, { VpnConnectionId: 'vpn-00000000000000001', State: 'deleted', Tags: [] });
  });

  it('is read by the real EC2Client as GetActiveVpnTunnelStatus, with and without negotiated values', async () => {
    const status = {
      Phase1EncryptionAlgorithm: 'AES256-GCM-16',
      Phase2EncryptionAlgorithm: 'AES128',
      Phase1IntegrityAlgorithm: 'SHA2-384',
      Phase2IntegrityAlgorithm: 'SHA2-256',
      Phase1DHGroup: 20,
      Phase2DHGroup: 14,
      IkeVersion: 'ikev2',
      ProvisioningStatus: 'available',
    };
    const xml = renderEc2Response('GetActiveVpnTunnelStatus', GetActiveVpnTunnelStatusResult, { ActiveVpnTunnelStatus: status }, 'req-2');
    assert.ok(xml.includes('<activeVpnTunnelStatus><phase1EncryptionAlgorithm>AES256-GCM-16</phase1EncryptionAlgorithm>'));
    const cmd = new GetActiveVpnTunnelStatusCommand({ VpnConnectionId: 'vpn-1', VpnTunnelOutsideIpAddress: '203.0.113.1' });
    assert.deepEqual((await sdkAnswering(xml).send(cmd)).ActiveVpnTunnelStatus, status);

    const failed = { ProvisioningStatus: 'failed', ProvisioningStatusReason: 'No proposal chosen: peer offered <3DES> & MD5' };
    const xml2 = renderEc2Response('GetActiveVpnTunnelStatus', GetActiveVpnTunnelStatusResult, { ActiveVpnTunnelStatus: failed }, 'req-3');
    assert.deepEqual((await sdkAnswering(xml2).send(cmd)).ActiveVpnTunnelStatus, failed);
  });

  it("writes the generated model's element names, including the ones no naming rule gives", () => {
    const gw = outputs.DescribeVpnGateways.members.VpnGateways.member;
    assert.equal(
      writeElement('item', gw, { VpcAttachments: [{ VpcId: 'vpc-1', State: 'attached' }], AmazonSideAsn: 4294967294, Tags: [] }),
      '<item><amazonSideAsn>4294967294</amazonSideAsn><tagSet/><attachments><item><vpcId>vpc-1</vpcId><state>attached</state></item></attachments></item>',
    );
    const weird = struct({ Weird: named('oddName', list(str, 'member')) });
    assert.equal(writeElement('x', weird, { Weird: ['x'] }), '<x><oddName><member>x</member></oddName></x>');
  });

  it('escapes markup and replaces characters XML 1.0 cannot carry', () => {
    assert.equal(escapeXml('a<b>&c"d\'e'), 'a&lt;b&gt;&amp;c"d\'e');
    assert.equal(escapeXml('x\r\ny\tz'), 'x&#xD;\ny\tz');
    assert.equal(escapeXml('bell\u0007 lone\uD800 pair\u{1F600} \uFFFF'), 'bell\uFFFD lone\uFFFD pair\u{1F600} \uFFFD');
    assert.equal(escapeXml('plain text'), 'plain text');
  });

  it('refuses values that do not fit their shape instead of writing bad XML', () => {
    const s = struct({ N: int, D: double, T: timestamp, B: bool });
    assert.throws(() => writeElement('x', s, { N: 1.5 }), XmlWriterError);
    assert.throws(() => writeElement('x', s, { D: Infinity }), XmlWriterError);
    assert.throws(() => writeElement('x', s, { T: 'not a date' }), XmlWriterError);
    assert.throws(() => writeElement('x', s, { B: 'true' as unknown as boolean }), XmlWriterError);
    assert.equal(
      writeElement('x', s, { N: 7n, D: 0.5, T: '2024-01-01T00:00:00Z', B: true }),
      '<x><n>7</n><d>0.5</d><t>2024-01-01T00:00:00.000Z</t><b>true</b></x>',
    );
  });

  it("writes the same bytes through an XmlMemo as without one, for kept, nested and multi-byte values, and reuses a kept value's XML", () => {
    const Inner = struct({ Name: str, Count: int });
    const Outer = struct({ Items: list(struct({ Id: str, Inner: Inner })), Note: str });
    const memo = new XmlMemo();
    const inner = memo.keep({ Name: 'ünïcödé & <tags> ✓', Count: 3 });
    const items = [memo.keep({ Id: 'vpn-1', Inner: inner }), { Id: 'vpn-2', Inner: inner }, memo.keep({ Id: 'vpn-3' })];
    const value = { Items: items, Note: 'tail €' };
    const plain = renderEc2Response('Describe', Outer, value, 'req-1');
    for (let round = 0; round < 2; round++) {
      assert.equal(renderEc2ResponseBytes('Describe', Outer, value, 'req-1', memo).toString('utf8'), plain);
      assert.equal(renderEc2Response('Describe', Outer, value, 'req-1', memo), plain);
    }
    // Kept XML is reused as written: a change to a kept value after its first write does not show.
    (items[0] as { Id: string }).Id = 'changed';
    assert.ok(renderEc2ResponseBytes('Describe', Outer, value, 'req-1', memo).toString('utf8').includes('<id>vpn-1</id>'));
    assert.ok(!renderEc2ResponseBytes('Describe', Outer, value, 'req-1', memo).toString('utf8').includes('\0'));
  });
});
