// The customer gateway operations of the Huawei VPN v5 API through the real AK/SK signer: creation
// and its validation rules, CA certificates, paging, update, and delete while a connection uses one.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/domain/manual-clock.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UNKNOWN = '5247ae10-0000-4000-8000-dd36659a7f5d';
const NAME = 'name must be 1 to 64 characters of letters, digits, underscores (_), hyphens (-) and periods (.)';

/** A self-signed ECDSA P-256 CA made for these tests (serial 5A17E0, valid until 2036-11-19). */
const CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBwDCCAWagAwIBAgIDWhfgMAoGCCqGSM49BAMCMD4xCzAJBgNVBAYTAkRFMRUw
EwYDVQQKDAxzaXRldnBuIHRlc3QxGDAWBgNVBAMMD3NpdGV2cG4gdGVzdCBDQTAe
Fw0yNjExMjIwMzE2MThaFw0zNjExMTkwMzE2MThaMD4xCzAJBgNVBAYTAkRFMRUw
EwYDVQQKDAxzaXRldnBuIHRlc3QxGDAWBgNVBAMMD3NpdGV2cG4gdGVzdCBDQTBZ
MBMGByqGSM49AgEGCCqGSM49AwEHA0IABAt7+3t3CNMR8bZ9a5uCILf8xFgRRQcs
/wXraKI58gQFAHpaiueD6AlwJgEpoZoejwKl8bChQcRJ5yLaPV8o/C6jUzBRMB0G
A1UdDgQWBBRLGrtobrbkStGZ0W/gRQRHIPap1zAfBgNVHSMEGDAWgBRLGrtobrbk
StGZ0W/gRQRHIPap1zAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUC
IFwLHKvIUK8wo1DGoapqX5iMD/JHWuzlnOU5HlXXL/nOAiEAw5b40t9A9XTENtl8
jDJt8itg0bg0FY+oYw8N5DTXJaQ=
-----END CERTIFICATE-----
`;

let server: TestServer;
// Time moves only when a test says so (updated_at must move); signatures carry the real time.
const clock = new ManualClock(Date.now());
before(async () => (server = await startTestServer({}, { clock })));
after(() => server.close());

let nextOctet = 1;
const cgwBody = (extra: Record<string, unknown> = {}) => ({ customer_gateway: { id_value: `198.51.100.${nextOctet++}`, ...extra } });

async function createCgw(extra: Record<string, unknown> = {}) {
  const r = await server.huawei.call('POST', '/customer-gateways', cgwBody(extra));
  assert.equal(r.status, 201, r.errorMsg);
  return r.body.customer_gateway;
}

function assertError(r: { status: number; errorCode?: string; errorMsg?: string }, status: number, code: string, msg: string) {
  assert.deepEqual([r.status, r.errorCode, r.errorMsg], [status, code, msg]);
}

describe('POST /v5/{project_id}/customer-gateways', () => {
  it('answers 201 with the ResponseCustomerGateway fields in the reference order', async () => {
    const r = await server.huawei.call('POST', '/customer-gateways', {
      customer_gateway: {
        name: 'cgw-2abf',
        id_type: 'ip',
        id_value: '10.1.2.21',
        bgp_asn: 65533,
        tags: [{ key: 'site', value: 'berlin' }],
      },
    });
    assert.equal(r.status, 201);
    const c = r.body.customer_gateway;
    assert.match(c.id, UUID);
    assert.match(c.created_at, ISO);
    assert.deepEqual(Object.keys(c), ['id', 'name', 'id_type', 'id_value', 'bgp_asn', 'created_at', 'updated_at', 'tags']);
    assert.deepEqual(c, {
      id: c.id,
      name: 'cgw-2abf',
      id_type: 'ip',
      id_value: '10.1.2.21',
      bgp_asn: 65533,
      created_at: c.created_at,
      updated_at: c.created_at,
      tags: [{ key: 'site', value: 'berlin' }],
    });
  });

  it('defaults to id_type ip, BGP ASN 65000 and a cgw-xxxx name', async () => {
    const c = await createCgw();
    assert.match(c.name, /^cgw-\d{4}$/);
    assert.deepEqual([c.id_type, c.bgp_asn, c.tags], ['ip', 65000, []]);
  });

  it('creates an FQDN-identified customer gateway, which shows no BGP ASN', async () => {
    const c = await createCgw({ id_type: 'fqdn', id_value: 'branch.example.com' });
    assert.deepEqual([c.id_type, c.id_value, c.bgp_asn], ['fqdn', 'branch.example.com', undefined]);
  });

  it('binds a CA certificate and shows what it says, never its content', async () => {
    const c = await createCgw({ ca_certificate: { content: CA_PEM } });
    const ca = c.ca_certificate;
    assert.deepEqual(Object.keys(c), [
      'id',
      'name',
      'id_type',
      'id_value',
      'bgp_asn',
      'ca_certificate',
      'created_at',
      'updated_at',
      'tags',
    ]);
    assert.match(ca.id, UUID);
    assert.deepEqual(
      { ...ca, id: 'x' },
      {
        id: 'x',
        serial_number: '5A17E0',
        signature_algorithm: 'ecdsa-with-SHA256',
        issuer: 'C=DE, O=sitevpn test, CN=sitevpn test CA',
        subject: 'C=DE, O=sitevpn test, CN=sitevpn test CA',
        expire_time: '2036-11-19T03:16:18.000Z',
        is_updatable: true,
      },
    );
    const shown = await server.huawei.call('GET', `/customer-gateways/${c.id}`);
    assert.deepEqual(shown.body.customer_gateway.ca_certificate, ca);
    assert.ok(!JSON.stringify(shown.body).includes('BEGIN CERTIFICATE'));
  });

  const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const ONE_CERT = 'customer_gateway.ca_certificate.content must be exactly one PEM-encoded X.509 certificate';
  const TAG = 'must be 1 to 128 letters, digits, spaces or _ . : = + - @';
  const cases: [string, Record<string, unknown>, string][] = [
    ['a name with a space', cgwBody({ name: 'my cgw' }), `customer_gateway.name ${NAME}`],
    ['a name of 65 characters', cgwBody({ name: 'c'.repeat(65) }), `customer_gateway.name ${NAME}`],
    ['an unknown id_type', cgwBody({ id_type: 'ipv6' }), 'customer_gateway.id_type must be one of ip, fqdn'],
    ['a missing id_value', { customer_gateway: { name: 'x' } }, 'customer_gateway.id_value is required'],
    ['an empty id_value', { customer_gateway: { id_value: '' } }, 'customer_gateway.id_value must be a string of 1 to 128 characters'],
    [
      'an id_value of 129 characters',
      { customer_gateway: { id_type: 'fqdn', id_value: 'a'.repeat(129) } },
      'customer_gateway.id_value must be a string of 1 to 128 characters',
    ],
    [
      'an id_value that is no IPv4 address for id_type ip',
      { customer_gateway: { id_value: '10.0.0.256' } },
      'customer_gateway.id_value must be an IPv4 address such as 192.168.45.7 when id_type is ip',
    ],
    [
      'a BGP ASN for id_type fqdn',
      { customer_gateway: { id_type: 'fqdn', id_value: 'a.example', bgp_asn: 65000 } },
      'customer_gateway.bgp_asn can be set only when id_type is ip',
    ],
    ['a BGP ASN of 0', cgwBody({ bgp_asn: 0 }), 'customer_gateway.bgp_asn must be an integer from 1 to 4294967295'],
    ['a BGP ASN of 4294967296', cgwBody({ bgp_asn: 4294967296 }), 'customer_gateway.bgp_asn must be an integer from 1 to 4294967295'],
    ['a CA certificate by id', cgwBody({ ca_certificate: { id: UNKNOWN } }), 'customer_gateway.ca_certificate.id is not a valid field'],
    ['a CA certificate without content', cgwBody({ ca_certificate: {} }), 'customer_gateway.ca_certificate.content is required'],
    ['a CA certificate that is no certificate', cgwBody({ ca_certificate: { content: 'hello' } }), ONE_CERT],
    ['a corrupt CA certificate', cgwBody({ ca_certificate: { content: CA_PEM.replace('MIIB', 'MIIC') } }), ONE_CERT],
    ['two CA certificates in one content', cgwBody({ ca_certificate: { content: CA_PEM + CA_PEM } }), ONE_CERT],
    [
      'a CA certificate with its private key',
      cgwBody({ ca_certificate: { content: CA_PEM + key } }),
      'customer_gateway.ca_certificate.content must not contain a private key',
    ],
    ['a tag key of 129 characters', cgwBody({ tags: [{ key: 'k'.repeat(129), value: '' }] }), `customer_gateway.tags.0.key ${TAG}`],
    [
      'a tag value of 256 characters',
      cgwBody({ tags: [{ key: 'k', value: 'v'.repeat(256) }] }),
      'customer_gateway.tags.0.value must be 0 to 255 letters, digits, spaces or _ . : = + - @',
    ],
    ['a tag without a value', cgwBody({ tags: [{ key: 'k' }] }), 'customer_gateway.tags.0.value is required'],
    [
      '21 tags',
      cgwBody({ tags: Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: '' })) }),
      'customer_gateway.tags has too many items (at most 20)',
    ],
    ['the deprecated ip field instead of id_value', { customer_gateway: { ip: '10.0.0.1' } }, 'customer_gateway.id_value is required'],
    ['the deprecated ip field', cgwBody({ ip: '10.0.0.1' }), 'customer_gateway.ip is not a valid field'],
    ['the deprecated route_mode field', cgwBody({ route_mode: 'bgp' }), 'customer_gateway.route_mode is not a valid field'],
    ['a body without customer_gateway', {}, 'customer_gateway is required'],
  ];
  for (const [what, body, msg] of cases) {
    it(`refuses ${what} with 400 VPN.0001`, async () => {
      assertError(await server.huawei.call('POST', '/customer-gateways', body), 400, 'VPN.0001', `invalid request: ${msg}`);
    });
  }

  it('refuses malformed JSON and stores nothing after a refused create', async () => {
    const before = (await server.huawei.call('GET', '/customer-gateways')).body.total_count;
    const path = `/v5/${TEST_PROJECT}/customer-gateways`;
    const broken = await send(
      signHuawei({ endpoint: server.endpoint, method: 'POST', path, ak: TEST_AK, sk: TEST_SK, rawBody: '{"customer_gateway":' }),
    );
    assert.deepEqual(
      [broken.status, broken.json.error_code, broken.json.error_msg],
      [400, 'VPN.0001', 'invalid request: the request body is not valid JSON'],
    );
    await server.huawei.call('POST', '/customer-gateways', cgwBody({ bgp_asn: -1 }));
    assert.equal((await server.huawei.call('GET', '/customer-gateways')).body.total_count, before);
  });
});

describe('GET /v5/{project_id}/customer-gateways and /customer-gateways/{id}', () => {
  it('pages in creation order with limit and the next_marker of page_info', async () => {
    const fresh = await startTestServer();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await fresh.huawei.call('POST', '/customer-gateways', { customer_gateway: { id_value: `203.0.113.${i + 10}` } });
        ids.push(r.body.customer_gateway.id);
      }
      const first = await fresh.huawei.call('GET', '/customer-gateways', undefined, { limit: '2' });
      assert.equal(first.status, 200);
      assert.deepEqual(Object.keys(first.body), ['customer_gateways', 'total_count', 'page_info', 'request_id']);
      assert.deepEqual(
        first.body.customer_gateways.map((c: any) => c.id),
        ids.slice(0, 2),
      );
      assert.deepEqual([first.body.total_count, first.body.page_info], [5, { current_count: 2, next_marker: ids[1] }]);
      const second = await fresh.huawei.call('GET', '/customer-gateways', undefined, {
        limit: '2',
        marker: first.body.page_info.next_marker,
      });
      assert.deepEqual(
        second.body.customer_gateways.map((c: any) => c.id),
        ids.slice(2, 4),
      );
      const last = await fresh.huawei.call('GET', '/customer-gateways', undefined, {
        limit: '2',
        marker: second.body.page_info.next_marker,
      });
      assert.deepEqual([last.body.customer_gateways.map((c: any) => c.id), last.body.page_info], [ids.slice(4), { current_count: 1 }]);
      const all = await fresh.huawei.call('GET', '/customer-gateways', undefined, { limit: '0' });
      assert.deepEqual([all.body.customer_gateways.length, all.body.page_info], [5, { current_count: 5 }]);
      const one = await fresh.huawei.call('GET', '/customer-gateways', undefined, { cgw_id: ids[3] });
      assert.deepEqual([one.body.customer_gateways.map((c: any) => c.id), one.body.total_count], [[ids[3]], 1]);
    } finally {
      await fresh.close();
    }
  });

  it('refuses a limit outside 0 to 200 and an unknown marker', async () => {
    for (const limit of ['201', '-1', 'ten', '1.5']) {
      assertError(
        await server.huawei.call('GET', '/customer-gateways', undefined, { limit }),
        400,
        'VPN.0001',
        'invalid request: limit must be an integer from 0 to 200',
      );
    }
    assertError(
      await server.huawei.call('GET', '/customer-gateways', undefined, { marker: UNKNOWN }),
      400,
      'VPN.0001',
      `invalid request: invalid marker ${UNKNOWN}`,
    );
  });

  it('answers 404 VPN.0004 for an unknown id and for another project', async () => {
    assertError(
      await server.huawei.call('GET', `/customer-gateways/${UNKNOWN}`),
      404,
      'VPN.0004',
      `resource not found: customer gateway ${UNKNOWN} does not exist`,
    );
    const c = await createCgw();
    const other = 'fedcba9876543210fedcba9876543210';
    const key = await server.app.store.getAccessKey(TEST_AK);
    await server.app.store.createProject({
      id: other,
      tenantId: key!.tenantId,
      name: 'other',
      region: 'cn-north-4',
      createdAt: new Date().toISOString(),
    });
    const elsewhere = await server.huawei.call('GET', `/customer-gateways/${c.id}`, undefined, {}, other);
    assertError(elsewhere, 404, 'VPN.0004', `resource not found: customer gateway ${c.id} does not exist`);
    assertError(
      await server.huawei.call('DELETE', `/customer-gateways/${c.id}`, undefined, {}, other),
      404,
      'VPN.0004',
      `resource not found: customer gateway ${c.id} does not exist`,
    );
    const nowhere = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    assertError(
      await server.huawei.call('GET', '/customer-gateways', undefined, {}, nowhere),
      404,
      'VPN.0004',
      `resource not found: project ${nowhere} does not exist`,
    );
  });
});

describe('PUT and DELETE /v5/{project_id}/customer-gateways/{id}', () => {
  it('updates the name and binds a CA certificate, moving updated_at', async () => {
    const c = await createCgw();
    clock.advance(1000);
    const r = await server.huawei.call('PUT', `/customer-gateways/${c.id}`, {
      customer_gateway: { name: 'cgw-f846', ca_certificate: { content: CA_PEM } },
    });
    assert.equal(r.status, 200);
    const u = r.body.customer_gateway;
    assert.deepEqual([u.name, u.id_value, u.created_at, u.ca_certificate.serial_number], ['cgw-f846', c.id_value, c.created_at, '5A17E0']);
    assert.ok(u.updated_at > c.updated_at);
  });

  it('refuses fields the reference does not let PUT change, and unknown ids', async () => {
    const c = await createCgw();
    const put = (b: Record<string, unknown>) => server.huawei.call('PUT', `/customer-gateways/${c.id}`, { customer_gateway: b });
    assertError(await put({ id_value: '10.0.0.1' }), 400, 'VPN.0001', 'invalid request: customer_gateway.id_value is not a valid field');
    assertError(await put({ bgp_asn: 65001 }), 400, 'VPN.0001', 'invalid request: customer_gateway.bgp_asn is not a valid field');
    assertError(await put({ tags: [] }), 400, 'VPN.0001', 'invalid request: customer_gateway.tags is not a valid field');
    assertError(await put({ name: 'a/b' }), 400, 'VPN.0001', `invalid request: customer_gateway.name ${NAME}`);
    assertError(
      await put({ ca_certificate: { content: 'x' } }),
      400,
      'VPN.0001',
      'invalid request: customer_gateway.ca_certificate.content must be exactly one PEM-encoded X.509 certificate',
    );
    assertError(
      await server.huawei.call('PUT', `/customer-gateways/${UNKNOWN}`, { customer_gateway: { name: 'x' } }),
      404,
      'VPN.0004',
      `resource not found: customer gateway ${UNKNOWN} does not exist`,
    );
  });

  it('refuses to delete a customer gateway a connection uses, then deletes it with 204 once it is free', async () => {
    const vgw = await server.huawei.call('POST', '/vpn-gateways', {
      vpn_gateway: {
        vpc_id: 'cb4a631d-1b2c-4d3e-8f40-ca3fa348c36c',
        local_subnets: ['10.0.0.0/24'],
        connect_subnet: 'f5741286-5a6b-4c7d-8e9f-2c82bd9ee114',
      },
    });
    const g = (await server.huawei.call('GET', `/vpn-gateways/${vgw.body.vpn_gateway.id}`)).body.vpn_gateway;
    const c = await createCgw();
    const conn = await server.huawei.call('POST', '/vpn-connection', {
      vpn_connection: { vgw_id: g.id, vgw_ip: g.eip1.id, cgw_id: c.id, peer_subnets: ['192.168.0.0/24'], psk: 'Abcdefgh1234' },
    });
    assert.equal(conn.status, 201, conn.errorMsg);
    assertError(
      await server.huawei.call('DELETE', `/customer-gateways/${c.id}`),
      400,
      'VPN.0001',
      `invalid request: customer gateway ${c.id} has connection`,
    );
    assert.equal((await server.huawei.call('GET', `/customer-gateways/${c.id}`)).status, 200);
    assert.equal((await server.huawei.call('DELETE', `/vpn-connection/${conn.body.vpn_connection.id}`)).status, 204);
    assert.equal((await server.huawei.call('DELETE', `/customer-gateways/${c.id}`)).status, 204);
    assertError(
      await server.huawei.call('GET', `/customer-gateways/${c.id}`),
      404,
      'VPN.0004',
      `resource not found: customer gateway ${c.id} does not exist`,
    );
    assertError(
      await server.huawei.call('DELETE', `/customer-gateways/${c.id}`),
      404,
      'VPN.0004',
      `resource not found: customer gateway ${c.id} does not exist`,
    );
  });
});
