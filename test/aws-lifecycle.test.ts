// Deleted resources as EC2 keeps them (deleting, then deleted, then purged) and the SDK's own
// waiters against them, on an injected clock: the tests move time, nothing races a timer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EC2Client } from '@aws-sdk/client-ec2';
import * as sdk from '@aws-sdk/client-ec2';
import { loadConfig } from '../src/config/config.ts';
import { ManualClock } from '../src/domain/manual-clock.ts';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { testContext } from './support/fixtures.ts';
import { eventually, startTestServer, type TestServer } from './support/server.ts';

// Short enough that every advance of this file stays inside SigV4's five-minute window: the SDK
// signs with real time (it even corrects its offset to the server's Date header).
const RETENTION_S = 240;
const DELETING_S = 5;

let server: TestServer;
let clock: ManualClock;
let ec2: EC2Client;
/** Every state the waiters' DescribeVpnConnections/CustomerGateways calls saw, in order. */
const seen: string[] = [];

before(async () => {
  clock = new ManualClock(Date.now());
  server = await startTestServer({ deletion: { retentionSeconds: RETENTION_S, deletingSeconds: DELETING_S } }, { clock });
  ec2 = ec2Client(server.endpoint);
  ec2.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const o = out.output as { VpnConnections?: { State?: string }[]; CustomerGateways?: { State?: string }[] };
      for (const r of [...(o.VpnConnections ?? []), ...(o.CustomerGateways ?? [])]) if (r.State) seen.push(r.State);
      return out;
    },
    { step: 'initialize', name: 'recordStates' },
  );
});
after(() => server.close());

function advance(ms: number): void {
  clock.advance(ms);
}

/** Short real-time polling: the waiters' outcome depends only on the states they read. */
const FAST = { minDelay: 0.02, maxDelay: 0.05, maxWaitTime: 60 };

let octet = 1;
async function pair(asn?: string) {
  const vgw = (await ec2.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1', AmazonSideAsn: asn ? Number(asn) : undefined })))
    .VpnGateway!;
  const cgw = (await ec2.send(new sdk.CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: `192.0.2.${octet++}`, BgpAsn: 65010 })))
    .CustomerGateway!;
  return { vgwId: vgw.VpnGatewayId!, cgwId: cgw.CustomerGatewayId! };
}

async function connect(p: { vgwId: string; cgwId: string }, extra: Partial<sdk.CreateVpnConnectionCommandInput> = {}) {
  const input = { Type: 'ipsec.1', CustomerGatewayId: p.cgwId, VpnGatewayId: p.vgwId, ...extra };
  return (await ec2.send(new sdk.CreateVpnConnectionCommand(input))).VpnConnection!;
}

/** Waits (real time, no deadline race) until a waiter has read the given state at least once. */
const observed = (state: string, from: number) => eventually(async () => seen.slice(from).includes(state), 30_000);

describe('the SDK waiters', () => {
  it('waitUntilVpnConnectionAvailable waits while pending and succeeds once the clock has let the tunnels negotiate', async () => {
    const c = await connect(await pair());
    const from = seen.length;
    let settled = false;
    const waiting = sdk
      .waitUntilVpnConnectionAvailable({ client: ec2, ...FAST }, { VpnConnectionIds: [c.VpnConnectionId!] })
      .finally(() => (settled = true));
    await observed('pending', from);
    assert.equal(settled, false);
    advance(1000);
    assert.equal((await waiting).state, 'SUCCESS');
  });

  it('waitUntilVpnConnectionDeleted waits while deleting and succeeds once the connection is deleted', async () => {
    const c = await connect(await pair());
    advance(1000);
    await ec2.send(new sdk.DeleteVpnConnectionCommand({ VpnConnectionId: c.VpnConnectionId! }));
    const from = seen.length;
    let settled = false;
    const waiting = sdk
      .waitUntilVpnConnectionDeleted({ client: ec2, ...FAST }, { VpnConnectionIds: [c.VpnConnectionId!] })
      .finally(() => (settled = true));
    await observed('deleting', from);
    assert.equal(settled, false);
    advance(DELETING_S * 1000);
    assert.equal((await waiting).state, 'SUCCESS');
    assert.deepEqual([...new Set(seen.slice(from))], ['deleting', 'deleted']);
  });

  it('waitUntilVpnConnectionAvailable fails on a deleted connection instead of waiting forever', async () => {
    const c = await connect(await pair());
    await ec2.send(new sdk.DeleteVpnConnectionCommand({ VpnConnectionId: c.VpnConnectionId! }));
    const err = await sdk.waitUntilVpnConnectionAvailable({ client: ec2, ...FAST }, { VpnConnectionIds: [c.VpnConnectionId!] }).then(
      () => assert.fail('the waiter succeeded'),
      (e: Error) => e,
    );
    assert.match(err.message, /"state":"FAILURE"/);
  });

  it('waitUntilCustomerGatewayAvailable succeeds for a new customer gateway and fails once it is deleted', async () => {
    const { cgwId } = await pair();
    const ok = await sdk.waitUntilCustomerGatewayAvailable({ client: ec2, ...FAST }, { CustomerGatewayIds: [cgwId] });
    assert.equal(ok.state, 'SUCCESS');
    await ec2.send(new sdk.DeleteCustomerGatewayCommand({ CustomerGatewayId: cgwId }));
    const err = await sdk.waitUntilCustomerGatewayAvailable({ client: ec2, ...FAST }, { CustomerGatewayIds: [cgwId] }).then(
      () => assert.fail('the waiter succeeded'),
      (e: Error) => e,
    );
    assert.match(err.message, /"state":"FAILURE"/);
  });

  it('has no VPN gateway waiter in the installed SDK, so a deleted VPN gateway is checked by its state', async () => {
    assert.deepEqual(
      Object.keys(sdk).filter((k) => /^waitUntil.*Vpn.*Gateway/i.test(k)),
      [],
    );
    const { vgwId } = await pair();
    await ec2.send(new sdk.DeleteVpnGatewayCommand({ VpnGatewayId: vgwId }));
    const states = async () =>
      (await ec2.send(new sdk.DescribeVpnGatewaysCommand({ VpnGatewayIds: [vgwId] }))).VpnGateways!.map((g) => g.State);
    assert.deepEqual(await states(), ['deleting']);
    advance(DELETING_S * 1000);
    assert.deepEqual(await states(), ['deleted']);
  });
});

describe('deleted resources', () => {
  it('are kept one hour and shown deleting for five seconds by default, both configurable and checked', () => {
    assert.deepEqual(loadConfig({}).deletion, { retentionSeconds: 3600, deletingSeconds: 5 });
    assert.deepEqual(loadConfig({ SITEVPN_DELETED_RETENTION_SECONDS: '60', SITEVPN_DELETING_SECONDS: '0' }).deletion, {
      retentionSeconds: 60,
      deletingSeconds: 0,
    });
    assert.throws(
      () => loadConfig({ SITEVPN_DELETED_RETENTION_SECONDS: 'soon' }),
      /environment variable SITEVPN_DELETED_RETENTION_SECONDS must be an integer from 0 to 31536000, got "soon"/,
    );
    assert.throws(
      () => loadConfig({ SITEVPN_DELETED_RETENTION_SECONDS: '10', SITEVPN_DELETING_SECONDS: '20' }),
      /environment variable SITEVPN_DELETING_SECONDS must be at most the retention \(environment variable SITEVPN_DELETED_RETENTION_SECONDS, 10\), got 20/,
    );
  });

  it('are gone at once for the Huawei dialect: 404 by id and absent from its lists', async () => {
    const p = await pair();
    const c = await connect(p);
    await ec2.send(new sdk.DeleteVpnConnectionCommand({ VpnConnectionId: c.VpnConnectionId! }));
    await ec2.send(new sdk.DeleteCustomerGatewayCommand({ CustomerGatewayId: p.cgwId }));
    assert.equal((await server.huawei.call('GET', `/vpn-connection/${c.VpnConnectionId}`)).status, 404);
    assert.equal((await server.huawei.call('GET', `/customer-gateways/${p.cgwId}`)).status, 404);
    const list = await server.huawei.call('GET', '/vpn-connection');
    assert.equal(JSON.stringify(list.body).includes(c.VpnConnectionId!), false);
    const cgws = await server.huawei.call('GET', '/customer-gateways');
    assert.equal(JSON.stringify(cgws.body).includes(p.cgwId), false);
  });

  it('never block deleting their customer gateway', async () => {
    const p = await pair();
    const c = await connect(p);
    const busy = await ec2Failure(ec2.send(new sdk.DeleteCustomerGatewayCommand({ CustomerGatewayId: p.cgwId })));
    assert.deepEqual([busy.name, busy.message], ['IncorrectState', 'The customer gateway is in use.']);
    await ec2.send(new sdk.DeleteVpnConnectionCommand({ VpnConnectionId: c.VpnConnectionId! }));
    assert.equal((await ec2.send(new sdk.DeleteCustomerGatewayCommand({ CustomerGatewayId: p.cgwId }))).$metadata.httpStatusCode, 200);
  });

  it('count against no quota', async () => {
    const small = await startTestServer({ quotas: { gateways: 1, customerGateways: 1, connections: 1 } });
    try {
      const client = ec2Client(small.endpoint);
      const make = async () => {
        const vgw = (await client.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!.VpnGatewayId!;
        const cgw = (await client.send(new sdk.CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '192.0.2.200' })))
          .CustomerGateway!.CustomerGatewayId!;
        const vpn = (await client.send(new sdk.CreateVpnConnectionCommand({ Type: 'ipsec.1', CustomerGatewayId: cgw, VpnGatewayId: vgw })))
          .VpnConnection!;
        return { vgw, cgw, vpn: vpn.VpnConnectionId! };
      };
      const first = await make();
      const full = await ec2Failure(client.send(new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1' })));
      assert.deepEqual(
        [full.name, full.message],
        ['VpnGatewayLimitExceeded', 'The maximum number of virtual private gateways has been reached.'],
      );
      await client.send(new sdk.DeleteVpnConnectionCommand({ VpnConnectionId: first.vpn }));
      await client.send(new sdk.DeleteCustomerGatewayCommand({ CustomerGatewayId: first.cgw }));
      await client.send(new sdk.DeleteVpnGatewayCommand({ VpnGatewayId: first.vgw }));
      const second = await make();
      assert.notEqual(second.vpn, first.vpn);
    } finally {
      await small.close();
    }
  });
  it('stay visible by id and by state filter for the retention, then are purged and unknown', async () => {
    const p = await pair();
    const c = await connect(p);
    const id = c.VpnConnectionId!;
    await ec2.send(new sdk.DeleteVpnConnectionCommand({ VpnConnectionId: id }));
    await ec2.send(new sdk.DeleteCustomerGatewayCommand({ CustomerGatewayId: p.cgwId }));
    await ec2.send(new sdk.DeleteVpnGatewayCommand({ VpnGatewayId: p.vgwId }));
    advance(DELETING_S * 1000);
    const byState = async () =>
      (
        (await ec2.send(new sdk.DescribeVpnConnectionsCommand({ Filters: [{ Name: 'state', Values: ['deleted'] }] }))).VpnConnections ?? []
      ).map((v) => v.VpnConnectionId);
    assert.ok((await byState()).includes(id));
    const shown = (await ec2.send(new sdk.DescribeVpnConnectionsCommand({ VpnConnectionIds: [id] }))).VpnConnections![0];
    assert.deepEqual([shown.State, shown.CustomerGatewayId, shown.VpnGatewayId], ['deleted', p.cgwId, p.vgwId]);
    const cgwState = (await ec2.send(new sdk.DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [p.cgwId] }))).CustomerGateways![0]
      .State;
    assert.equal(cgwState, 'deleted');
    // Still there one second before the retention ends.
    advance((RETENTION_S - DELETING_S - 1) * 1000);
    assert.ok((await byState()).includes(id));
    advance(1000);
    assert.equal((await byState()).includes(id), false);
    const e = await ec2Failure(ec2.send(new sdk.DescribeVpnConnectionsCommand({ VpnConnectionIds: [id] })));
    assert.deepEqual([e.name, e.message], ['InvalidVpnConnectionID.NotFound', `The vpnConnection ID '${id}' does not exist`]);
    const g = await ec2Failure(ec2.send(new sdk.DescribeVpnGatewaysCommand({ VpnGatewayIds: [p.vgwId] })));
    assert.equal(g.name, 'InvalidVpnGatewayID.NotFound');
    // The periodic purge (every minute of the same clock) frees the rows; reads hid them already.
    const { tenantId } = await testContext(server);
    advance(60_000);
    await eventually(async () => (await server.app.store.getRetired('vpn-connection', tenantId, id)) === undefined);
    assert.equal(await server.app.store.getRetired('customer-gateway', tenantId, p.cgwId), undefined);
    assert.equal(await server.app.store.getRetired('vpn-gateway', tenantId, p.vgwId), undefined);
  });
});
