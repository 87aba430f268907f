import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  CreateVpnConnectionCommand,
  type CreateVpnConnectionCommandInput,
  DescribeVpnConnectionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import type { HttpRequest } from '@smithy/core/protocols';
import { inputs } from '../generated/model.ts';
import { parseModelInput } from './model-input-parser.ts';
import { type ParsedQuery, parseQueryRequest, type QueryErrorCode, QueryParseError } from './query-parser.ts';

/** What the real SDK puts on the wire for a command (the fake handler answers an empty 200). */
async function sdkWire(command: CreateVpnConnectionCommand | DescribeVpnConnectionsCommand): Promise<HttpRequest> {
  let captured: HttpRequest | undefined;
  const client = new EC2Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
    requestHandler: {
      async handle(request: HttpRequest) {
        captured = request;
        const xml = `<${command.constructor.name.replace('Command', '')}Response><requestId>r</requestId></${command.constructor.name.replace('Command', '')}Response>`;
        return { response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from(xml)]) } };
      },
    },
  });
  await client.send(command as CreateVpnConnectionCommand);
  assert.ok(captured);
  return captured;
}

function parseWire(r: HttpRequest): ParsedQuery {
  return parseQueryRequest({ method: r.method, rawQuery: '', body: r.body as string, contentType: r.headers['content-type'] });
}

function fails(fn: () => unknown, code: QueryErrorCode, message?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof QueryParseError, `expected QueryParseError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

const post = (body: string) => parseQueryRequest({ method: 'POST', rawQuery: '', body, contentType: 'application/x-www-form-urlencoded' });

const tunnel = (n: 1 | 2) => ({
  TunnelInsideCidr: `169.254.${10 + n}.0/30`,
  PreSharedKey: n === 1 ? 'first_key.1' : 'a key & more=yes+%',
  Phase1LifetimeSeconds: 28800,
  Phase2LifetimeSeconds: 3600,
  DPDTimeoutSeconds: 40 + n,
  DPDTimeoutAction: n === 1 ? 'restart' : 'clear',
  StartupAction: 'start',
  Phase1EncryptionAlgorithms: [{ Value: 'AES256' }, { Value: 'AES128-GCM-16' }],
  Phase2EncryptionAlgorithms: [{ Value: 'AES128' }],
  Phase1IntegrityAlgorithms: [{ Value: 'SHA2-256' }, { Value: 'SHA2-384' }, { Value: 'SHA2-512' }],
  Phase2IntegrityAlgorithms: [{ Value: 'SHA1' }],
  Phase1DHGroupNumbers: [{ Value: 14 }, { Value: 19 + n }],
  Phase2DHGroupNumbers: [{ Value: 2 }],
  IKEVersions: n === 1 ? [{ Value: 'ikev2' }] : [{ Value: 'ikev1' }, { Value: 'ikev2' }],
});

describe('EC2 query parser against the real SDK', () => {
  it('reads back CreateVpnConnection with two tunnels full of lists, typed', async () => {
    const sent: CreateVpnConnectionCommandInput = {
      CustomerGatewayId: 'cgw-0e11f167',
      Type: 'ipsec.1',
      VpnGatewayId: 'vgw-9a4cacf3',
      DryRun: false,
      Options: { StaticRoutesOnly: true, LocalIpv4NetworkCidr: '10.0.0.0/16', TunnelOptions: [tunnel(1), tunnel(2)] },
      TagSpecifications: [
        {
          ResourceType: 'vpn-connection',
          Tags: [
            { Key: 'Name', Value: 'héllo wörld' },
            { Key: 'env', Value: '' },
          ],
        },
      ],
    };
    const parsed = parseWire(await sdkWire(new CreateVpnConnectionCommand(sent)));
    assert.equal(parsed.action, 'CreateVpnConnection');
    assert.equal(parsed.version, '2016-11-15');
    assert.equal(parsed.params.get('Options.TunnelOptions.2.PreSharedKey'), 'a key & more=yes+%');

    const input = parseModelInput(parsed.params, inputs.CreateVpnConnection);
    assert.deepEqual(input, {
      CustomerGatewayId: 'cgw-0e11f167',
      Type: 'ipsec.1',
      VpnGatewayId: 'vgw-9a4cacf3',
      DryRun: false,
      Options: { StaticRoutesOnly: true, LocalIpv4NetworkCidr: '10.0.0.0/16', TunnelOptions: [tunnel(1), tunnel(2)] },
      TagSpecifications: [
        {
          ResourceType: 'vpn-connection',
          Tags: [
            { Key: 'Name', Value: 'héllo wörld' },
            { Key: 'env', Value: '' },
          ],
        },
      ],
    });
  });

  it('reads back DescribeVpnConnections ids and filters in order', async () => {
    const ids = Array.from({ length: 11 }, (_, i) => `vpn-${String(i).padStart(17, '0')}`);
    const parsed = parseWire(
      await sdkWire(
        new DescribeVpnConnectionsCommand({
          VpnConnectionIds: ids,
          Filters: [
            { Name: 'state', Values: ['available', 'pending'] },
            { Name: 'tag:Name', Values: ['a b/c'] },
          ],
        }),
      ),
    );
    const input = parseModelInput(parsed.params, inputs.DescribeVpnConnections);
    assert.deepEqual(input.VpnConnectionIds, ids, 'VpnConnectionId.10 and .11 come after .9');
    assert.deepEqual(input.Filters, [
      { Name: 'state', Values: ['available', 'pending'] },
      { Name: 'tag:Name', Values: ['a b/c'] },
    ]);
  });
});

describe('EC2 query parser errors', () => {
  it('reads a GET query string and orders list indexes numerically, not lexically', () => {
    const g = parseQueryRequest({
      method: 'GET',
      rawQuery:
        'Action=DescribeVpnConnections&Version=2016-11-15&VpnConnectionId.10=j&VpnConnectionId.9=i&VpnConnectionId.2=b&VpnConnectionId.1=a',
    });
    assert.equal(g.action, 'DescribeVpnConnections');
    assert.deepEqual(parseModelInput(g.params, inputs.DescribeVpnConnections).VpnConnectionIds, ['a', 'b', 'i', 'j']);
  });

  it('answers a missing or unknown Action and a wrong Version with EC2 codes', () => {
    fails(() => post('Version=2016-11-15'), 'MissingAction', 'The request must contain the parameter Action');
    fails(
      () => post('Action=Launch%3CRockets%3E&Version=2016-11-15'),
      'InvalidAction',
      'The action Launch<Rockets> is not valid for this web service.',
    );
    fails(
      () =>
        parseQueryRequest(
          { method: 'POST', rawQuery: '', body: 'Action=LaunchRockets&Version=2016-11-15' },
          { actions: new Set(['DescribeVpnConnections']) },
        ),
      'InvalidAction',
      'The action LaunchRockets is not valid for this web service.',
    );
    fails(() => post('Action=DescribeVpnConnections'), 'MissingParameter', 'The request must contain the parameter Version');
    fails(
      () => post('Action=DescribeVpnConnections&Version=2099-01-01'),
      'NoSuchVersion',
      'The requested version (2099-01-01) of service AmazonEC2 does not exist',
    );
  });

  it('rejects duplicate keys, malformed percent-encoding and oversized bodies cleanly', () => {
    fails(() => post('Action=A&Version=2016-11-15&VpnConnectionId.1=a&VpnConnectionId.1=b'), 'InvalidQueryParameter');
    fails(() => post('Action=A&Version=2016-11-15&Foo=%zz'), 'MalformedQueryString');
    fails(() => post('Action=A&Version=2016-11-15&Foo=%C3'), 'MalformedQueryString');
    fails(() => post('Action=A&Version=2016-11-15&Filter..Name=x'), 'MalformedQueryString');
    fails(
      () =>
        parseQueryRequest({ method: 'POST', rawQuery: '', body: 'Action=A&Version=2016-11-15&X=' + 'a'.repeat(100) }, { maxBodyBytes: 64 }),
      'RequestEntityTooLarge',
    );
    fails(
      () => parseQueryRequest({ method: 'POST', rawQuery: '', body: '{"Action":"A"}', contentType: 'application/json' }),
      'UnsupportedProtocol',
    );
  });

  it('ignores presign X-Amz-* pairs and decodes plus as space', () => {
    const p = parseQueryRequest({ method: 'GET', rawQuery: 'Action=A&Version=2016-11-15&X-Amz-Signature=abc&Name=a+b%2Bc' });
    assert.deepEqual([...p.params], [['Name', 'a b+c']]);
  });
});
