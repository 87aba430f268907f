// The VPN gateway operations of the Huawei VPN v5 API through the real AK/SK signer: creation and
// its validation rules, reads with real connection counts, update, delete and availability zones.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/domain/manual-clock.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

const VPC = 'cb4a631d-1b2c-4d3e-8f40-ca3fa348c36c';
const SUBNET = 'f5741286-5a6b-4c7d-8e9f-2c82bd9ee114';
const ER = 'c62fad0d-7a1b-4c2d-9e3f-e06c4c351b9f';
const OTHER_PROJECT = 'fedcba9876543210fedcba9876543210';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let server: TestServer;
// Time moves only when a test says so (updated_at must move); signatures carry the real time.
const clock = new ManualClock(Date.now());
before(async () => (server = await startTestServer({ regions: ['cn-north-4'] }, { clock })));
after(() => server.close());

const vpcBody = (extra: Record<string, unknown> = {}) => ({
  vpn_gateway: { vpc_id: VPC, local_subnets: ['192.168.10.0/24'], connect_subnet: SUBNET, ...extra },
});

async function createGateway(extra: Record<string, unknown> = {}) {
  const r = await server.huawei.call('POST', '/vpn-gateways', vpcBody(extra));
  assert.equal(r.status, 201, r.errorMsg);
  return (await server.huawei.call('GET', `/vpn-gateways/${r.body.vpn_gateway.id}`)).body.vpn_gateway;
}

async function createCgw(ip: string): Promise<string> {
  const r = await server.huawei.call('POST', '/customer-gateways', { customer_gateway: { id_value: ip } });
  assert.equal(r.status, 201, r.errorMsg);
  return r.body.customer_gateway.id;
}

async function connect(vgw: any, eip: 'eip1' | 'eip2', cgwId: string): Promise<string> {
  const body = {
    vpn_connection: { vgw_id: vgw.id, vgw_ip: vgw[eip].id, cgw_id: cgwId, peer_subnets: ['192.168.0.0/24'], psk: 'Abcdefgh1234' },
  };
  const r = await server.huawei.call('POST', '/vpn-connection', body);
  assert.equal(r.status, 201, r.errorMsg);
  return r.body.vpn_connection.id;
}

function assertError(r: { status: number; errorCode?: string; errorMsg?: string }, status: number, code: string, msg: string) {
  assert.deepEqual([r.status, r.errorCode, r.errorMsg], [status, code, msg]);
}

describe('POST /v5/{project_id}/vpn-gateways', () => {
  it('answers 201 with the CreateResponseVpnGateway fields in the reference order', async () => {
    const r = await server.huawei.call(
      'POST',
      '/vpn-gateways',
      vpcBody({ name: 'vpngw-1234', bgp_asn: 65533, flavor: 'Professional2', tags: [{ key: 'env', value: 'prod' }] }),
    );
    assert.equal(r.status, 201);
    const g = r.body.vpn_gateway;
    assert.match(g.id, UUID);
    assert.match(r.body.request_id, UUID);
    assert.deepEqual(g, {
      id: g.id,
      name: 'vpngw-1234',
      network_type: 'public',
      attachment_type: 'vpc',
      ip_version: 'ipv4',
      vpc_id: VPC,
      local_subnets: ['192.168.10.0/24'],
      connect_subnet: SUBNET,
      bgp_asn: 65533,
      flavor: 'Professional2',
      connection_number: 200,
      used_connection_number: 0,
      used_connection_group: 0,
      enterprise_project_id: '0',
      access_vpc_id: VPC,
      access_subnet_id: SUBNET,
      ha_mode: 'active-active',
      tags: [{ key: 'env', value: 'prod' }],
    });
    assert.deepEqual(Object.keys(g), [
      'id',
      'name',
      'network_type',
      'attachment_type',
      'ip_version',
      'vpc_id',
      'local_subnets',
      'connect_subnet',
      'bgp_asn',
      'flavor',
      'connection_number',
      'used_connection_number',
      'used_connection_group',
      'enterprise_project_id',
      'access_vpc_id',
      'access_subnet_id',
      'ha_mode',
      'tags',
    ]);
  });

  it('fills in the documented defaults and a vpngw-xxxx name', async () => {
    const g = await createGateway();
    assert.match(g.name, /^vpngw-[0-9a-f]{4}$/);
    assert.equal(g.status, 'ACTIVE');
    assert.deepEqual(
      [g.bgp_asn, g.flavor, g.network_type, g.ha_mode, g.enterprise_project_id],
      [64512, 'Professional1', 'public', 'active-active', '0'],
    );
    assert.deepEqual(g.availability_zone_ids, ['cn-north-4a', 'cn-north-4b']);
    assert.equal(g.tags, undefined);
  });

  it('attaches to an enterprise router, showing er_id and the access VPC instead of vpc_id', async () => {
    const r = await server.huawei.call('POST', '/vpn-gateways', {
      vpn_gateway: {
        attachment_type: 'er',
        er_id: ER,
        vpc_id: VPC,
        connect_subnet: SUBNET,
        flavor: 'Professional2',
        ha_mode: 'active-standby',
        eip1: { type: '5_bgp', charge_mode: 'bandwidth', bandwidth_size: 1000, bandwidth_name: 'vpngw-bandwidth-1391' },
        eip2: { type: '5_bgp', bandwidth_size: 1000 },
      },
    });
    assert.equal(r.status, 201, r.errorMsg);
    const g = r.body.vpn_gateway;
    assert.deepEqual(
      [g.attachment_type, g.er_id, g.vpc_id, g.local_subnets, g.connect_subnet, g.access_vpc_id, g.access_subnet_id, g.ha_mode],
      ['er', ER, undefined, undefined, undefined, VPC, SUBNET, 'active-standby'],
    );
  });

  it('shows the outside IPs of a private gateway as access_private_ip_1 and access_private_ip_2, without EIPs', async () => {
    const g = await createGateway({ network_type: 'private' });
    assert.deepEqual([g.eip1, g.eip2], [undefined, undefined]);
    assert.match(g.access_private_ip_1, /^\d+\.\d+\.\d+\.\d+$/);
    assert.notEqual(g.access_private_ip_1, g.access_private_ip_2);
  });

  it('shows a public gateway eip1 and eip2 as ResponseEip objects with the allocated outside IPs', async () => {
    const g = await createGateway({
      eip1: { id: '0f6d1415-1111-4222-8333-edb2ee97c9cc' },
      eip2: { id: '7b46b62f-1111-4222-8333-6b8e44312416' },
    });
    for (const eip of [g.eip1, g.eip2]) {
      assert.deepEqual(Object.keys(eip), [
        'id',
        'ip_version',
        'type',
        'ip_address',
        'charge_mode',
        'bandwidth_id',
        'bandwidth_size',
        'bandwidth_name',
      ]);
      assert.match(eip.id, UUID);
      assert.match(eip.bandwidth_id, UUID);
      assert.deepEqual([eip.ip_version, eip.type, eip.charge_mode, eip.bandwidth_size], [4, '5_bgp', 'bandwidth', 300]);
      assert.match(eip.ip_address, /^203\.0\.113\.\d+$/);
      assert.match(eip.bandwidth_name, /^vpngw-bandwidth-[0-9a-f]{4}$/);
    }
    assert.notEqual(g.eip1.ip_address, g.eip2.ip_address);
  });

  const Z = 'must name 2 different availability zones among cn-north-4a, cn-north-4b for a Professional1 gateway attached to a VPC';
  const NAME = 'name must be 1 to 64 characters of letters, digits, underscores (_), hyphens (-) and periods (.)';
  const TAG = 'must be 1 to 128 letters, digits, spaces or _ . : = + - @';
  const cases: [string, Record<string, unknown>, string][] = [
    ['a name with a space', vpcBody({ name: 'my gw' }), `vpn_gateway.name ${NAME}`],
    ['a name of 65 characters', vpcBody({ name: 'a'.repeat(65) }), `vpn_gateway.name ${NAME}`],
    ['an unknown network type', vpcBody({ network_type: 'internet' }), 'vpn_gateway.network_type must be one of public, private'],
    ['an unknown attachment type', vpcBody({ attachment_type: 'vgw' }), 'vpn_gateway.attachment_type must be one of vpc, er'],
    ['IPv6', vpcBody({ ip_version: 'ipv6' }), 'vpn_gateway.ip_version must be one of ipv4'],
    ['a vpc_id that is no UUID', vpcBody({ vpc_id: 'vpc-1' }), 'vpn_gateway.vpc_id must be a UUID of 36 characters'],
    [
      'a VPC gateway without vpc_id',
      { vpn_gateway: { local_subnets: ['10.0.0.0/24'], connect_subnet: SUBNET } },
      'vpn_gateway.vpc_id is required when attachment_type is vpc',
    ],
    [
      'a VPC gateway without local_subnets',
      { vpn_gateway: { vpc_id: VPC, connect_subnet: SUBNET } },
      'vpn_gateway.local_subnets is required when attachment_type is vpc',
    ],
    [
      'a VPC gateway without connect_subnet',
      { vpn_gateway: { vpc_id: VPC, local_subnets: ['10.0.0.0/24'] } },
      'vpn_gateway.connect_subnet is required when attachment_type is vpc',
    ],
    ['a VPC gateway with er_id', vpcBody({ er_id: ER }), 'vpn_gateway.er_id can be set only when attachment_type is er'],
    ['an ER gateway without er_id', { vpn_gateway: { attachment_type: 'er' } }, 'vpn_gateway.er_id is required when attachment_type is er'],
    [
      'an ER gateway with local_subnets',
      { vpn_gateway: { attachment_type: 'er', er_id: ER, local_subnets: ['10.0.0.0/24'] } },
      'vpn_gateway.local_subnets can be set only when attachment_type is vpc',
    ],
    [
      'a Basic ER gateway',
      { vpn_gateway: { attachment_type: 'er', er_id: ER, flavor: 'Basic' } },
      'vpn_gateway.flavor cannot be Basic when attachment_type is er',
    ],
    [
      'a Basic private gateway',
      vpcBody({ flavor: 'Basic', network_type: 'private' }),
      'vpn_gateway.flavor cannot be Basic when network_type is private',
    ],
    [
      'a local subnet that is no CIDR',
      vpcBody({ local_subnets: ['10.0.0.0/33'] }),
      'vpn_gateway.local_subnets.0 must be a CIDR block such as 192.168.0.0/24',
    ],
    [
      'a local subnet with host bits',
      vpcBody({ local_subnets: ['10.0.0.1/24'] }),
      'vpn_gateway.local_subnets.0 must be a CIDR block such as 192.168.0.0/24',
    ],
    ['an empty local subnet list', vpcBody({ local_subnets: [] }), 'vpn_gateway.local_subnets needs at least 1 item(s)'],
    [
      '51 local subnets',
      vpcBody({ local_subnets: Array.from({ length: 51 }, (_, i) => `10.${i}.0.0/16`) }),
      'vpn_gateway.local_subnets has too many items (at most 50)',
    ],
    ['a BGP ASN of 0', vpcBody({ bgp_asn: 0 }), 'vpn_gateway.bgp_asn must be an integer from 1 to 4294967295'],
    ['a BGP ASN of 4294967296', vpcBody({ bgp_asn: 4294967296 }), 'vpn_gateway.bgp_asn must be an integer from 1 to 4294967295'],
    ['a fractional BGP ASN', vpcBody({ bgp_asn: 65000.5 }), 'vpn_gateway.bgp_asn must be an integer from 1 to 4294967295'],
    ['a BGP ASN as a string', vpcBody({ bgp_asn: '65000' }), 'vpn_gateway.bgp_asn must be an integer from 1 to 4294967295'],
    ['an unknown flavor', vpcBody({ flavor: 'V300' }), 'vpn_gateway.flavor must be one of Basic, Professional1, Professional2, GM'],
    [
      'an unknown availability zone',
      vpcBody({ availability_zone_ids: ['cn-north-4a', 'cn-north-4c'] }),
      `vpn_gateway.availability_zone_ids ${Z}`,
    ],
    [
      'one availability zone where two are offered',
      vpcBody({ availability_zone_ids: ['cn-north-4a'] }),
      `vpn_gateway.availability_zone_ids ${Z}`,
    ],
    [
      'the same availability zone twice',
      vpcBody({ availability_zone_ids: ['cn-north-4a', 'cn-north-4a'] }),
      `vpn_gateway.availability_zone_ids ${Z}`,
    ],
    [
      'three availability zones',
      vpcBody({ availability_zone_ids: ['a', 'b', 'c'] }),
      'vpn_gateway.availability_zone_ids has too many items (at most 2)',
    ],
    [
      'an enterprise project id that is neither 0 nor a UUID',
      vpcBody({ enterprise_project_id: 'default' }),
      'vpn_gateway.enterprise_project_id must be 0 or a UUID of 36 characters',
    ],
    [
      'an EIP for a private gateway',
      vpcBody({ network_type: 'private', eip1: { type: '5_bgp', bandwidth_size: 10 } }),
      'vpn_gateway.eip1 can be set only when network_type is public',
    ],
    ['an empty EIP', vpcBody({ eip1: {} }), 'vpn_gateway.eip1.type is required when vpn_gateway.eip1.id is not given'],
    [
      'a new EIP without bandwidth',
      vpcBody({ eip2: { type: '5_bgp' } }),
      'vpn_gateway.eip2.bandwidth_size is required when vpn_gateway.eip2.bandwidth_id is not given',
    ],
    ['an EIP id that is no UUID', vpcBody({ eip1: { id: 'eip-1' } }), 'vpn_gateway.eip1.id must be a UUID of 36 characters'],
    [
      'the same EIP twice',
      vpcBody({ eip1: { id: VPC }, eip2: { id: VPC } }),
      'vpn_gateway.eip1.id and vpn_gateway.eip2.id must be different',
    ],
    ['an unknown EIP type', vpcBody({ eip1: { type: '6_bgp', bandwidth_size: 10 } }), 'vpn_gateway.eip1.type must be one of 5_bgp, 5_sbgp'],
    [
      'an unknown charge mode',
      vpcBody({ eip1: { type: '5_bgp', bandwidth_size: 10, charge_mode: 'free' } }),
      'vpn_gateway.eip1.charge_mode must be one of bandwidth, traffic',
    ],
    [
      'a bandwidth of 0',
      vpcBody({ eip1: { type: '5_bgp', bandwidth_size: 0 } }),
      'vpn_gateway.eip1.bandwidth_size must be an integer from 1 to 1000',
    ],
    [
      'more bandwidth than the flavor allows',
      vpcBody({ eip1: { type: '5_bgp', bandwidth_size: 301 } }),
      'vpn_gateway.eip1.bandwidth_size cannot exceed 300 when flavor is Professional1',
    ],
    [
      'more bandwidth than Basic allows',
      vpcBody({ flavor: 'Basic', eip1: { type: '5_bgp', bandwidth_size: 101 } }),
      'vpn_gateway.eip1.bandwidth_size cannot exceed 100 when flavor is Basic',
    ],
    ['an unknown EIP field', vpcBody({ eip1: { ip_address: '1.2.3.4' } }), 'vpn_gateway.eip1.ip_address is not a valid field'],
    ['an unknown HA mode', vpcBody({ ha_mode: 'cluster' }), 'vpn_gateway.ha_mode must be one of active-active, active-standby'],
    ['an empty tag key', vpcBody({ tags: [{ key: '', value: 'v' }] }), `vpn_gateway.tags.0.key ${TAG}`],
    ['a tag key of 129 characters', vpcBody({ tags: [{ key: 'k'.repeat(129), value: 'v' }] }), `vpn_gateway.tags.0.key ${TAG}`],
    ['a tag key with #', vpcBody({ tags: [{ key: 'a#b', value: 'v' }] }), `vpn_gateway.tags.0.key ${TAG}`],
    [
      'a tag value of 256 characters',
      vpcBody({ tags: [{ key: 'k', value: 'v'.repeat(256) }] }),
      'vpn_gateway.tags.0.value must be 0 to 255 letters, digits, spaces or _ . : = + - @',
    ],
    [
      '21 tags',
      vpcBody({ tags: Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: '' })) }),
      'vpn_gateway.tags has too many items (at most 20)',
    ],
    [
      'a duplicate tag key',
      vpcBody({
        tags: [
          { key: 'k', value: '1' },
          { key: 'k', value: '2' },
        ],
      }),
      'duplicate tag key k',
    ],
    ['an unknown field', vpcBody({ access_private_ip_1: '10.0.0.9' }), 'vpn_gateway.access_private_ip_1 is not a valid field'],
    ['a body without vpn_gateway', {}, 'vpn_gateway is required'],
    ['a misspelt vpn_gateway', { vpn_gateway: {}, vpn_gateways: {} }, 'vpn_gateways is not a valid field'],
  ];
  for (const [what, body, msg] of cases) {
    it(`refuses ${what} with 400 VPN.0001`, async () => {
      assertError(await server.huawei.call('POST', '/vpn-gateways', body), 400, 'VPN.0001', `invalid request: ${msg}`);
    });
  }

  it('refuses malformed JSON and stores nothing after a refused create', async () => {
    const before = (await server.huawei.call('GET', '/vpn-gateways')).body.total_count;
    const path = `/v5/${TEST_PROJECT}/vpn-gateways`;
    const body = '{"vpn_gateway": {';
    const broken = await send(signHuawei({ endpoint: server.endpoint, method: 'POST', path, ak: TEST_AK, sk: TEST_SK, rawBody: body }));
    assert.deepEqual(
      [broken.status, broken.json.error_code, broken.json.error_msg],
      [400, 'VPN.0001', 'invalid request: the request body is not valid JSON'],
    );
    await server.huawei.call('POST', '/vpn-gateways', vpcBody({ bgp_asn: 0 }));
    assert.equal((await server.huawei.call('GET', '/vpn-gateways')).body.total_count, before);
  });
});

describe('GET /v5/{project_id}/vpn-gateways and /vpn-gateways/{vgw_id}', () => {
  it('shows every ResponseVpnGateway field in the reference order', async () => {
    const g = await createGateway({ tags: [{ key: 'a', value: 'b' }] });
    assert.deepEqual(Object.keys(g), [
      'id',
      'name',
      'network_type',
      'status',
      'attachment_type',
      'ip_version',
      'vpc_id',
      'local_subnets',
      'connect_subnet',
      'bgp_asn',
      'flavor',
      'availability_zone_ids',
      'connection_number',
      'used_connection_number',
      'used_connection_group',
      'enterprise_project_id',
      'eip1',
      'eip2',
      'created_at',
      'updated_at',
      'access_vpc_id',
      'access_subnet_id',
      'ha_mode',
      'tags',
    ]);
    assert.match(g.created_at, ISO);
    assert.equal(g.created_at, g.updated_at);
  });

  it('counts the connections and connection groups that really use the gateway', async () => {
    const g = await createGateway();
    const [a, b] = [await createCgw('198.51.100.11'), await createCgw('198.51.100.12')];
    await connect(g, 'eip1', a);
    await connect(g, 'eip2', a);
    const third = await connect(g, 'eip1', b);
    const shown = (await server.huawei.call('GET', `/vpn-gateways/${g.id}`)).body.vpn_gateway;
    assert.deepEqual([shown.used_connection_number, shown.used_connection_group], [3, 2]);
    const listed = (await server.huawei.call('GET', '/vpn-gateways')).body.vpn_gateways.find((x: any) => x.id === g.id);
    assert.deepEqual([listed.used_connection_number, listed.used_connection_group], [3, 2]);
    assert.equal((await server.huawei.call('DELETE', `/vpn-connection/${third}`)).status, 204);
    const after = (await server.huawei.call('GET', `/vpn-gateways/${g.id}`)).body.vpn_gateway;
    assert.deepEqual([after.used_connection_number, after.used_connection_group], [2, 1]);
  });

  it('lists with total_count and filters by vgw_id and enterprise_project_id', async () => {
    const ep = '7354dda9-1111-4222-8333-a6b08fb92043';
    const g = await createGateway({ enterprise_project_id: ep });
    const all = await server.huawei.call('GET', '/vpn-gateways');
    assert.equal(all.status, 200);
    assert.deepEqual(Object.keys(all.body), ['vpn_gateways', 'total_count', 'request_id']);
    assert.equal(all.body.total_count, all.body.vpn_gateways.length);
    const byEp = await server.huawei.call('GET', '/vpn-gateways', undefined, { enterprise_project_id: ep });
    assert.deepEqual(
      byEp.body.vpn_gateways.map((x: any) => x.id),
      [g.id],
    );
    const byId = await server.huawei.call('GET', '/vpn-gateways', undefined, { vgw_id: g.id });
    assert.deepEqual([byId.body.total_count, byId.body.vpn_gateways[0].enterprise_project_id], [1, ep]);
  });

  it('answers 404 VPN.0004 for an unknown id, another project of the tenant, and an unknown project', async () => {
    const unknown = '5247ae10-0000-4000-8000-dd36659a7f5d';
    assertError(
      await server.huawei.call('GET', `/vpn-gateways/${unknown}`),
      404,
      'VPN.0004',
      `resource not found: vpn gateway ${unknown} does not exist`,
    );
    const g = await createGateway();
    const key = await server.app.store.getAccessKey(TEST_AK);
    await server.app.store.createProject({
      id: OTHER_PROJECT,
      tenantId: key!.tenantId,
      name: 'other',
      region: 'cn-north-4',
      createdAt: new Date().toISOString(),
    });
    const elsewhere = await server.huawei.call('GET', `/vpn-gateways/${g.id}`, undefined, {}, OTHER_PROJECT);
    assertError(elsewhere, 404, 'VPN.0004', `resource not found: vpn gateway ${g.id} does not exist`);
    assert.deepEqual((await server.huawei.call('GET', '/vpn-gateways', undefined, {}, OTHER_PROJECT)).body.vpn_gateways, []);
    const nowhere = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    assertError(
      await server.huawei.call('GET', '/vpn-gateways', undefined, {}, nowhere),
      404,
      'VPN.0004',
      `resource not found: project ${nowhere} does not exist`,
    );
  });

  it('lists the availability zones of every flavor for the project region', async () => {
    const r = await server.huawei.call('GET', '/vpn-gateways/availability-zones');
    assert.equal(r.status, 200);
    const two = ['cn-north-4a', 'cn-north-4b'];
    assert.deepEqual(r.body.availability_zones, {
      basic: { vpc: two, er: [] },
      professional1: { vpc: two, er: two },
      'Professional1-NonFixedIP': { vpc: [], er: [] },
      professional2: { vpc: two, er: two },
      'Professional2-NonFixedIP': { vpc: [], er: [] },
      gm: { vpc: two, er: two },
    });
  });
});

describe('PUT and DELETE /v5/{project_id}/vpn-gateways/{vgw_id}', () => {
  it('updates the name and local subnets and moves updated_at', async () => {
    const g = await createGateway();
    clock.advance(1000);
    const r = await server.huawei.call('PUT', `/vpn-gateways/${g.id}`, {
      vpn_gateway: { name: 'vpngw-4321', local_subnets: ['192.168.0.0/24', '192.168.1.0/24'] },
    });
    assert.equal(r.status, 200);
    const u = r.body.vpn_gateway;
    assert.deepEqual(
      [u.name, u.local_subnets, u.created_at, u.eip1.id],
      ['vpngw-4321', ['192.168.0.0/24', '192.168.1.0/24'], g.created_at, g.eip1.id],
    );
    assert.ok(u.updated_at > g.updated_at);
  });

  it('refuses fields the reference does not let PUT change, and local subnets of an ER gateway', async () => {
    const g = await createGateway();
    const put = (b: Record<string, unknown>) => server.huawei.call('PUT', `/vpn-gateways/${g.id}`, { vpn_gateway: b });
    assertError(await put({ tags: [] }), 400, 'VPN.0001', 'invalid request: vpn_gateway.tags is not a valid field');
    assertError(await put({ bgp_asn: 65001 }), 400, 'VPN.0001', 'invalid request: vpn_gateway.bgp_asn is not a valid field');
    assertError(
      await put({ name: 'a b' }),
      400,
      'VPN.0001',
      'invalid request: vpn_gateway.name name must be 1 to 64 characters of letters, digits, underscores (_), hyphens (-) and periods (.)',
    );
    assertError(
      await put({ local_subnets: ['10.0.0.0/8', 'x'] }),
      400,
      'VPN.0001',
      'invalid request: vpn_gateway.local_subnets.1 must be a CIDR block such as 192.168.0.0/24',
    );
    const er = await server.huawei.call('POST', '/vpn-gateways', { vpn_gateway: { attachment_type: 'er', er_id: ER } });
    const erPut = await server.huawei.call('PUT', `/vpn-gateways/${er.body.vpn_gateway.id}`, {
      vpn_gateway: { local_subnets: ['10.0.0.0/8'] },
    });
    assertError(erPut, 400, 'VPN.0001', 'invalid request: vpn_gateway.local_subnets can be set only when attachment_type is vpc');
    const unknown = '5247ae10-0000-4000-8000-dd36659a7f5d';
    assertError(
      await server.huawei.call('PUT', `/vpn-gateways/${unknown}`, { vpn_gateway: { name: 'x' } }),
      404,
      'VPN.0004',
      `resource not found: vpn gateway ${unknown} does not exist`,
    );
  });

  it('refuses to delete a gateway a connection uses, then deletes it with 204 once it is free', async () => {
    const g = await createGateway();
    const conn = await connect(g, 'eip1', await createCgw('198.51.100.21'));
    assertError(
      await server.huawei.call('DELETE', `/vpn-gateways/${g.id}`),
      400,
      'VPN.0001',
      `invalid request: vpn gateway ${g.id} has connection`,
    );
    assert.equal((await server.huawei.call('DELETE', `/vpn-connection/${conn}`)).status, 204);
    const del = await server.huawei.call('DELETE', `/vpn-gateways/${g.id}`);
    assert.equal(del.status, 204);
    assertError(
      await server.huawei.call('GET', `/vpn-gateways/${g.id}`),
      404,
      'VPN.0004',
      `resource not found: vpn gateway ${g.id} does not exist`,
    );
    assertError(
      await server.huawei.call('DELETE', `/vpn-gateways/${g.id}`),
      404,
      'VPN.0004',
      `resource not found: vpn gateway ${g.id} does not exist`,
    );
  });
});
