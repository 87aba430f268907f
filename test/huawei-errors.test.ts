// Huawei's error table, one class at a time: each domain error reaches a Huawei client (through
// the SDK's signer) with the status, error_code and words Huawei documents for it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataplaneDriver } from '../src/dataplane/driver.ts';
import { SimulatedDriver } from '../src/dataplane/simulated/engine/simulated-driver.ts';
import { DOMAIN_ERRORS } from '../src/dialects/huawei-vpn/errors.ts';
import { DomainError } from '../src/domain/errors.ts';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { type HeldServer, startHeldServer } from './support/held.ts';
import { HuaweiTestClient } from './support/huawei-client.ts';
import { startTestServer, TEST_PROJECT, type TestServer } from './support/server.ts';

const VPC = 'cb4a631d-1b2c-4d3e-8f40-ca3fa348c36c';
const SUBNET = 'f5741286-5a6b-4c7d-8e9f-2c82bd9ee114';
const GONE = '5a8c6b39-0000-4000-8000-000000000000';
const gatewayBody = { vpn_gateway: { vpc_id: VPC, local_subnets: ['10.0.0.0/24'], connect_subnet: SUBNET } };

let server: HeldServer;
before(async () => (server = await startHeldServer()));
after(() => server.close());

const triple = (r: { status: number; errorCode?: string; errorMsg?: string }) => [r.status, r.errorCode, r.errorMsg];

describe('the Huawei error table', () => {
  it('has a Huawei code for every domain error code', () => {
    const codes = Object.fromEntries(Object.entries(DOMAIN_ERRORS).map(([k, v]) => [k, `${v.status} ${v.code}`]));
    assert.deepEqual(codes, {
      InvalidParameter: '400 VPN.0001',
      MissingParameter: '400 VPN.0001',
      InvalidParameterCombination: '400 VPN.0001',
      NotFound: '404 VPN.0004',
      Unauthorized: '403 VPN.0003',
      IncorrectState: '400 VPN.0030',
      Duplicate: '400 VPN.0031',
      InUse: '400 VPN.0001',
      QuotaExceeded: '400 VPN.0001',
      Unsupported: '400 VPN.0562',
    });
  });

  it('answers an invalid parameter with 400 VPN.0001 "invalid request: ..."', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const r = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw, { psk: 'alllowercase' }));
    assert.deepEqual(triple(r), [
      400,
      'VPN.0001',
      'invalid request: vpn_connection.psk must contain at least three of: upper-case letters, lower-case letters, digits and special characters',
    ]);
  });

  it('answers an unknown resource with 404 VPN.0004 "resource not found: ..."', async () => {
    const r = await server.huawei.call('GET', `/customer-gateways/${GONE}`);
    assert.deepEqual(triple(r), [404, 'VPN.0004', `resource not found: customer gateway ${GONE} does not exist`]);
  });

  it('answers a resource in a pending state with 400 VPN.0030 "The system is busy, please try later."', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    // The data plane is held, so the new connection stays PENDING_CREATE.
    const id = (await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection.id;
    const update = await server.huawei.call('PUT', `/vpn-connection/${id}`, { vpn_connection: { name: 'early' } });
    assert.deepEqual(triple(update), [400, 'VPN.0030', 'The system is busy, please try later.']);
  });

  it('answers a customer gateway still in use with 400 VPN.0001 "... has connection", as Huawei words it', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw));
    const r = await server.huawei.call('DELETE', `/customer-gateways/${cgw.id}`);
    assert.deepEqual(triple(r), [400, 'VPN.0001', `invalid request: customer gateway ${cgw.id} has connection`]);
  });

  it('answers a second connection of the same peer pair with 400 VPN.0031 "Repeated operation."', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    assert.equal((await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).status, 201);
    const r = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw));
    assert.deepEqual(triple(r), [400, 'VPN.0031', 'Repeated operation.']);
  });

  it('names the Huawei IAM action a read-only key lacks, never an EC2 action', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const id = (await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection.id;
    const key = await server.app.services.tenants.createKey(undefined, 'read-only', 'reader');
    const reader = new HuaweiTestClient(server.endpoint, key.accessKeyId, key.secret, TEST_PROJECT);
    const r = await reader.call('PUT', `/vpn-connection/${id}`, { vpn_connection: { name: 'renamed' } });
    assert.deepEqual(triple(r), [
      403,
      'VPN.0003',
      "Authentication failed: Policy doesn't allow vpn:vpnConnections:update to be performed.",
    ]);
    assert.ok(!r.errorMsg!.includes('ModifyVpnConnection'));
    const create = await reader.call('POST', '/vpn-gateways', gatewayBody);
    assert.deepEqual(triple(create), [
      403,
      'VPN.0003',
      "Authentication failed: Policy doesn't allow vpn:vpnGateways:create to be performed.",
    ]);
  });
});

describe('quotas', () => {
  let small: TestServer;
  before(
    async () =>
      (small = await startTestServer({ quotas: { gateways: 1, customerGateways: 5, connections: 5 }, outsideIpPool: '203.0.113.0/30' })),
  );
  after(() => small.close());

  it('answers a used-up resource quota with 400 VPN.0001 "invalid request: ..."', async () => {
    assert.equal((await small.huawei.call('POST', '/vpn-gateways', gatewayBody)).status, 201);
    const over = await small.huawei.call('POST', '/vpn-gateways', gatewayBody);
    assert.deepEqual(triple(over), [400, 'VPN.0001', 'invalid request: the quota of 1 VPN gateways is used up']);
  });

  it('answers an outside IP pool with no free address with 400 VPN.0560 "EIP quota not enough."', async () => {
    const roomy = await startTestServer({ quotas: { gateways: 5, customerGateways: 5, connections: 5 }, outsideIpPool: '203.0.113.0/30' });
    try {
      assert.equal((await roomy.huawei.call('POST', '/vpn-gateways', gatewayBody)).status, 201);
      const r = await roomy.huawei.call('POST', '/vpn-gateways', gatewayBody);
      assert.deepEqual(triple(r), [400, 'VPN.0560', 'EIP quota not enough.']);
    } finally {
      await roomy.close();
    }
  });
});

describe('what the data plane cannot do', () => {
  it('answers with 400 VPN.0562 and says what to choose instead', async () => {
    const inner = new SimulatedDriver(server.clock, { negotiationDelayMs: 10 });
    const picky: DataplaneDriver = {
      name: 'picky',
      validate: (intent) =>
        intent.config.ike.encryption.includes('aes256-cbc')
          ? new DomainError('Unsupported', 'the picky data plane cannot use encryption aes256-cbc; choose aes128-cbc', {
              field: 'ike.encryption',
            })
          : null,
      start: (listener) => inner.start(listener),
      apply: (intent) => inner.apply(intent),
      remove: (id) => inner.remove(id),
      stop: () => inner.stop(),
    };
    const other = await startTestServer({}, { clock: server.clock, dataplane: picky });
    try {
      const { gateway, cgw } = await gatewayPair(other);
      const r = await other.huawei.call(
        'POST',
        '/vpn-connection',
        connectionBody(gateway, cgw, { ikepolicy: { encryption_algorithm: 'aes-256' } }),
      );
      assert.deepEqual(triple(r), [
        400,
        'VPN.0562',
        'The current gateway version does not support this feature: the picky data plane cannot use encryption aes256-cbc; choose aes128-cbc',
      ]);
      assert.equal((await other.huawei.call('GET', '/vpn-connection')).body.total_count, 0);
    } finally {
      await other.close();
    }
  });
});
