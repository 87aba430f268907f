// Hostile identities and free text are refused at input, in each dialect's own error format, and
// nothing of them is stored: the attack of issue 8 item 5 (an identity with a newline and braces
// that became a `secrets` section of the generated swanctl.conf) starts here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateCustomerGatewayCommand, DescribeCustomerGatewaysCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const INJECTION = 'cpe.example.com\n}\nsecrets {\n  ike-evil {\n    secret = "attacker"\n  }\n}\n#';
const FQDN_RULE =
  'must be a domain name such as vpn.example.com, a user@domain name such as vpn@example.com, or a key id written as @# and hex digits';

let server: TestServer;
let ec2: EC2Client;
before(async () => {
  server = await startTestServer();
  ec2 = ec2Client(server.endpoint);
});
after(() => server.close());

async function huaweiCgwCount(): Promise<number> {
  return (await server.huawei.call('GET', '/customer-gateways')).body.customer_gateways.length;
}

describe('Huawei: hostile identities', () => {
  for (const [what, idValue] of [
    ['a newline and braces', INJECTION],
    ['an FQDN ending in a dot', 'cpe.example.com.'],
    ['a distinguished name (charon reads = as one)', 'CN=cpe'],
    ['%any (charon: any identity)', '%any'],
    ['an address (charon would read it as an IP identity)', '198.51.100.9'],
    ['a space', 'cpe example.com'],
  ] as const) {
    it(`refuses a customer gateway id_value of type fqdn with ${what}`, async () => {
      const before = await huaweiCgwCount();
      const r = await server.huawei.call('POST', '/customer-gateways', { customer_gateway: { id_type: 'fqdn', id_value: idValue } });
      assert.deepEqual(
        [r.status, r.errorCode, r.errorMsg],
        [400, 'VPN.0001', `invalid request: customer_gateway.id_value ${FQDN_RULE} when id_type is fqdn`],
      );
      assert.equal(await huaweiCgwCount(), before);
    });
  }

  // Only the prefix: the address rules of issue 8 item 9 (loopback, broadcast, ...) may answer first.
  it('refuses 0.0.0.0 as an ip identity, which charon reads as any identity', async () => {
    const r = await server.huawei.call('POST', '/customer-gateways', { customer_gateway: { id_type: 'ip', id_value: '0.0.0.0' } });
    assert.deepEqual([r.status, r.errorCode], [400, 'VPN.0001']);
    assert.match(r.errorMsg ?? '', /^invalid request: customer_gateway\.id_value must /);
  });

  it('accepts a domain name, a user@domain name and a key id', async () => {
    for (const id_value of ['cpe.example.com', 'cpe@example.com', '@#0a0b0c0d']) {
      const r = await server.huawei.call('POST', '/customer-gateways', { customer_gateway: { id_type: 'fqdn', id_value } });
      assert.equal(r.status, 201, r.errorMsg);
      assert.equal(r.body.customer_gateway.id_value, id_value);
    }
  });

  for (const field of ['local_id', 'peer_id'] as const) {
    it(`refuses an ikepolicy ${field} with a newline at creation and at update`, async () => {
      const { gateway, cgw } = await gatewayPair(server);
      const ikepolicy = { [`${field}_type`]: 'fqdn', [field]: INJECTION };
      const message = `invalid request: vpn_connection.ikepolicy.${field} ${FQDN_RULE} when vpn_connection.ikepolicy.${field}_type is fqdn`;
      const created = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw, { ikepolicy }));
      assert.deepEqual([created.status, created.errorCode, created.errorMsg], [400, 'VPN.0001', message]);
      const ok = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw));
      assert.equal(ok.status, 201, ok.errorMsg);
      const id = ok.body.vpn_connection.id;
      const updated = await server.huawei.call('PUT', `/vpn-connection/${id}`, { vpn_connection: { ikepolicy } });
      assert.deepEqual([updated.status, updated.errorCode, updated.errorMsg], [400, 'VPN.0001', message]);
      const shown = await server.huawei.call('GET', `/vpn-connection/${id}`);
      assert.equal(shown.body.vpn_connection.ikepolicy[`${field}_type`], 'ip');
    });
  }

  it('refuses names and tags with line breaks', async () => {
    const name = await server.huawei.call('POST', '/customer-gateways', {
      customer_gateway: { name: 'cgw\n}', id_value: '198.51.100.200' },
    });
    assert.deepEqual(
      [name.status, name.errorCode, name.errorMsg],
      [
        400,
        'VPN.0001',
        'invalid request: customer_gateway.name name must be 1 to 64 characters of letters, digits, underscores (_), hyphens (-) and periods (.)',
      ],
    );
    const tag = await server.huawei.call('POST', '/customer-gateways', {
      customer_gateway: { id_value: '198.51.100.201', tags: [{ key: 'k', value: 'v\n}' }] },
    });
    assert.deepEqual(
      [tag.status, tag.errorCode, tag.errorMsg],
      [400, 'VPN.0001', 'invalid request: customer_gateway.tags.0.value must be 0 to 255 letters, digits, spaces or _ . : = + - @'],
    );
  });
});

describe('EC2: hostile identities and device names', () => {
  it('refuses an IpAddress with a newline and braces with InvalidParameterValue', async () => {
    const e = await ec2Failure(ec2.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '198.51.100.210\n}\nsecrets {' })));
    assert.deepEqual(
      [e.name, e.message],
      ['InvalidParameterValue', 'Value ( 198.51.100.210\n}\nsecrets { ) for parameter ipAddress is invalid. Expecting an IPv4 address.'],
    );
  });

  for (const [what, DeviceName] of [
    ['a newline', 'router\n}\nsecrets {'],
    ['a carriage return', 'router\r#'],
    ['an escape sequence', 'router\u001b[2J'],
    ['a line separator', 'router\u2028x'],
  ]) {
    it(`refuses a DeviceName with ${what} with InvalidParameterValue and creates nothing`, async () => {
      const before = (await ec2.send(new DescribeCustomerGatewaysCommand({}))).CustomerGateways!.length;
      const e = await ec2Failure(ec2.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '198.51.100.211', DeviceName })));
      assert.deepEqual(
        [e.name, e.message],
        ['InvalidParameterValue', 'deviceName must not contain control characters such as line breaks or tabs'],
      );
      assert.equal((await ec2.send(new DescribeCustomerGatewaysCommand({}))).CustomerGateways!.length, before);
    });
  }

  it('accepts a DeviceName with braces, quotes and a hash, which the generators quote or neutralise', async () => {
    const DeviceName = '} secrets { ike-evil { secret = "x" } } # "';
    const r = await ec2.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '198.51.100.212', DeviceName }));
    assert.equal(r.CustomerGateway!.DeviceName, DeviceName);
  });
});
