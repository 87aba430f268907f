// Every validation rule of the VPN connection operations answers 400 VPN.0001 with a message
// naming the field, and nothing is stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CustomerGateway, VpnGateway } from '../src/domain/entities.ts';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

let server: TestServer;
let gateway: VpnGateway;
let cgw: CustomerGateway;

before(async () => {
  server = await startTestServer();
  ({ gateway, cgw } = await gatewayPair(server));
});
after(() => server.close());

const cases: [string, Record<string, unknown>, string][] = [
  [
    'a name with a space',
    { name: 'my vpn' },
    'vpn_connection.name name must be 1 to 64 characters of letters, digits, underscores (_), hyphens (-) and periods (.)',
  ],
  [
    'a name of 65 characters',
    { name: 'a'.repeat(65) },
    'vpn_connection.name name must be 1 to 64 characters of letters, digits, underscores (_), hyphens (-) and periods (.)',
  ],
  [
    'an unknown style',
    { style: 'route' },
    'vpn_connection.style must be one of policy, static, bgp, policy-template, POLICY, STATIC, BGP, POLICY-TEMPLATE',
  ],
  [
    'a peer subnet that is not a CIDR',
    { peer_subnets: ['192.168.0.0/33'] },
    'vpn_connection.peer_subnets.0 must be a CIDR block such as 192.168.0.0/24',
  ],
  [
    'a peer subnet with host bits',
    { peer_subnets: ['192.168.0.1/24'] },
    'vpn_connection.peer_subnets.0 must be a CIDR block such as 192.168.0.0/24',
  ],
  [
    'an IKE lifetime of 59 s',
    { ikepolicy: { lifetime_seconds: 59 } },
    'vpn_connection.ikepolicy.lifetime_seconds must be an integer from 60 to 604800',
  ],
  [
    'an IKE lifetime of 604801 s',
    { ikepolicy: { lifetime_seconds: 604801 } },
    'vpn_connection.ikepolicy.lifetime_seconds must be an integer from 60 to 604800',
  ],
  [
    'an IPsec lifetime of 29 s',
    { ipsecpolicy: { lifetime_seconds: 29 } },
    'vpn_connection.ipsecpolicy.lifetime_seconds must be an integer from 30 to 604800',
  ],
  [
    'a fractional lifetime',
    { ipsecpolicy: { lifetime_seconds: 3600.5 } },
    'vpn_connection.ipsecpolicy.lifetime_seconds must be an integer from 30 to 604800',
  ],
  ['a DPD timeout of 1 s', { ikepolicy: { dpd: { timeout: 1 } } }, 'vpn_connection.ikepolicy.dpd.timeout must be an integer from 2 to 60'],
  [
    'a DPD timeout of 61 s',
    { ikepolicy: { dpd: { timeout: 61 } } },
    'vpn_connection.ikepolicy.dpd.timeout must be an integer from 2 to 60',
  ],
  [
    'a DPD interval of 9 s',
    { ikepolicy: { dpd: { interval: 9 } } },
    'vpn_connection.ikepolicy.dpd.interval must be an integer from 10 to 3600',
  ],
  [
    'a DPD interval of 3601 s',
    { ikepolicy: { dpd: { interval: 3601 } } },
    'vpn_connection.ikepolicy.dpd.interval must be an integer from 10 to 3600',
  ],
  [
    'an unknown DPD msg',
    { ikepolicy: { dpd: { msg: 'hash' } } },
    'vpn_connection.ikepolicy.dpd.msg must be one of seq-hash-notify, seq-notify-hash',
  ],
  ['an unknown IKE version', { ikepolicy: { ike_version: 'v3' } }, 'vpn_connection.ikepolicy.ike_version must be one of v1, v2'],
  [
    'an unknown encryption algorithm',
    { ikepolicy: { encryption_algorithm: 'aes-512' } },
    'vpn_connection.ikepolicy.encryption_algorithm must be one of aes-128, aes-192, aes-256, aes-128-gcm-16, aes-256-gcm-16, 3des, sm4',
  ],
  [
    'an unknown DH group',
    { ikepolicy: { dh_group: 'group22' } },
    'vpn_connection.ikepolicy.dh_group must be one of group1, group2, group5, group14, group15, group16, group19, group20, group21',
  ],
  [
    'an unknown PFS group',
    { ipsecpolicy: { pfs: 'group3' } },
    'vpn_connection.ipsecpolicy.pfs must be one of group1, group2, group5, group14, group15, group16, group19, group20, group21, disable',
  ],
  [
    'a transform protocol other than esp',
    { ipsecpolicy: { transform_protocol: 'ah' } },
    'vpn_connection.ipsecpolicy.transform_protocol must be one of esp',
  ],
  [
    'an fqdn local id type without a local id',
    { ikepolicy: { local_id_type: 'fqdn' } },
    'vpn_connection.ikepolicy.local_id is required when vpn_connection.ikepolicy.local_id_type is fqdn',
  ],
  [
    'a rule_index of 51',
    { policy_rules: [{ rule_index: 51, source: '10.0.0.0/24', destination: ['192.168.0.0/24'] }] },
    'vpn_connection.policy_rules.0.rule_index must be an integer from 0 to 50',
  ],
  [
    'a rule with 51 destinations',
    { policy_rules: [{ rule_index: 1, source: '10.0.0.0/24', destination: Array.from({ length: 51 }, (_, i) => `192.168.${i}.0/24`) }] },
    'vpn_connection.policy_rules.0.destination has too many items (at most 50)',
  ],
  [
    'a rule without destinations',
    { policy_rules: [{ rule_index: 1, source: '10.0.0.0/24', destination: [] }] },
    'vpn_connection.policy_rules.0.destination needs at least 1 item(s)',
  ],
  [
    'a rule source that is not a CIDR',
    { policy_rules: [{ rule_index: 1, source: '10.0.0.300/24', destination: ['192.168.0.0/24'] }] },
    'vpn_connection.policy_rules.0.source must be a CIDR block such as 192.168.0.0/24',
  ],
  [
    'two rules with the same index',
    { policy_rules: [1, 1].map((i) => ({ rule_index: i, source: '10.0.0.0/24', destination: ['192.168.0.0/24'] })) },
    'duplicate rule_index 1',
  ],
  [
    'a tag key of 129 characters',
    { tags: [{ key: 'k'.repeat(129), value: 'v' }] },
    'vpn_connection.tags.0.key must be 1 to 128 letters, digits, spaces or _ . : = + - @',
  ],
  [
    'a tag value of 256 characters',
    { tags: [{ key: 'k', value: 'v'.repeat(256) }] },
    'vpn_connection.tags.0.value must be 0 to 255 letters, digits, spaces or _ . : = + - @',
  ],
  [
    'a tag key with a forbidden character',
    { tags: [{ key: 'a/b', value: 'v' }] },
    'vpn_connection.tags.0.key must be 1 to 128 letters, digits, spaces or _ . : = + - @',
  ],
  ['a PSK of 7 characters', { psk: 'Abc12' + 'd' }, 'vpn_connection.psk must be 8 to 128 characters'],
  [
    'a PSK of only lower-case letters',
    { psk: 'abcdefghij' },
    'vpn_connection.psk must contain at least three of: upper-case letters, lower-case letters, digits and special characters',
  ],
  [
    'a tunnel address outside 169.254.0.0/16',
    { style: 'static', tunnel_local_address: '10.0.0.1/30', tunnel_peer_address: '10.0.0.2/30' },
    'vpn_connection.tunnel_local_address must be an address in 169.254.0.0/16 with prefix /30, such as 169.254.56.225/30',
  ],
  [
    'tunnel addresses in different /30 blocks',
    { style: 'static', tunnel_local_address: '169.254.1.1/30', tunnel_peer_address: '169.254.1.6/30' },
    'vpn_connection.tunnel_local_address and vpn_connection.tunnel_peer_address must be two different addresses of the same /30',
  ],
  [
    'only one tunnel address',
    { style: 'static', tunnel_local_address: '169.254.1.1/30' },
    'vpn_connection.tunnel_local_address and vpn_connection.tunnel_peer_address must be given together',
  ],
  ['an unknown field', { colour: 'blue' }, 'vpn_connection.colour is not a valid field'],
  ['enable_nqa that is not a boolean', { enable_nqa: 'yes' }, 'vpn_connection.enable_nqa must be true or false'],
  ['an unknown ha_role', { ha_role: 'backup' }, 'vpn_connection.ha_role must be one of master, slave'],
  ['a policy connection without peer subnets', { peer_subnets: undefined }, 'vpn_connection.peer_subnets is required when style is POLICY'],
  ['a vgw_ip that is not an IP of the gateway', { vgw_ip: '192.0.2.1' }, '192.0.2.1 is not an IP of VPN gateway GATEWAY'],
  [
    'an enterprise project other than the gateway one',
    { enterprise_project_id: 'abc' },
    'enterprise_project_id must be the same as that of the VPN gateway',
  ],
];

describe('POST /v5/{project_id}/vpn-connection validation', () => {
  for (const [what, extra, message] of cases) {
    it(`refuses ${what} with VPN.0001`, async () => {
      const r = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw, extra));
      assert.equal(r.status, 400);
      assert.equal(r.errorCode, 'VPN.0001');
      assert.equal(r.errorMsg, `invalid request: ${message.replace('GATEWAY', gateway.id)}`);
    });
  }

  it('refuses a body without vpn_connection', async () => {
    const r = await server.huawei.call('POST', '/vpn-connection', { connection: {} });
    assert.equal(r.status, 400);
    assert.equal(r.errorMsg, 'invalid request: vpn_connection is required');
  });

  it('refuses a missing cgw_id', async () => {
    const body = connectionBody(gateway, cgw);
    delete (body.vpn_connection as Record<string, unknown>).cgw_id;
    const r = await server.huawei.call('POST', '/vpn-connection', body);
    assert.equal(r.errorMsg, 'invalid request: vpn_connection.cgw_id is required');
  });

  it('answers 404 VPN.0004 for an unknown gateway or customer gateway', async () => {
    const noGw = await server.huawei.call(
      'POST',
      '/vpn-connection',
      connectionBody({ ...gateway, id: 'b32d91a4-0000-4000-8000-e907174eb11d' }, cgw),
    );
    assert.equal(noGw.status, 404);
    assert.equal(noGw.errorCode, 'VPN.0004');
    assert.equal(noGw.errorMsg, 'resource not found: vpn gateway b32d91a4-0000-4000-8000-e907174eb11d does not exist');
    const noCgw = await server.huawei.call(
      'POST',
      '/vpn-connection',
      connectionBody(gateway, { ...cgw, id: '5247ae10-0000-4000-8000-dd36659a7f5d' }),
    );
    assert.equal(noCgw.status, 404);
    assert.equal(noCgw.errorMsg, 'resource not found: customer gateway 5247ae10-0000-4000-8000-dd36659a7f5d does not exist');
  });

  it('answers 400 for malformed JSON and for an oversized body, never 500', async () => {
    const path = `/v5/${TEST_PROJECT}/vpn-connection`;
    const signed = signHuawei({ endpoint: server.endpoint, method: 'POST', path, ak: TEST_AK, sk: TEST_SK, data: { x: 1 } });
    // The signature covers the body, so sign the broken bytes themselves.
    const broken = await sendSignedRaw(path, '{"vpn_connection": {');
    assert.equal(broken.status, 400);
    assert.deepEqual([broken.json.error_code, broken.json.error_msg], ['VPN.0001', 'invalid request: the request body is not valid JSON']);
    const huge = await send({ ...signed, body: JSON.stringify({ vpn_connection: { name: 'x'.repeat(2 * 1024 * 1024) } }) });
    assert.equal(huge.status, 400);
    assert.deepEqual([huge.json.error_code, huge.json.error_msg], ['VPN.0001', 'invalid request: the request body is too large']);
  });

  it('stores nothing after a refused request', async () => {
    const before = await server.huawei.call('GET', '/vpn-connection');
    await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw, { ikepolicy: { lifetime_seconds: 1 } }));
    const after = await server.huawei.call('GET', '/vpn-connection');
    assert.equal(after.body.total_count, before.body.total_count);
  });
});

async function sendSignedRaw(path: string, body: string) {
  return send(signHuawei({ endpoint: server.endpoint, method: 'POST', path, ak: TEST_AK, sk: TEST_SK, rawBody: body }));
}
