// Hostile names, identities, device names and tags through both dialects, and the generated
// swanctl.conf files loaded into a real charon with `swanctl --load-all`: charon must hold exactly
// the connections and shared secrets sitevpn meant, nothing an attacker chose. Besides what the
// APIs accept, hostile identities are written straight into the store, as rows from before the
// identity rules would be, to show the generators contain them anyway.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateCustomerGatewayCommand,
  CreateTagsCommand,
  CreateVpnConnectionCommand,
  CreateVpnGatewayCommand,
  type EC2Client,
  GetVpnConnectionDeviceSampleConfigurationCommand,
} from '@aws-sdk/client-ec2';
import { ViciClient } from '../../src/dataplane/strongswan/vici/commands.ts';
import { toPlain } from '../../src/dataplane/strongswan/vici/message.ts';
import { ec2Client } from '../support/aws-client.ts';
import { testContext } from '../support/fixtures.ts';
import { Charon, labUnavailable, sh, skipReason } from '../support/netns.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const skip = skipReason(labUnavailable());
const EVIL =
  'x\n}\n}\nsecrets {\n  ike-evil {\n    id = %any\n    secret = "attacker"\n  }\n}\nconnections {\n  evil {\n    remote_addrs = %any\n  }\n}\n#';
const HOSTILE_TEXT = '} secrets { ike-evil { secret = "x" } } connections { evil { remote_addrs = %any } } # "\\';
const STRONGSWAN = '5f1c3a70';
const DEVICE = { vendor: 'strongswan', type: 'swanctl', model: 'Linux', version: '5.9' };

interface Expected {
  conns: Record<string, { remoteAddrs: string[]; localId?: string; remoteId?: string }>;
  secrets: string[];
}

let server: TestServer;
let ec2: EC2Client;
let charon: Charon;
let ns: string;

before(async () => {
  if (skip) return;
  server = await startTestServer();
  ec2 = ec2Client(server.endpoint);
  ns = `svinj-${process.pid}`;
  sh('ip', ['netns', 'add', ns]);
  charon = new Charon(ns, 'inj');
  await charon.start();
});

after(async () => {
  if (skip) return;
  await charon?.dispose();
  sh('ip', ['netns', 'del', ns], { allowFail: true });
  await server?.close();
});

let loads = 0;

/** Saves the files, loads them all with swanctl --load-all --clear, and answers what charon then holds. */
async function load(
  files: Record<string, string>,
  allowFail = false,
): Promise<{ output: string; conns: Record<string, any>; secrets: string[] }> {
  const dir = join(charon.dir, `load-${++loads}`);
  mkdirSync(join(dir, 'conf.d'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'conf.d', `${name}.conf`), text);
  writeFileSync(join(dir, 'swanctl.conf'), `include ${dir}/conf.d/*.conf\n`);
  const output = await charon.swanctl(['--load-all', '--clear', '--noprompt', '--file', join(dir, 'swanctl.conf')], allowFail);
  const client = await ViciClient.connect(charon.viciUri);
  try {
    const conns: Record<string, any> = {};
    for (const m of await client.listConns()) Object.assign(conns, toPlain(m));
    const shared = toPlain(await client.session.request('get-shared', {})) as { keys?: string[] };
    return { output, conns, secrets: [...(shared.keys ?? [])].sort() };
  } finally {
    await client.close();
  }
}

function assertHolds(held: Awaited<ReturnType<typeof load>>, expected: Expected): void {
  assert.deepEqual(Object.keys(held.conns).sort(), Object.keys(expected.conns).sort(), held.output);
  assert.deepEqual(held.secrets, [...expected.secrets].sort(), held.output);
  for (const [name, want] of Object.entries(expected.conns)) {
    const conn = held.conns[name];
    assert.deepEqual(conn.remote_addrs, want.remoteAddrs, name);
    assert.deepEqual(Object.keys(conn.children), [name], name);
    if (want.localId !== undefined) assert.equal(conn['local-1'].id, want.localId, `${name} local id`);
    if (want.remoteId !== undefined) assert.equal(conn['remote-1'].id, want.remoteId, `${name} remote id`);
  }
  assert.doesNotMatch(held.output, /evil|attacker/);
  assert.doesNotMatch(charon.logText(), /ike-evil|attacker/);
}

async function ec2Connection(deviceName: string): Promise<{ id: string; outsideIps: string[]; cgwIp: string }> {
  const cgwIp = '198.51.100.77';
  const cgw = (await ec2.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: cgwIp, DeviceName: deviceName })))
    .CustomerGateway!;
  const vgw = (await ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!;
  const vpn = (
    await ec2.send(
      new CreateVpnConnectionCommand({
        Type: 'ipsec.1',
        CustomerGatewayId: cgw.CustomerGatewayId,
        VpnGatewayId: vgw.VpnGatewayId,
        Options: { StaticRoutesOnly: true },
      }),
    )
  ).VpnConnection!;
  const tags = [
    { Key: 'Name', Value: EVIL },
    { Key: HOSTILE_TEXT, Value: HOSTILE_TEXT },
  ];
  await ec2.send(new CreateTagsCommand({ Resources: [cgw.CustomerGatewayId!, vpn.VpnConnectionId!], Tags: tags }));
  return { id: vpn.VpnConnectionId!, outsideIps: vpn.Options!.TunnelOptions!.map((t) => t.OutsideIpAddress!), cgwIp };
}

async function ec2Sample(id: string): Promise<string> {
  return (
    await ec2.send(new GetVpnConnectionDeviceSampleConfigurationCommand({ VpnConnectionId: id, VpnConnectionDeviceTypeId: STRONGSWAN }))
  ).VpnConnectionDeviceSampleConfiguration!;
}

async function huaweiConnection(
  cgwId: string,
  ikepolicy: Record<string, string>,
): Promise<{ id: string; outsideIp: string; cgwId: string }> {
  const gateway = await server.app.services.gateways.create(await testContext(server), { name: 'gw-inj', localSubnets: ['10.10.0.0/16'] });
  const cgw = await server.huawei.call('POST', '/customer-gateways', {
    customer_gateway: { name: 'cgw.inj', id_type: 'fqdn', id_value: cgwId, tags: [{ key: 'site', value: '= + @ :' }] },
  });
  assert.equal(cgw.status, 201, cgw.errorMsg);
  const body = {
    vpn_connection: {
      vgw_id: gateway.id,
      vgw_ip: gateway.outsideIps[0].id,
      cgw_id: cgw.body.customer_gateway.id,
      peer_subnets: ['192.168.0.0/24'],
      psk: 'Abcdefgh1234',
      ikepolicy,
    },
  };
  const r = await server.huawei.call('POST', '/vpn-connection', body);
  assert.equal(r.status, 201, r.errorMsg);
  return { id: r.body.vpn_connection.id, outsideIp: gateway.outsideIps[0].ip, cgwId: cgw.body.customer_gateway.id };
}

const names = (id: string, n: number) => Array.from({ length: n }, (_, i) => `${id}-tunnel${i + 1}`);

describe('generated swanctl.conf files in a real charon', { skip }, () => {
  it('hold exactly the connections and secrets meant, for hostile device names and tags (EC2) and named identities (Huawei)', async () => {
    const aws = await ec2Connection(HOSTILE_TEXT);
    const hw = await huaweiConnection('cpe.example.com', {
      local_id_type: 'fqdn',
      local_id: 'gw@example.com',
      peer_id_type: 'fqdn',
      peer_id: 'cpe.example.com',
    });
    const huaweiConf = (await server.huawei.call('POST', `/vpn-connection/${hw.id}/peer-configuration/export`, DEVICE)).body.peer_config;
    const held = await load({ ec2: await ec2Sample(aws.id), huawei: huaweiConf });
    const expected: Expected = { conns: {}, secrets: [] };
    names(aws.id, 2).forEach((name, i) => {
      expected.conns[name] = { remoteAddrs: [aws.outsideIps[i]], localId: aws.cgwIp, remoteId: aws.outsideIps[i] };
      expected.secrets.push(`ike-${name}`);
    });
    expected.conns[`${hw.id}-tunnel1`] = { remoteAddrs: [hw.outsideIp], localId: 'cpe.example.com', remoteId: 'gw@example.com' };
    expected.secrets.push(`ike-${hw.id}-tunnel1`);
    assertHolds(held, expected);
  });

  it('hold exactly the connection and secret meant when a stored customer identity and device name are hostile', async () => {
    const hw = await huaweiConnection('cpe2.example.com', {
      local_id_type: 'fqdn',
      local_id: 'gw2.example.com',
      peer_id_type: 'fqdn',
      peer_id: 'cpe2.example.com',
    });
    const ctx = await testContext(server);
    const cgw = await server.app.services.customerGateways.get(ctx, hw.cgwId);
    await server.app.store.updateCustomerGateway({ ...cgw, idValue: EVIL, deviceName: EVIL });
    const conf = (await server.huawei.call('POST', `/vpn-connection/${hw.id}/peer-configuration/export`, DEVICE)).body.peer_config;
    const held = await load({ hostile: conf });
    assertHolds(held, {
      conns: { [`${hw.id}-tunnel1`]: { remoteAddrs: [hw.outsideIp], localId: 'cpe2.example.com', remoteId: 'gw2.example.com' } },
      secrets: [`ike-${hw.id}-tunnel1`],
    });
  });

  it('hold nothing of a tunnel whose stored identities are hostile: charon refuses the quoted id, nothing else is loaded', async () => {
    const hw = await huaweiConnection('cpe3.example.com', {
      local_id_type: 'fqdn',
      local_id: 'gw3.example.com',
      peer_id_type: 'fqdn',
      peer_id: 'cpe3.example.com',
    });
    const ctx = await testContext(server);
    const connection = await server.app.services.connections.get(ctx, hw.id);
    const tunnels = connection.tunnels.map((t) => ({ ...t, ike: { ...t.ike, localId: `${EVIL}-local`, peerId: `${EVIL}-peer` } }));
    await server.app.store.updateConnection({ ...connection, tunnels });
    const conf = (await server.huawei.call('POST', `/vpn-connection/${hw.id}/peer-configuration/export`, DEVICE)).body.peer_config;
    const held = await load({ hostile: conf }, true);
    assertHolds(held, { conns: {}, secrets: [] });
    assert.match(held.output, new RegExp(`loading connection '${hw.id}-tunnel1' failed: invalid value for: id, config discarded`));
    assert.match(held.output, /loading shared secret failed: parsing shared key owners failed/);
    assert.match(held.output, /loaded 0 of 1 connections, 1 failed to load/);
  });
});
