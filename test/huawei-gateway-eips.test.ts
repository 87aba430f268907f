// A VPN gateway made with new EIPs shows them back as the client asked for them (type, charge
// mode, bandwidth size and name) on create, show and list, through the Huawei SDK's signer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './support/server.ts';

const VPC = 'cb4a631d-1b2c-4d3e-8f40-ca3fa348c36c';
const SUBNET = 'f5741286-5a6b-4c7d-8e9f-2c82bd9ee114';

let server: TestServer;
before(async () => (server = await startTestServer({ regions: ['cn-north-4'] })));
after(() => server.close());

const body = (extra: Record<string, unknown>) => ({
  vpn_gateway: { vpc_id: VPC, local_subnets: ['192.168.10.0/24'], connect_subnet: SUBNET, flavor: 'Professional2', ...extra },
});

const asked = (eip: Record<string, unknown>) => [eip.type, eip.charge_mode, eip.bandwidth_size, eip.bandwidth_name];

describe('EIPs given with a new VPN gateway', () => {
  it('shows type, charge_mode, bandwidth_size and bandwidth_name back as asked on show and list', async () => {
    const eip1 = { type: '5_sbgp', charge_mode: 'traffic', bandwidth_size: 20, bandwidth_name: 'office-uplink-1' };
    const eip2 = { type: '5_bgp', charge_mode: 'bandwidth', bandwidth_size: 500, bandwidth_name: 'office-uplink-2' };
    const created = await server.huawei.call('POST', '/vpn-gateways', body({ name: 'eips-asked', eip1, eip2 }));
    assert.equal(created.status, 201, created.errorMsg);
    const id = created.body.vpn_gateway.id;
    const shown = (await server.huawei.call('GET', `/vpn-gateways/${id}`)).body.vpn_gateway;
    assert.deepEqual(asked(shown.eip1), ['5_sbgp', 'traffic', 20, 'office-uplink-1']);
    assert.deepEqual(asked(shown.eip2), ['5_bgp', 'bandwidth', 500, 'office-uplink-2']);
    const listed = (await server.huawei.call('GET', '/vpn-gateways')).body.vpn_gateways.find((g: { id: string }) => g.id === id);
    assert.deepEqual([asked(listed.eip1), asked(listed.eip2)], [asked(shown.eip1), asked(shown.eip2)]);
  });

  it('keeps sitevpn defaults only for what was not given', async () => {
    const created = await server.huawei.call('POST', '/vpn-gateways', body({ eip1: { type: '5_bgp', bandwidth_size: 50 } }));
    const g = (await server.huawei.call('GET', `/vpn-gateways/${created.body.vpn_gateway.id}`)).body.vpn_gateway;
    assert.deepEqual([g.eip1.type, g.eip1.charge_mode, g.eip1.bandwidth_size], ['5_bgp', 'bandwidth', 50]);
    assert.match(g.eip1.bandwidth_name, /^vpngw-bandwidth-[0-9a-f]{4}$/);
    assert.deepEqual([g.eip2.bandwidth_size, g.eip2.charge_mode], [1000, 'bandwidth'], 'eip2 was not given: the flavor maximum');
  });

  it('shows a given bandwidth_id back', async () => {
    const bandwidthId = '3c4d5e6f-1111-4222-8333-444455556666';
    const created = await server.huawei.call('POST', '/vpn-gateways', body({ eip1: { type: '5_bgp', bandwidth_id: bandwidthId } }));
    const g = (await server.huawei.call('GET', `/vpn-gateways/${created.body.vpn_gateway.id}`)).body.vpn_gateway;
    assert.equal(g.eip1.bandwidth_id, bandwidthId);
  });

  it('refuses an EIP id combined with new-EIP parameters with 400 VPN.0559', async () => {
    const r = await server.huawei.call('POST', '/vpn-gateways', body({ eip1: { id: VPC, type: '5_bgp' } }));
    assert.deepEqual([r.status, r.errorCode, r.errorMsg], [400, 'VPN.0559', 'EIP parameter conflict.']);
  });
});
