// The seed document 003_1063d6853a9a2e82: GET /v5/{project_id}/vpn-connection/{id}, field by field.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { eventually, startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.close());

async function activeConnection(id: string) {
  return eventually(async () => {
    const r = await server.huawei.call('GET', `/vpn-connection/${id}`);
    return r.body?.vpn_connection.status === 'ACTIVE' && r.body;
  });
}

describe('GET /v5/{project_id}/vpn-connection/{id}', () => {
  it('renders a policy-based IKEv2 connection exactly as the seed describes', async () => {
    const { gateway, cgw } = await gatewayPair(server, {}, '88.10.20.164');
    const created = await server.huawei.call(
      'POST',
      '/vpn-connection',
      connectionBody(gateway, cgw, {
        name: 'vpn-1655',
        policy_rules: [{ rule_index: 1, source: '10.0.0.0/24', destination: ['192.168.0.0/24'] }],
        ikepolicy: { dh_group: 'group15' },
      }),
    );
    assert.equal(created.status, 201);
    assert.equal(created.body.vpn_connection.status, 'PENDING_CREATE');
    const body = await activeConnection(created.body.vpn_connection.id);
    const c = body.vpn_connection;
    assert.match(c.id, UUID);
    assert.match(body.request_id, UUID);
    assert.match(c.created_at, ISO);
    assert.match(c.updated_at, ISO);
    assert.deepEqual(Object.keys(c), [
      'id',
      'name',
      'status',
      'vgw_id',
      'vgw_ip',
      'style',
      'cgw_id',
      'peer_subnets',
      'policy_rules',
      'ikepolicy',
      'ipsecpolicy',
      'created_at',
      'updated_at',
      'enterprise_project_id',
      'ha_role',
    ]);
    assert.deepEqual(c, {
      id: c.id,
      name: 'vpn-1655',
      status: 'ACTIVE',
      vgw_id: gateway.id,
      vgw_ip: gateway.outsideIps[0].id,
      style: 'POLICY',
      cgw_id: cgw.id,
      peer_subnets: ['192.168.0.0/24'],
      policy_rules: [{ rule_index: 1, source: '10.0.0.0/24', destination: ['192.168.0.0/24'] }],
      ikepolicy: {
        ike_version: 'v2',
        authentication_algorithm: 'sha2-256',
        encryption_algorithm: 'aes-128',
        dh_group: 'group15',
        authentication_method: 'pre-share',
        lifetime_seconds: 86400,
        local_id_type: 'ip',
        local_id: gateway.outsideIps[0].ip,
        peer_id_type: 'ip',
        peer_id: '88.10.20.164',
        dpd: { timeout: 15, interval: 30, msg: 'seq-hash-notify' },
      },
      ipsecpolicy: {
        authentication_algorithm: 'sha2-256',
        encryption_algorithm: 'aes-128',
        pfs: 'group15',
        transform_protocol: 'esp',
        lifetime_seconds: 3600,
        encapsulation_mode: 'tunnel',
      },
      created_at: c.created_at,
      updated_at: c.updated_at,
      enterprise_project_id: '0',
      ha_role: 'master',
    });
  });

  it('shows tunnel addresses and enable_nqa for STATIC, and no policy_rules', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const created = await server.huawei.call(
      'POST',
      '/vpn-connection',
      connectionBody(gateway, cgw, {
        style: 'static',
        tunnel_local_address: '169.254.56.225/30',
        tunnel_peer_address: '169.254.56.226/30',
        enable_nqa: true,
      }),
    );
    assert.equal(created.status, 201);
    const c = created.body.vpn_connection;
    assert.equal(c.style, 'STATIC');
    assert.equal(c.tunnel_local_address, '169.254.56.225/30');
    assert.equal(c.tunnel_peer_address, '169.254.56.226/30');
    assert.equal(c.enable_nqa, true);
    assert.equal('policy_rules' in c, false);
    assert.deepEqual(c.peer_subnets, ['192.168.0.0/24']);
  });

  it('shows tunnel addresses for BGP but neither enable_nqa nor policy_rules', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const created = await server.huawei.call(
      'POST',
      '/vpn-connection',
      connectionBody(gateway, cgw, { style: 'BGP', peer_subnets: undefined }),
    );
    assert.equal(created.status, 201);
    const c = created.body.vpn_connection;
    assert.equal(c.style, 'BGP');
    assert.match(c.tunnel_local_address, /^169\.254\.\d+\.\d+\/30$/);
    assert.match(c.tunnel_peer_address, /^169\.254\.\d+\.\d+\/30$/);
    assert.equal('enable_nqa' in c, false);
    assert.equal('policy_rules' in c, false);
  });

  it('hides peer_subnets for an ER-attached gateway with style BGP', async () => {
    const { gateway, cgw } = await gatewayPair(server, { attachmentType: 'er', erId: 'er-1' });
    const created = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw, { style: 'bgp' }));
    assert.equal(created.status, 201);
    assert.equal('peer_subnets' in created.body.vpn_connection, false);
  });

  it('shows phase1_negotiation_mode only for IKEv1', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const v1 = await server.huawei.call(
      'POST',
      '/vpn-connection',
      connectionBody(gateway, cgw, { ikepolicy: { ike_version: 'v1', phase1_negotiation_mode: 'aggressive' } }),
    );
    assert.equal(v1.body.vpn_connection.ikepolicy.phase1_negotiation_mode, 'aggressive');
    assert.deepEqual(Object.keys(v1.body.vpn_connection.ikepolicy).slice(0, 2), ['ike_version', 'phase1_negotiation_mode']);
    const other = await gatewayPair(server);
    const v2 = await server.huawei.call(
      'POST',
      '/vpn-connection',
      connectionBody(other.gateway, other.cgw, { ikepolicy: { ike_version: 'v2', phase1_negotiation_mode: 'main' } }),
    );
    assert.equal('phase1_negotiation_mode' in v2.body.vpn_connection.ikepolicy, false);
  });

  it('returns the ids given for fqdn identities', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const r = await server.huawei.call(
      'POST',
      '/vpn-connection',
      connectionBody(gateway, cgw, {
        ikepolicy: { local_id_type: 'fqdn', local_id: 'vpn.example.com', peer_id_type: 'fqdn', peer_id: 'branch.example.com' },
      }),
    );
    const ike = r.body.vpn_connection.ikepolicy;
    assert.deepEqual(
      [ike.local_id_type, ike.local_id, ike.peer_id_type, ike.peer_id],
      ['fqdn', 'vpn.example.com', 'fqdn', 'branch.example.com'],
    );
  });

  it('shows pfs disable and every non-default algorithm in Huawei spelling', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const r = await server.huawei.call(
      'POST',
      '/vpn-connection',
      connectionBody(gateway, cgw, {
        ikepolicy: {
          encryption_algorithm: 'aes-256-gcm-16',
          authentication_algorithm: 'sha2-512',
          dh_group: 'group21',
          lifetime_seconds: 3600,
        },
        ipsecpolicy: { encryption_algorithm: '3des', authentication_algorithm: 'md5', pfs: 'disable', lifetime_seconds: 30 },
        tags: [{ key: 'env', value: 'prod' }],
        ha_role: 'slave',
      }),
    );
    const c = r.body.vpn_connection;
    assert.deepEqual(
      [c.ikepolicy.encryption_algorithm, c.ikepolicy.authentication_algorithm, c.ikepolicy.dh_group, c.ikepolicy.lifetime_seconds],
      ['aes-256-gcm-16', 'sha2-512', 'group21', 3600],
    );
    assert.deepEqual(c.ipsecpolicy, {
      authentication_algorithm: 'md5',
      encryption_algorithm: '3des',
      pfs: 'disable',
      transform_protocol: 'esp',
      lifetime_seconds: 30,
      encapsulation_mode: 'tunnel',
    });
    assert.deepEqual(c.tags, [{ key: 'env', value: 'prod' }]);
    assert.equal(c.ha_role, 'slave');
  });

  it('puts the same request id in the body and the X-Request-Id header, and never the PSK', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const created = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw, { psk: 'Sup3r-Secret-Psk' }));
    const id = created.body.vpn_connection.id;
    const r = await send(
      signHuawei({ endpoint: server.endpoint, method: 'GET', path: `/v5/${TEST_PROJECT}/vpn-connection/${id}`, ak: TEST_AK, sk: TEST_SK }),
    );
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-request-id'), r.json.request_id);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(r.text.includes('Sup3r-Secret-Psk'), false);
    assert.equal(JSON.stringify(created.body).includes('Sup3r-Secret-Psk'), false);
  });

  it('answers 404 VPN.0004 for an unknown connection id', async () => {
    const r = await server.huawei.call('GET', '/vpn-connection/8d1b1d5e-0000-4000-8000-000000000000');
    assert.equal(r.status, 404);
    assert.equal(r.errorCode, 'VPN.0004');
    assert.equal(r.errorMsg, 'resource not found: vpn connection 8d1b1d5e-0000-4000-8000-000000000000 does not exist');
  });
});
