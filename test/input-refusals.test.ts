// Input the clouds refuse, refused in each dialect's own words: a PSK with a control character,
// a customer gateway at an address no peer can have, a repeated query parameter.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateCustomerGatewayCommand,
  CreateVpnConnectionCommand,
  type EC2Client,
  ModifyVpnTunnelOptionsCommand,
} from '@aws-sdk/client-ec2';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

let server: TestServer;
let ec2: EC2Client;
before(async () => {
  server = await startTestServer();
  ec2 = ec2Client(server.endpoint);
});
after(() => server.close());

const CONTROL_PSKS = ['Abcd\u0000efgh123', 'Abcd\nefgh123', 'Abcd\u007fefgh123', 'Abcd\u0085efgh123', 'Abcd\tefgh123'];
const NO_CONTROL = 'the pre-shared key must not contain control characters';

describe('a pre-shared key with a control character', () => {
  it('is refused by the Huawei dialect on create and update', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    for (const psk of CONTROL_PSKS) {
      const r = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw, { psk }));
      assert.deepEqual([r.status, r.errorCode, r.errorMsg], [400, 'VPN.0001', `invalid request: ${NO_CONTROL}`], JSON.stringify(psk));
    }
    const created = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw));
    assert.equal(created.status, 201);
    const r = await server.huawei.call('PUT', `/vpn-connection/${created.body.vpn_connection.id}`, {
      vpn_connection: { psk: CONTROL_PSKS[0] },
    });
    assert.deepEqual([r.status, r.errorCode, r.errorMsg], [400, 'VPN.0001', `invalid request: ${NO_CONTROL}`]);
  });

  it('is refused by the EC2 dialect on create and modify, without echoing the key', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    // EC2's own words (seen in real AWS CLI output); the key is never echoed.
    const reason = 'Value for parameter PreSharedKey is invalid.';
    for (const psk of CONTROL_PSKS) {
      const e = await ec2Failure(
        ec2.send(
          new CreateVpnConnectionCommand({
            Type: 'ipsec.1',
            CustomerGatewayId: cgw.id,
            VpnGatewayId: gateway.id,
            Options: { TunnelOptions: [{ PreSharedKey: psk }] },
          }),
        ),
      );
      assert.deepEqual([e.status, e.name, e.message], [400, 'InvalidParameterValue', reason]);
    }
    const created = await ec2.send(
      new CreateVpnConnectionCommand({
        Type: 'ipsec.1',
        CustomerGatewayId: cgw.id,
        VpnGatewayId: gateway.id,
        Options: { StaticRoutesOnly: true },
      }),
    );
    const connection = created.VpnConnection!;
    const e = await ec2Failure(
      ec2.send(
        new ModifyVpnTunnelOptionsCommand({
          VpnConnectionId: connection.VpnConnectionId!,
          VpnTunnelOutsideIpAddress: connection.Options!.TunnelOptions![0].OutsideIpAddress!,
          TunnelOptions: { PreSharedKey: CONTROL_PSKS[0] },
        }),
      ),
    );
    assert.deepEqual([e.status, e.name, e.message], [400, 'InvalidParameterValue', reason]);
  });

  it('is refused in a device profile of the extension API', async () => {
    const { cgw } = await gatewayPair(server);
    const profile = {
      device_profile: {
        ike_versions: ['v2'],
        ike_proposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dh_groups: [14] }],
        esp_proposals: [{ encryption: ['aes256-gcm16'], integrity: [], pfs_groups: [14] }],
        psk: CONTROL_PSKS[0],
      },
    };
    const path = `/sitevpn/v1/projects/${TEST_PROJECT}/customer-gateways/${cgw.id}/device-profile`;
    const r = await send(signHuawei({ endpoint: server.endpoint, method: 'PUT', path, data: profile, ak: TEST_AK, sk: TEST_SK }));
    assert.deepEqual([r.status, r.json.error_code, r.json.error_msg], [400, 'VPN.0001', `invalid request: device profile: ${NO_CONTROL}`]);
  });
});

const UNREACHABLE: [string, string][] = [
  ['0.0.0.0', 'an unspecified address'],
  ['0.1.2.3', 'an unspecified address'],
  ['127.0.0.1', 'a loopback address'],
  ['127.255.0.9', 'a loopback address'],
  ['255.255.255.255', 'the broadcast address'],
  ['224.0.0.1', 'a multicast address'],
  ['239.255.255.250', 'a multicast address'],
];
// The Huawei dialect checks an ip identity's syntax first, and 0.0.0.0 means "any peer" to charon.
const HUAWEI_ANY = 'invalid request: customer_gateway.id_value must be an IPv4 or IPv6 address (not 0.0.0.0 or ::) when id_type is ip';

describe('a customer gateway address no peer can have', () => {
  it('is refused by the Huawei dialect', async () => {
    for (const [ip, kind] of UNREACHABLE) {
      const r = await server.huawei.call('POST', '/customer-gateways', { customer_gateway: { name: 'bad', id_value: ip } });
      assert.deepEqual(
        [r.status, r.errorCode, r.errorMsg],
        [
          400,
          'VPN.0001',
          ip === '0.0.0.0' ? HUAWEI_ANY : `invalid request: the customer gateway IP address ${ip} is ${kind}; it must be a unicast address`,
        ],
      );
    }
    const ok = await server.huawei.call('POST', '/customer-gateways', { customer_gateway: { name: 'good', id_value: '198.51.100.250' } });
    assert.equal(ok.status, 201);
  });

  it('is refused by the EC2 dialect', async () => {
    for (const [ip, kind] of UNREACHABLE) {
      const e = await ec2Failure(ec2.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: ip, BgpAsn: 65000 })));
      assert.deepEqual(
        [e.status, e.name, e.message],
        [400, 'InvalidParameterValue', `the customer gateway IP address ${ip} is ${kind}; it must be a unicast address`],
      );
    }
    const ok = await ec2.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '198.51.100.251', BgpAsn: 65000 }));
    assert.equal(ok.CustomerGateway?.IpAddress, '198.51.100.251');
  });
});

describe('a repeated query parameter', () => {
  it('is refused by the Huawei dialect', async () => {
    const r = await server.huawei.call('GET', '/vpn-connection', undefined, { limit: ['1', '2'] });
    assert.deepEqual(
      [r.status, r.errorCode, r.errorMsg],
      [400, 'VPN.0001', 'invalid request: the query parameter limit must be given at most once'],
    );
    const marker = await server.huawei.call('GET', '/customer-gateways', undefined, { marker: ['a', 'b'] });
    assert.deepEqual([marker.status, marker.errorMsg], [400, 'invalid request: the query parameter marker must be given at most once']);
  });

  it('is refused by the extension API', async () => {
    const path = `/sitevpn/v1/projects/${TEST_PROJECT}/events`;
    const r = await send(
      signHuawei({ endpoint: server.endpoint, method: 'GET', path, ak: TEST_AK, sk: TEST_SK, query: { limit: ['1', '2'] } }),
    );
    assert.deepEqual(
      [r.status, r.json.error_code, r.json.error_msg],
      [400, 'VPN.0001', 'invalid request: the query parameter limit must be given at most once'],
    );
  });
});
