// GET /v5/{project_id}/vpn/quotas through the real AK/SK signer: the configured quotas beside real,
// project-scoped counts that go up on create and down on delete.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, TEST_AK, type TestServer } from './support/server.ts';

const VPC = 'cb4a631d-1b2c-4d3e-8f40-ca3fa348c36c';
const SUBNET = 'f5741286-5a6b-4c7d-8e9f-2c82bd9ee114';

let server: TestServer;
before(async () => (server = await startTestServer({ quotas: { gateways: 2, customerGateways: 3, connections: 4 } })));
after(() => server.close());

async function used(projectId?: string): Promise<Record<string, number>> {
  const r = await server.huawei.call('GET', '/vpn/quotas', undefined, {}, projectId);
  assert.equal(r.status, 200, r.errorMsg);
  return Object.fromEntries(r.body.quotas.resources.map((q: { type: string; used: number }) => [q.type, q.used]));
}

async function createGateway(): Promise<any> {
  const r = await server.huawei.call('POST', '/vpn-gateways', {
    vpn_gateway: { vpc_id: VPC, local_subnets: ['10.0.0.0/24'], connect_subnet: SUBNET },
  });
  assert.equal(r.status, 201, r.errorMsg);
  return (await server.huawei.call('GET', `/vpn-gateways/${r.body.vpn_gateway.id}`)).body.vpn_gateway;
}

async function createCgw(ip: string): Promise<string> {
  const r = await server.huawei.call('POST', '/customer-gateways', { customer_gateway: { id_value: ip } });
  assert.equal(r.status, 201, r.errorMsg);
  return r.body.customer_gateway.id;
}

describe('GET /v5/{project_id}/vpn/quotas', () => {
  it('answers the configured quotas with nothing used on a fresh project, in the reference shape', async () => {
    const r = await server.huawei.call('GET', '/vpn/quotas');
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ['quotas', 'request_id']);
    assert.deepEqual(r.body.quotas, {
      resources: [
        { type: 'customer_gateway', quota: 3, used: 0 },
        { type: 'vpn_connection', quota: 4, used: 0 },
        { type: 'vpn_gateway', quota: 2, used: 0 },
      ],
    });
  });

  it('counts every resource up as it is created and down as it is deleted', async () => {
    const g = await createGateway();
    assert.deepEqual(await used(), { customer_gateway: 0, vpn_connection: 0, vpn_gateway: 1 });
    const [a, b] = [await createCgw('198.51.100.1'), await createCgw('198.51.100.2')];
    assert.deepEqual(await used(), { customer_gateway: 2, vpn_connection: 0, vpn_gateway: 1 });
    const connections: string[] = [];
    for (const [eip, cgw] of [
      ['eip1', a],
      ['eip2', a],
      ['eip1', b],
    ] as const) {
      const body = {
        vpn_connection: { vgw_id: g.id, vgw_ip: g[eip].id, cgw_id: cgw, peer_subnets: ['192.168.0.0/24'], psk: 'Abcdefgh1234' },
      };
      const r = await server.huawei.call('POST', '/vpn-connection', body);
      assert.equal(r.status, 201, r.errorMsg);
      connections.push(r.body.vpn_connection.id);
    }
    assert.deepEqual(await used(), { customer_gateway: 2, vpn_connection: 3, vpn_gateway: 1 });
    for (const id of connections) assert.equal((await server.huawei.call('DELETE', `/vpn-connection/${id}`)).status, 204);
    assert.deepEqual(await used(), { customer_gateway: 2, vpn_connection: 0, vpn_gateway: 1 });
    assert.equal((await server.huawei.call('DELETE', `/customer-gateways/${a}`)).status, 204);
    assert.equal((await server.huawei.call('DELETE', `/customer-gateways/${b}`)).status, 204);
    assert.equal((await server.huawei.call('DELETE', `/vpn-gateways/${g.id}`)).status, 204);
    assert.deepEqual(await used(), { customer_gateway: 0, vpn_connection: 0, vpn_gateway: 0 });
  });

  it('refuses a create beyond the quota with 400 VPN.0001, and counts no refused create', async () => {
    const gateways = [await createGateway(), await createGateway()];
    const over = await server.huawei.call('POST', '/vpn-gateways', {
      vpn_gateway: { vpc_id: VPC, local_subnets: ['10.0.0.0/24'], connect_subnet: SUBNET },
    });
    assert.deepEqual(
      [over.status, over.errorCode, over.errorMsg],
      [400, 'VPN.0001', 'invalid request: the quota of 2 VPN gateways is used up'],
    );
    const cgws = [await createCgw('198.51.100.3'), await createCgw('198.51.100.4'), await createCgw('198.51.100.5')];
    const overCgw = await server.huawei.call('POST', '/customer-gateways', { customer_gateway: { id_value: '198.51.100.6' } });
    assert.deepEqual(
      [overCgw.status, overCgw.errorCode, overCgw.errorMsg],
      [400, 'VPN.0001', 'invalid request: the quota of 3 customer gateways is used up'],
    );
    assert.deepEqual(await used(), { customer_gateway: 3, vpn_connection: 0, vpn_gateway: 2 });
    for (const id of cgws) await server.huawei.call('DELETE', `/customer-gateways/${id}`);
    for (const g of gateways) await server.huawei.call('DELETE', `/vpn-gateways/${g.id}`);
    assert.deepEqual(await used(), { customer_gateway: 0, vpn_connection: 0, vpn_gateway: 0 });
  });

  it('counts only the resources of the project in the path', async () => {
    const g = await createGateway();
    const other = 'fedcba9876543210fedcba9876543210';
    const key = await server.app.store.getAccessKey(TEST_AK);
    await server.app.store.createProject({
      id: other,
      tenantId: key!.tenantId,
      name: 'other',
      region: 'cn-north-4',
      createdAt: new Date().toISOString(),
    });
    assert.deepEqual(await used(other), { customer_gateway: 0, vpn_connection: 0, vpn_gateway: 0 });
    assert.deepEqual(await used(), { customer_gateway: 0, vpn_connection: 0, vpn_gateway: 1 });
    await server.huawei.call('DELETE', `/vpn-gateways/${g.id}`);
  });

  it('answers 404 VPN.0004 for a project that does not exist', async () => {
    const nowhere = 'cccccccccccccccccccccccccccccccc';
    const r = await server.huawei.call('GET', '/vpn/quotas', undefined, {}, nowhere);
    assert.deepEqual([r.status, r.errorCode, r.errorMsg], [404, 'VPN.0004', `resource not found: project ${nowhere} does not exist`]);
  });
});
