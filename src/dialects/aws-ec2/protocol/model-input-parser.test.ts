// The model-driven reader of EC2 Query requests: shapes from generated/model.ts and a small
// hand-made one, the dotted pairs as a form body, exact codes and messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inputs } from '../generated/model.ts';
import { inp } from './model-input.ts';
import { parseModelInput } from './model-input-parser.ts';
import { missingParameter, QueryParseError } from './query-errors.ts';

const pairs = (body: string) => new Map(body.split('&').map((p) => p.split('=') as [string, string]));

function fails(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof QueryParseError, `expected QueryParseError, got ${String(e)}`);
    assert.deepEqual([e.code, e.message], [code, message]);
    return true;
  });
}

// Every scalar kind, a required member, a list of structures in a structure.
const shape = inp.struct({
  Name: inp.req('Name', inp.str),
  Count: inp.opt('Count', inp.int),
  Enabled: inp.opt('Enabled', inp.bool),
  At: inp.opt('At', inp.time),
  Ids: inp.opt('Id', inp.list(inp.str)),
  Outer: inp.opt('Outer', inp.struct({ Inner: inp.opt('Inner', inp.list(inp.struct({ Value: inp.opt('Value', inp.int) }))) })),
});

describe('the model-driven EC2 request reader', () => {
  it('reads every scalar kind and orders list indexes numerically, not lexically', () => {
    const input = parseModelInput(pairs('Name=n&Count=-42&Enabled=TRUE&At=2024-05-01T10:00:00Z&Id.10=j&Id.2=b&Id.1=a&Id.9=i'), shape);
    assert.deepEqual(input, { Name: 'n', Count: -42, Enabled: true, At: new Date('2024-05-01T10:00:00Z'), Ids: ['a', 'b', 'i', 'j'] });
  });

  it('reads nested structures and lists of structures, leaving absent lists empty', () => {
    const input = parseModelInput(pairs('Name=n&Outer.Inner.2.Value=20&Outer.Inner.1.Value=10'), shape);
    assert.deepEqual(input, { Name: 'n', Ids: [], Outer: { Inner: [{ Value: 10 }, { Value: 20 }] } });
  });

  it('reads CreateVpnConnection tunnel options under their Query names from the EC2 model', () => {
    const input = parseModelInput(
      pairs(
        'CustomerGatewayId=cgw-1&Type=ipsec.1&Options.StaticRoutesOnly=false' +
          '&Options.TunnelOptions.1.Phase1DHGroupNumber.2.Value=19&Options.TunnelOptions.1.Phase1DHGroupNumber.1.Value=14' +
          '&Options.TunnelOptions.1.IKEVersion.1.Value=ikev2&TagSpecification.1.ResourceType=vpn-connection&TagSpecification.1.Tag.1.Key=k',
      ),
      inputs.CreateVpnConnection,
    );
    assert.equal(input.Options?.StaticRoutesOnly, false);
    assert.deepEqual(input.Options?.TunnelOptions[0].Phase1DHGroupNumbers, [{ Value: 14 }, { Value: 19 }]);
    assert.deepEqual(input.Options?.TunnelOptions[0].IKEVersions, [{ Value: 'ikev2' }]);
    assert.deepEqual(input.TagSpecifications, [{ ResourceType: 'vpn-connection', Tags: [{ Key: 'k' }] }]);
  });

  it('answers MissingParameter naming the first required member left out', () => {
    fails(
      () => parseModelInput(pairs('Type=ipsec.1'), inputs.CreateVpnConnection),
      'MissingParameter',
      'The request must contain the parameter CustomerGatewayId',
    );
    fails(() => parseModelInput(pairs('Count=1'), shape), 'MissingParameter', 'The request must contain the parameter Name');
    fails(() => parseModelInput(pairs('Name='), shape), 'MissingParameter', 'The request must contain the parameter Name');
    fails(
      () => parseModelInput(pairs('VpnConnectionId=vpn-1&VpnTunnelOutsideIpAddress=192.0.2.1'), inputs.ModifyVpnTunnelOptions),
      'MissingParameter',
      'The request must contain the parameter TunnelOptions',
    );
  });

  it("answers a missing member in EC2's own words where an action gives them", () => {
    const missing = { ResourceId: missingParameter('resourceIdSet') };
    fails(
      () => parseModelInput(pairs('Tag.1.Key=k'), inputs.CreateTags, { missing }),
      'MissingParameter',
      'The request must contain the parameter resourceIdSet',
    );
  });

  it('answers InvalidParameterValue for a bad integer, boolean or timestamp, with the dotted name', () => {
    fails(
      () => parseModelInput(pairs('Name=n&Count=12a'), shape),
      'InvalidParameterValue',
      'Value ( 12a ) for parameter Count is invalid. Expected an integer.',
    );
    fails(
      () => parseModelInput(pairs('Name=n&Count=1.5'), shape),
      'InvalidParameterValue',
      'Value ( 1.5 ) for parameter Count is invalid. Expected an integer.',
    );
    fails(
      () => parseModelInput(pairs('Name=n&Enabled=yes'), shape),
      'InvalidParameterValue',
      'Value ( yes ) for parameter Enabled is invalid. Expected a boolean (true or false).',
    );
    fails(
      () => parseModelInput(pairs('Name=n&At=yesterday'), shape),
      'InvalidParameterValue',
      'Value ( yesterday ) for parameter At is invalid. Expected an ISO 8601 timestamp.',
    );
    fails(
      () => parseModelInput(pairs('Name=n&Outer.Inner.3.Value=x'), shape),
      'InvalidParameterValue',
      'Value ( x ) for parameter Outer.Inner.3.Value is invalid. Expected an integer.',
    );
  });

  it('answers the type fault of the pair sent first', () => {
    fails(
      () => parseModelInput(pairs('Name=n&Enabled=no&Count=x'), shape),
      'InvalidParameterValue',
      'Value ( no ) for parameter Enabled is invalid. Expected a boolean (true or false).',
    );
  });

  it('answers UnknownParameter for the first pair the model does not know, before any other fault', () => {
    fails(() => parseModelInput(pairs('Bogus=1&Count=x'), shape), 'UnknownParameter', 'The parameter Bogus is not recognized');
    fails(() => parseModelInput(pairs('Name=n&Id=a'), shape), 'UnknownParameter', 'The parameter Id is not recognized');
    fails(() => parseModelInput(pairs('Name=n&Id.0=a'), shape), 'UnknownParameter', 'The parameter Id.0 is not recognized');
    fails(() => parseModelInput(pairs('Name=n&Id.01=a'), shape), 'UnknownParameter', 'The parameter Id.01 is not recognized');
    fails(() => parseModelInput(pairs('Name=n&Name.Extra=a'), shape), 'UnknownParameter', 'The parameter Name.Extra is not recognized');
    fails(() => parseModelInput(pairs('Name=n&Outer=a'), shape), 'UnknownParameter', 'The parameter Outer is not recognized');
    fails(
      () => parseModelInput(pairs('Name=n&Outer.Inner.1.Other=a'), shape),
      'UnknownParameter',
      'The parameter Outer.Inner.1.Other is not recognized',
    );
    // Query names are case-sensitive, and a list travels under its Query name, not its member name.
    fails(
      () => parseModelInput(pairs('VpnConnectionIds.1=vpn-1'), inputs.DescribeVpnConnections),
      'UnknownParameter',
      'The parameter VpnConnectionIds.1 is not recognized',
    );
    fails(
      () => parseModelInput(pairs('dryrun=true'), inputs.DescribeVpnConnections),
      'UnknownParameter',
      'The parameter dryrun is not recognized',
    );
    // The model gives the route actions no DryRun member.
    fails(
      () => parseModelInput(pairs('DestinationCidrBlock=10.0.0.0/24&VpnConnectionId=vpn-1&DryRun=true'), inputs.CreateVpnConnectionRoute),
      'UnknownParameter',
      'The parameter DryRun is not recognized',
    );
  });
});
