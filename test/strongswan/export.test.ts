// POST /v5/{project_id}/vpn-connection/{id}/peer-configuration/export through the Huawei SDK's
// signer. Needs no charon: the suites beside this one load the answer into a real strongSwan.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectionBody, gatewayPair } from '../support/fixtures.ts';
import { connNames } from '../support/netns.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.close());

const DEVICE = { vendor: 'strongswan', type: 'swanctl', model: 'Linux', version: '5.9' };

async function connection(): Promise<{ id: string; gatewayIp: string; cgwIp: string }> {
  const { gateway, cgw } = await gatewayPair(server);
  const r = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw, { psk: 'Export.Key-0001' }));
  assert.equal(r.status, 201, r.errorMsg);
  return { id: r.body.vpn_connection.id, gatewayIp: gateway.outsideIps[0].ip, cgwIp: cgw.idValue };
}

describe('POST vpn-connection/{id}/peer-configuration/export', () => {
  it('answers {peer_config, request_id} with a swanctl.conf for the customer side and no PSK', async () => {
    const { id, gatewayIp, cgwIp } = await connection();
    const r = await server.huawei.call('POST', `/vpn-connection/${id}/peer-configuration/export`, DEVICE);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body).sort(), ['peer_config', 'request_id']);
    const config: string = r.body.peer_config;
    assert.deepEqual(connNames(config), [`${id.replace(/[^A-Za-z0-9_-]/g, '_')}-tunnel1`]);
    assert.match(config, new RegExp(`^ +local_addrs = ${cgwIp}$`, 'm'));
    assert.match(config, new RegExp(`^ +remote_addrs = ${gatewayIp}$`, 'm'));
    assert.match(config, /secret = "REPLACE_WITH_TUNNEL1_PSK"/);
    assert.equal(config.includes('Export.Key-0001'), false);
  });

  it('takes the vendor in any case', async () => {
    const { id } = await connection();
    const r = await server.huawei.call('POST', `/vpn-connection/${id}/peer-configuration/export`, { ...DEVICE, vendor: 'strongSwan' });
    assert.equal(r.status, 200);
  });

  it('refuses a vendor it cannot write for, and a body without the device fields', async () => {
    const { id } = await connection();
    const other = await server.huawei.call('POST', `/vpn-connection/${id}/peer-configuration/export`, { ...DEVICE, vendor: 'Cisco' });
    assert.equal(other.status, 400);
    assert.equal(other.errorCode, 'VPN.0001');
    assert.equal(other.errorMsg, 'invalid request: vendor Cisco is not supported; supported vendors: strongswan');
    for (const vendor of ['constructor', '__proto__', 'toString']) {
      const inherited = await server.huawei.call('POST', `/vpn-connection/${id}/peer-configuration/export`, { ...DEVICE, vendor });
      assert.deepEqual(
        [inherited.status, inherited.errorMsg],
        [400, `invalid request: vendor ${vendor} is not supported; supported vendors: strongswan`],
      );
    }
    const missing = await server.huawei.call('POST', `/vpn-connection/${id}/peer-configuration/export`, { vendor: 'strongswan' });
    assert.equal(missing.status, 400);
    assert.equal(missing.errorMsg, 'invalid request: type is required');
  });

  it('answers 404 for an unknown connection', async () => {
    const r = await server.huawei.call('POST', '/vpn-connection/7c4bd0c5-1c1e-4b79-9b3f-1f2f0c0c0c0c/peer-configuration/export', DEVICE);
    assert.equal(r.status, 404);
    assert.equal(r.errorCode, 'VPN.0004');
  });
});
