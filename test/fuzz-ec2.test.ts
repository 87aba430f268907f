// Property-based fuzzing of the EC2 Query dialect (POST and GET /) through the real server: valid actions
// signed with the reference SigV4 signer, their parameters mutated (dropped, repeated, retyped,
// renamed with bad list indices such as .0. or .999999999., unknown ones added) and their form
// text damaged. Every answer must be below 500 and arrive, every error must be EC2's XML, and a
// rejected request must leave every table of the database as it was.
// FUZZ_RUNS=<n> for a longer run, FUZZ_SEED=<n> to replay.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it, type TestContext } from 'node:test';
import { CreateVpnConnectionCommand } from '@aws-sdk/client-ec2';
import fc from 'fast-check';
import { ec2Client } from './support/aws-client.ts';
import { gatewayPair } from './support/fixtures.ts';
import { ec2Signed, ec2SignedGet, FuzzHarness, fuzz, pct } from './support/fuzz.ts';
import { renderSpec, valueSpec } from './support/fuzz-json.ts';

let h: FuzzHarness;
let bases: [string, string][][];

before(async () => {
  h = await FuzzHarness.start();
  const { gateway, cgw } = await gatewayPair(h.server);
  const ec2 = ec2Client(h.endpoint);
  const created = await ec2.send(
    new CreateVpnConnectionCommand({
      CustomerGatewayId: cgw.id,
      VpnGatewayId: gateway.id,
      Type: 'ipsec.1',
      Options: { StaticRoutesOnly: true },
    }),
  );
  const vpn = created.VpnConnection!.VpnConnectionId!;
  const outside = created.VpnConnection!.Options!.TunnelOptions![0].OutsideIpAddress!;
  await h.settle();
  const tunnel = (p: string): [string, string][] => [
    [`${p}.TunnelInsideCidr`, '169.254.44.0/30'],
    [`${p}.PreSharedKey`, 'Abcdefgh_1234'],
    [`${p}.Phase1LifetimeSeconds`, '28800'],
    [`${p}.Phase1EncryptionAlgorithm.1.Value`, 'AES256'],
    [`${p}.Phase1EncryptionAlgorithm.2.Value`, 'AES128'],
    [`${p}.Phase1DHGroupNumber.1.Value`, '14'],
    [`${p}.IKEVersion.1.Value`, 'ikev2'],
    [`${p}.DPDTimeoutAction`, 'restart'],
    [`${p}.StartupAction`, 'start'],
  ];
  bases = [
    [
      ['Action', 'CreateCustomerGateway'],
      ['Type', 'ipsec.1'],
      ['IpAddress', '198.51.100.91'],
      ['BgpAsn', '65010'],
      ['TagSpecification.1.ResourceType', 'customer-gateway'],
      ['TagSpecification.1.Tag.1.Key', 'Name'],
      ['TagSpecification.1.Tag.1.Value', 'fuzz'],
    ],
    [
      ['Action', 'CreateVpnGateway'],
      ['Type', 'ipsec.1'],
      ['AmazonSideAsn', '64512'],
    ],
    [
      ['Action', 'CreateVpnConnection'],
      ['Type', 'ipsec.1'],
      ['CustomerGatewayId', cgw.id],
      ['VpnGatewayId', gateway.id],
      ['Options.StaticRoutesOnly', 'true'],
      ['Options.LocalIpv4NetworkCidr', '10.0.0.0/16'],
      ...tunnel('Options.TunnelOptions.1'),
      ...tunnel('Options.TunnelOptions.2'),
    ],
    [['Action', 'ModifyVpnTunnelOptions'], ['VpnConnectionId', vpn], ['VpnTunnelOutsideIpAddress', outside], ...tunnel('TunnelOptions')],
    [
      ['Action', 'ModifyVpnConnectionOptions'],
      ['VpnConnectionId', vpn],
      ['LocalIpv4NetworkCidr', '10.9.0.0/16'],
    ],
    [
      ['Action', 'CreateVpnConnectionRoute'],
      ['VpnConnectionId', vpn],
      ['DestinationCidrBlock', '192.168.7.0/24'],
    ],
    [
      ['Action', 'CreateTags'],
      ['ResourceId.1', vpn],
      ['ResourceId.2', cgw.id],
      ['Tag.1.Key', 'team'],
      ['Tag.1.Value', 'blue'],
      ['Tag.2.Key', 'env'],
      ['Tag.2.Value', ''],
    ],
    [
      ['Action', 'DescribeVpnConnections'],
      ['VpnConnectionId.1', vpn],
      ['Filter.1.Name', 'state'],
      ['Filter.1.Value.1', 'available'],
      ['Filter.1.Value.2', 'pending'],
    ],
    [
      ['Action', 'GetActiveVpnTunnelStatus'],
      ['VpnConnectionId', vpn],
      ['VpnTunnelOutsideIpAddress', outside],
    ],
    [
      ['Action', 'GetVpnConnectionDeviceSampleConfiguration'],
      ['VpnConnectionId', vpn],
      ['VpnConnectionDeviceTypeId', 'sitevpn-strongswan'],
      ['InternetKeyExchangeVersion', 'ikev2'],
    ],
    [
      ['Action', 'ReplaceVpnTunnel'],
      ['VpnConnectionId', vpn],
      ['VpnTunnelOutsideIpAddress', outside],
      ['ApplyPendingMaintenance', 'false'],
    ],
    [
      ['Action', 'DescribeCustomerGateways'],
      ['CustomerGatewayId.1', cgw.id],
      ['Filter.1.Name', 'tag:Name'],
      ['Filter.1.Value.1', 'fuzz'],
    ],
  ];
  for (const b of bases) b.push(['Version', '2016-11-15']);
});
after(() => h.close());
// What the cases were answered, so a run shows they reach the handlers and not only the checks in front.
afterEach((t) => (t as TestContext).diagnostic(`answers: ${h.takeStats()}`));

/** Renames a dotted index: Tag.1.Key -> Tag.0.Key, Tag.999999999.Key, Tag..Key, Tag.01.Key ... */
const BAD_INDEX = ['0', '999999999', '', '01', '-1', '1e3', '١', '2147483648', 'x', ' 1'];

type ParamOp =
  | { op: 'drop'; at: number }
  | { op: 'repeat'; at: number; same: boolean }
  | { op: 'value'; at: number; value: string }
  | { op: 'index'; at: number; index: string }
  | { op: 'name'; at: number; name: string }
  | { op: 'add'; key: string; value: string };

const paramValue = fc.oneof(
  valueSpec.map((v) => ('str' in v ? v.str : 'huge' in v ? v.ch.repeat(Math.min(v.huge, 200_000)) : renderSpec(v))),
  fc.constantFrom(
    '',
    'true',
    'TRUE',
    '1',
    '0',
    '-1',
    '99999999999999999999',
    '1.5',
    'ipsec.2',
    'vpn-00000000000000000',
    'cgw-zzzz',
    '300.1.1.1',
  ),
);

const paramOp: fc.Arbitrary<ParamOp> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('drop' as const), at: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), same: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('value' as const), at: fc.nat(), value: paramValue }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('index' as const), at: fc.nat(), index: fc.constantFrom(...BAD_INDEX) }), weight: 2 },
  {
    arbitrary: fc.record({
      op: fc.constant('name' as const),
      at: fc.nat(),
      name: fc.constantFrom('action', 'ACTION', 'Options.', '.Options', 'Options..X', 'Filter.1', 'DryRun', 'X-Amz-Signature', 'Version'),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      key: fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom('DryRun', 'Foo', 'Options.TunnelOptions.3.PreSharedKey', 'Filter.1.Value.1000000'),
      ),
      value: paramValue,
    }),
    weight: 1,
  },
);

function mutate(pairs: [string, string][], ops: ParamOp[]): [string, string][] {
  const out = pairs.map(([k, v]): [string, string] => [k, v]);
  for (const o of ops) {
    if (o.op === 'add') {
      out.push([o.key, o.value]);
      continue;
    }
    const i = o.at % out.length;
    const [k, v] = out[i];
    if (o.op === 'drop') out.splice(i, 1);
    else if (o.op === 'repeat') out.push([k, o.same ? v : `${v}x`]);
    else if (o.op === 'value') out[i] = [k, o.value];
    else if (o.op === 'name') out[i] = [o.name, v];
    else {
      const parts = k.split('.');
      const at = parts.findIndex((p) => /^\d+$/.test(p));
      if (at >= 0) parts[at] = o.index;
      else parts.push(o.index);
      out[i] = [parts.join('.'), v];
    }
    if (out.length === 0) out.push(['Action', 'DescribeVpnConnections']);
  }
  return out;
}

/** Form text damage: a bare key, an empty pair, a stray = or %, a raw byte. */
const textOp = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 5 },
  { arbitrary: fc.constantFrom('&', '&&', '=', '&=x', '&Foo', '%', '%zz', '%C0%AF', '+', '%00', '&Action', '&\u00ff', ';a=b'), weight: 1 },
);

describe('fuzzing the EC2 Query dialect', () => {
  it('answers every mutated action below 500, in EC2 XML, without writing on a rejection', async () => {
    const arb = fc.record({
      base: fc.nat(),
      ops: fc.array(paramOp, { minLength: 1, maxLength: 2 }),
      text: textOp,
      at: fc.nat(),
      get: fc.boolean(),
    });
    await fuzz(arb, 120, async ({ base, ops, text, at, get }) => {
      const pairs = mutate(bases[base % bases.length], ops);
      // A GET carries the parameters in the query string (text damage is for the form body only);
      // a query string past Node's 16 KiB header limit goes as a POST (over-long URLs are
      // fuzz-http's subject).
      const form0 = pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
      if (get && text === undefined && form0.length < 12_000)
        return void (await h.exercise('ec2', await ec2SignedGet({ endpoint: h.endpoint, pairs })));
      let form = form0;
      if (text !== undefined) {
        const cut = at % (form.length + 1);
        form = form.slice(0, cut) + text + form.slice(cut);
      }
      await h.exercise('ec2', await ec2Signed({ endpoint: h.endpoint, body: Buffer.from(form, 'utf8') }));
    });
  });

  it('answers an empty id in DescribeCustomerGateways and DescribeVpnGateways with NotFound, not InternalError', async () => {
    // Found by this fuzz: an empty id is falsy, slipped past the missing-id check and crashed the renderer.
    for (const [action, param, code, kind] of [
      ['DescribeCustomerGateways', 'CustomerGatewayId.1', 'InvalidCustomerGatewayID.NotFound', 'customerGateway'],
      ['DescribeVpnGateways', 'VpnGatewayId.1', 'InvalidVpnGatewayID.NotFound', 'vpnGateway'],
    ]) {
      const r = await h.exercise(
        'ec2',
        await ec2Signed({ endpoint: h.endpoint, body: Buffer.from(`Action=${action}&${param}=&Version=2016-11-15`) }),
      );
      assert.equal(r?.status, 400);
      assert.match(
        r!.body.toString(),
        new RegExp(`<Code>${code.replace(/\./g, '\\.')}</Code><Message>The ${kind} ID '' does not exist</Message>`),
      );
    }
  });

  it('refuses a parameter given twice with InvalidQueryParameter', async () => {
    const form = 'Action=DescribeVpnGateways&Version=2016-11-15&VpnGatewayId.1=vgw-1&VpnGatewayId.1=vgw-2';
    const r = await h.exercise('ec2', await ec2Signed({ endpoint: h.endpoint, body: Buffer.from(form) }));
    assert.equal(r?.status, 400);
    assert.match(
      r!.body.toString(),
      /<Code>InvalidQueryParameter<\/Code><Message>The parameter VpnGatewayId\.1 appears more than once\.<\/Message>/,
    );
  });
});
