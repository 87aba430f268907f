// CreateTags, DeleteTags and DescribeTags through the official @aws-sdk/client-ec2 against a real
// sitevpn: on VPN gateways, customer gateways and connections (AWS-style and Huawei UUID ids),
// EC2's tag rules and limits, every DescribeTags filter, paging, DryRun and tenant isolation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EC2Client, Filter, Tag } from '@aws-sdk/client-ec2';
import * as sdk from '@aws-sdk/client-ec2';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let ec2: EC2Client;
let readOnly: EC2Client;
/** One of each kind, made through the EC2 dialect. */
let vgwId: string, cgwId: string, vpnId: string;
before(async () => {
  server = await startTestServer();
  ec2 = ec2Client(server.endpoint);
  const key = await server.app.services.tenants.createKey(undefined, 'read-only', 'reader');
  readOnly = ec2Client(server.endpoint, { accessKeyId: key.accessKeyId, secretAccessKey: key.secret });
  vgwId = (await ec2.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!.VpnGatewayId!;
  cgwId = (await ec2.send(new sdk.CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '203.0.113.200' }))).CustomerGateway!
    .CustomerGatewayId!;
  vpnId = (await ec2.send(new sdk.CreateVpnConnectionCommand({ CustomerGatewayId: cgwId, VpnGatewayId: vgwId, Type: 'ipsec.1' })))
    .VpnConnection!.VpnConnectionId!;
});
after(() => server.close());

const fail = (name: string, message: string, status = 400) => ({ name, message, status });
const failureOf = async (p: Promise<unknown>) => {
  const { name, message, status } = await ec2Failure(p);
  return { name, message, status };
};
const DRY_RUN = fail('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
const UNAUTHORIZED = fail('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);

const createTags = (Resources: string[], Tags: Tag[], client = ec2) => client.send(new sdk.CreateTagsCommand({ Resources, Tags }));
const deleteTags = (Resources: string[], Tags?: Tag[]) => ec2.send(new sdk.DeleteTagsCommand({ Resources, Tags }));
async function tagsOf(id: string, filters: Filter[] = []) {
  const r = await ec2.send(new sdk.DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [id] }, ...filters] }));
  return r.Tags!.map((t) => ({ Key: t.Key, Value: t.Value }));
}
const newVgw = async () => (await ec2.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!.VpnGatewayId!;
const many = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => ({ Key: `${prefix}${i}`, Value: `v${i}` }));

describe('CreateTags', () => {
  it('tags a gateway, a customer gateway and a connection, visible through their Describe actions', async () => {
    await createTags(
      [vgwId, cgwId, vpnId],
      [
        { Key: 'Name', Value: 'hq' },
        { Key: 'env', Value: 'prod' },
      ],
    );
    const expected = [
      { Key: 'Name', Value: 'hq' },
      { Key: 'env', Value: 'prod' },
    ];
    assert.deepEqual((await ec2.send(new sdk.DescribeVpnGatewaysCommand({ VpnGatewayIds: [vgwId] }))).VpnGateways![0].Tags, expected);
    assert.deepEqual(
      (await ec2.send(new sdk.DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [cgwId] }))).CustomerGateways![0].Tags,
      expected,
    );
    assert.deepEqual(
      (await ec2.send(new sdk.DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpnId] }))).VpnConnections![0].Tags,
      expected,
    );
    const byTag = await ec2.send(new sdk.DescribeVpnConnectionsCommand({ Filters: [{ Name: 'tag:Name', Values: ['hq'] }] }));
    assert.deepEqual(
      byTag.VpnConnections!.map((c) => c.VpnConnectionId),
      [vpnId],
    );
  });

  it('overwrites the value of a key already there in place and stores a missing value as empty', async () => {
    const id = await newVgw();
    await createTags(
      [id],
      [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
      ],
    );
    await createTags([id], [{ Key: 'a', Value: 'one' }, { Key: 'c' }]);
    assert.deepEqual(await tagsOf(id), [
      { Key: 'a', Value: 'one' },
      { Key: 'b', Value: '2' },
      { Key: 'c', Value: '' },
    ]);
  });

  it('tags resources made through the Huawei dialect by their UUIDs', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const connection = (await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection;
    await createTags([gateway.id, cgw.id, connection.id], [{ Key: 'origin', Value: 'huawei' }]);
    const r = await ec2.send(new sdk.DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['origin'] }] }));
    const got = r.Tags!.map((t) => [t.ResourceId, t.ResourceType]).sort();
    const want = [
      [gateway.id, 'vpn-gateway'],
      [cgw.id, 'customer-gateway'],
      [connection.id, 'vpn-connection'],
    ].sort();
    assert.deepEqual(got, want);
    assert.deepEqual((await server.huawei.call('GET', `/vpn-gateways/${gateway.id}`)).body.vpn_gateway.tags, [
      { key: 'origin', value: 'huawei' },
    ]);
  });

  it('allows 50 tags per resource, more than the Huawei limit of 20, and still overwrites at the limit', async () => {
    const id = await newVgw();
    await createTags([id], many(50));
    await createTags([id], [{ Key: 'k0', Value: 'changed' }]);
    assert.equal((await tagsOf(id)).length, 50);
    assert.deepEqual(
      await failureOf(createTags([id], [{ Key: 'k50', Value: '' }])),
      fail('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.'),
    );
    assert.deepEqual(
      await failureOf(createTags([await newVgw()], many(51))),
      fail('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.'),
    );
  });

  it('accepts a key of 127 characters and a value of 255', async () => {
    const id = await newVgw();
    await createTags([id], [{ Key: 'k'.repeat(127), Value: 'v'.repeat(255) }]);
    assert.equal((await tagsOf(id))[0].Value!.length, 255);
  });

  const long = 'k'.repeat(128);
  const cases: Array<[string, Tag[], ReturnType<typeof fail>]> = [
    [
      'an empty key',
      [{ Key: '', Value: 'x' }],
      fail('InvalidParameterValue', 'Value (  ) for parameter Tag key is invalid. Tag key cannot be null or empty.'),
    ],
    [
      'a key starting with aws:',
      [{ Key: 'aws:owner', Value: 'x' }],
      fail(
        'InvalidParameterValue',
        "Value ( aws:owner ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use",
      ),
    ],
    [
      'a key starting with AWS: in capitals',
      [{ Key: 'AWS:owner', Value: 'x' }],
      fail(
        'InvalidParameterValue',
        "Value ( AWS:owner ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use",
      ),
    ],
    [
      'a key of 128 characters',
      [{ Key: long, Value: 'x' }],
      fail('InvalidParameterValue', `Value ( ${long} ) for parameter key is invalid. Tag key exceeds the maximum length of 127 characters`),
    ],
    [
      'a value of 256 characters',
      [{ Key: 'k', Value: 'v'.repeat(256) }],
      fail(
        'InvalidParameterValue',
        `Value ( ${'v'.repeat(256)} ) for parameter value is invalid. Tag value exceeds the maximum length of 255 characters`,
      ),
    ],
    [
      'the same key twice',
      [
        { Key: 'k', Value: '1' },
        { Key: 'k', Value: '2' },
      ],
      fail('InvalidParameterValue', "Duplicate tag key 'k' specified."),
    ],
    ['no tags at all', [], fail('InvalidParameterValue', 'You must specify one or more tags to create')],
  ];
  for (const [name, tags, expected] of cases) {
    it(`refuses ${name} and tags nothing`, async () => {
      const id = await newVgw();
      // A valid tag goes along, to show that nothing of a refused request is applied.
      assert.deepEqual(await failureOf(createTags([id], tags.length ? [{ Key: 'ok', Value: '' }, ...tags] : [])), expected);
      assert.deepEqual(await tagsOf(id), []);
    });
  }

  it('refuses a request without resource ids', async () => {
    assert.deepEqual(
      await failureOf(createTags([], [{ Key: 'a', Value: 'b' }])),
      fail('MissingParameter', 'The request must contain the parameter resourceIdSet'),
    );
  });

  it('answers an unknown id with the NotFound code of its kind, or InvalidID, and tags none of the resources', async () => {
    const id = await newVgw();
    const unknown: Array<[string, ReturnType<typeof fail>]> = [
      ['vpn-0123456789abcdef0', fail('InvalidVpnConnectionID.NotFound', "The vpnConnection ID 'vpn-0123456789abcdef0' does not exist")],
      ['cgw-0123456789abcdef0', fail('InvalidCustomerGatewayID.NotFound', "The customerGateway ID 'cgw-0123456789abcdef0' does not exist")],
      ['vgw-0123456789abcdef0', fail('InvalidVpnGatewayID.NotFound', "The vpnGateway ID 'vgw-0123456789abcdef0' does not exist")],
      ['i-0123456789abcdef0', fail('InvalidID', "The ID 'i-0123456789abcdef0' is not valid")],
      ['5247ae10-0000-4000-8000-dd36659a7f5d', fail('InvalidID', "The ID '5247ae10-0000-4000-8000-dd36659a7f5d' is not valid")],
    ];
    for (const [other, expected] of unknown) {
      assert.deepEqual(await failureOf(createTags([id, other], [{ Key: 'a', Value: 'b' }])), expected);
      assert.deepEqual(await failureOf(deleteTags([id, other])), expected);
    }
    assert.deepEqual(await tagsOf(id), []);
  });

  it("cannot reach another tenant's resources", async () => {
    const other = await server.app.services.tenants.createTenant('us-east-1');
    const stranger = ec2Client(server.endpoint, { accessKeyId: other.key.accessKeyId, secretAccessKey: other.key.secret });
    const expected = fail('InvalidVpnGatewayID.NotFound', `The vpnGateway ID '${vgwId}' does not exist`);
    assert.deepEqual(await failureOf(createTags([vgwId], [{ Key: 'x', Value: 'y' }], stranger)), expected);
    assert.deepEqual((await stranger.send(new sdk.DescribeTagsCommand({}))).Tags, []);
  });

  it('answers DryRun with DryRunOperation for a full key and UnauthorizedOperation for a read-only one', async () => {
    const id = await newVgw();
    const input = { Resources: [id], Tags: [{ Key: 'a', Value: 'b' }], DryRun: true };
    assert.deepEqual(await failureOf(ec2.send(new sdk.CreateTagsCommand(input))), DRY_RUN);
    assert.deepEqual(await failureOf(readOnly.send(new sdk.CreateTagsCommand(input))), UNAUTHORIZED);
    assert.deepEqual(await failureOf(readOnly.send(new sdk.CreateTagsCommand({ ...input, DryRun: false }))), UNAUTHORIZED);
    assert.deepEqual(await tagsOf(id), []);
  });
});

describe('DeleteTags', () => {
  it('deletes by key whatever the value, by key and value only a matching pair, and by empty value only an empty one', async () => {
    const id = await newVgw();
    await createTags(
      [id],
      [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
        { Key: 'c', Value: '' },
        { Key: 'd', Value: 'x' },
      ],
    );
    await deleteTags([id], [{ Key: 'a' }, { Key: 'b', Value: 'not-2' }, { Key: 'c', Value: '' }, { Key: 'd', Value: '' }]);
    assert.deepEqual(await tagsOf(id), [
      { Key: 'b', Value: '2' },
      { Key: 'd', Value: 'x' },
    ]);
    await deleteTags([id], [{ Key: 'b', Value: '2' }]);
    assert.deepEqual(await tagsOf(id), [{ Key: 'd', Value: 'x' }]);
  });

  it('deletes every tag of the resources when no tag is named', async () => {
    const [a, b] = [await newVgw(), await newVgw()];
    await createTags([a, b], many(3));
    await deleteTags([a, b]);
    assert.deepEqual([await tagsOf(a), await tagsOf(b)], [[], []]);
  });

  it('answers DryRun without deleting, and refuses a read-only key', async () => {
    const id = await newVgw();
    await createTags([id], [{ Key: 'keep', Value: '1' }]);
    const input = { Resources: [id], DryRun: true };
    assert.deepEqual(await failureOf(ec2.send(new sdk.DeleteTagsCommand(input))), DRY_RUN);
    assert.deepEqual(await failureOf(readOnly.send(new sdk.DeleteTagsCommand(input))), UNAUTHORIZED);
    assert.deepEqual(await failureOf(readOnly.send(new sdk.DeleteTagsCommand({ ...input, DryRun: false }))), UNAUTHORIZED);
    assert.deepEqual(await tagsOf(id), [{ Key: 'keep', Value: '1' }]);
  });
});

describe('DescribeTags', () => {
  let s: TestServer;
  let client: EC2Client;
  let g: string, c: string, v: string;
  before(async () => {
    s = await startTestServer();
    client = ec2Client(s.endpoint);
    g = (
      await client.send(
        new sdk.CreateVpnGatewayCommand({
          Type: 'ipsec.1',
          TagSpecifications: [{ ResourceType: 'vpn-gateway', Tags: [{ Key: 'env', Value: 'prod' }] }],
        }),
      )
    ).VpnGateway!.VpnGatewayId!;
    c = (await client.send(new sdk.CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '198.51.100.77' }))).CustomerGateway!
      .CustomerGatewayId!;
    v = (await client.send(new sdk.CreateVpnConnectionCommand({ CustomerGatewayId: c, VpnGatewayId: g, Type: 'ipsec.1' }))).VpnConnection!
      .VpnConnectionId!;
    await client.send(
      new sdk.CreateTagsCommand({
        Resources: [c],
        Tags: [
          { Key: 'site', Value: 'berlin' },
          { Key: 'env', Value: 'dev' },
        ],
      }),
    );
    await client.send(new sdk.CreateTagsCommand({ Resources: [v], Tags: [{ Key: 'env', Value: 'prod' }] }));
  });
  after(() => s.close());
  const describeTags = async (Filters?: Filter[]) => (await client.send(new sdk.DescribeTagsCommand({ Filters }))).Tags!;
  const rows = async (Filters?: Filter[]) =>
    (await describeTags(Filters)).map((t) => `${t.ResourceId} ${t.ResourceType} ${t.Key}=${t.Value}`);

  it('lists every tag with its resource id and type, by resource id then key', async () => {
    const expected = [
      `${c} customer-gateway env=dev`,
      `${c} customer-gateway site=berlin`,
      `${g} vpn-gateway env=prod`,
      `${v} vpn-connection env=prod`,
    ];
    assert.deepEqual(await rows(), expected);
  });

  it('selects by each filter', async () => {
    assert.deepEqual(await rows([{ Name: 'resource-id', Values: [v] }]), [`${v} vpn-connection env=prod`]);
    assert.deepEqual(await rows([{ Name: 'resource-type', Values: ['vpn-gateway'] }]), [`${g} vpn-gateway env=prod`]);
    assert.deepEqual(await rows([{ Name: 'resource-type', Values: ['vpn-connection'] }]), [`${v} vpn-connection env=prod`]);
    assert.deepEqual(
      await rows([
        { Name: 'resource-type', Values: ['customer-gateway'] },
        { Name: 'key', Values: ['site'] },
      ]),
      [`${c} customer-gateway site=berlin`],
    );
    assert.deepEqual(await rows([{ Name: 'value', Values: ['dev'] }]), [`${c} customer-gateway env=dev`]);
    assert.deepEqual(
      (
        await rows([
          { Name: 'key', Values: ['e*'] },
          { Name: 'value', Values: ['pro?'] },
        ])
      ).length,
      2,
    );
    assert.deepEqual(await rows([{ Name: 'tag:site', Values: ['berlin'] }]), [`${c} customer-gateway site=berlin`]);
    assert.deepEqual(await rows([{ Name: 'resource-type', Values: ['instance'] }]), []);
  });

  it('refuses an unknown filter name', async () => {
    assert.deepEqual(
      await failureOf(describeTags([{ Name: 'owner', Values: ['x'] }])),
      fail('InvalidParameterValue', "The filter 'owner' is invalid"),
    );
  });

  it('pages with MaxResults and NextToken', async () => {
    const first = await client.send(new sdk.DescribeTagsCommand({ MaxResults: 5 }));
    assert.equal(first.Tags!.length, 4);
    assert.equal(first.NextToken, undefined);
    await client.send(new sdk.CreateTagsCommand({ Resources: [g], Tags: many(6, 'p') }));
    const pages: string[] = [];
    for await (const page of sdk.paginateDescribeTags({ client, pageSize: 5 }, {})) pages.push(String(page.Tags!.length));
    assert.deepEqual(pages, ['5', '5']);
    const bad = client.send(new sdk.DescribeTagsCommand({ NextToken: 'nope' }));
    assert.deepEqual(
      await failureOf(bad),
      fail('InvalidParameterValue', 'Value ( nope ) for parameter NextToken is invalid. The pagination token is not valid.'),
    );
    const small = client.send(new sdk.DescribeTagsCommand({ MaxResults: 4 }));
    assert.deepEqual(
      await failureOf(small),
      fail('InvalidParameterValue', 'Value ( 4 ) for parameter MaxResults is invalid. Expecting a value greater than or equal to 5.'),
    );
    await client.send(new sdk.DeleteTagsCommand({ Resources: [g], Tags: many(6, 'p').map((t) => ({ Key: t.Key })) }));
  });

  it('is allowed for a read-only key, also as DryRun', async () => {
    const key = await s.app.services.tenants.createKey(undefined, 'read-only', 'reader');
    const reader = ec2Client(s.endpoint, { accessKeyId: key.accessKeyId, secretAccessKey: key.secret });
    assert.equal((await reader.send(new sdk.DescribeTagsCommand({}))).Tags!.length, 4);
    assert.deepEqual(await failureOf(reader.send(new sdk.DescribeTagsCommand({ DryRun: true }))), DRY_RUN);
  });
});
