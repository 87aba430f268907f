// Crash safety: clients create, update and delete VPN connections through both dialects while
// the real `sitevpn serve` process is SIGKILLed after a number of acknowledged requests the test
// chooses, four times, and restarted on the same data directory. After each kill the database
// passes PRAGMA integrity_check and holds no half-written record (a connection without its
// tunnels, a tunnel without its connection); after each restart every acknowledged write is
// there, no rejected write is, an unacknowledged one is either wholly there or not at all, and
// every tunnel comes back up. Correctness never depends on timing: any interleaving of the
// in-flight requests with the kill must pass.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateCustomerGatewayCommand,
  CreateVpnConnectionCommand,
  CreateVpnGatewayCommand,
  DeleteVpnConnectionCommand,
  DescribeVpnConnectionsCommand,
  type EC2Client,
  ModifyVpnTunnelOptionsCommand,
} from '@aws-sdk/client-ec2';
import Database from 'better-sqlite3';
import { ec2Client } from './support/aws-client.ts';
import { HuaweiTestClient } from './support/huawei-client.ts';
import { eventually, TEST_AK, TEST_PROJECT, TEST_SK } from './support/server.ts';
import { ServerProcess } from './support/server-process.ts';

const KILL_AFTER_ACKS = [9, 23, 5, 16];
const WORKERS = 4;

type DialectName = 'hw' | 'ec2';
interface Conn {
  id: string;
  dialect: DialectName;
  /** Values the updatable field may hold: the acknowledged one plus any unacknowledged ones after it. */
  allowed: Set<string>;
  deleted: 'no' | 'yes' | 'maybe';
  busy: boolean;
  /** EC2: the outside IP of the tunnel whose options are modified. */
  outsideIp?: string;
}

/** What the server answered: undefined when no answer came (the request is unacknowledged). */
type Answer<T> = { ok: true; value: T } | { ok: false; status: number; code?: string } | undefined;

const dataDir = mkdtempSync(join(tmpdir(), 'sitevpn-crash-'));
const proc = new ServerProcess(dataDir);
after(async () => {
  await proc.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

let hw: HuaweiTestClient;
let ec2: EC2Client;
const conns = new Map<string, Conn>();
/** Names of creates that got no answer: after a restart each is wholly there or absent. */
const unacked = new Map<string, DialectName>();
const rejected = new Set<string>();
let hwGateway: { id: string; ipId: string };
let ec2GatewayId: string;
let nextIp = 1;
let nextName = 1;
let adopted = 0;

function connect(endpoint: string): void {
  hw = new HuaweiTestClient(endpoint, TEST_AK, TEST_SK, TEST_PROJECT);
  ec2 = ec2Client(endpoint);
}

async function ec2Call<T>(p: Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await p };
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    return typeof status === 'number' ? { ok: false, status, code: e.name } : undefined;
  }
}

async function hwCall(method: string, path: string, data?: unknown): Promise<Answer<any>> {
  try {
    const r = await hw.call(method, path, data);
    return r.status < 300 ? { ok: true, value: r.body } : { ok: false, status: r.status, code: r.errorCode };
  } catch {
    return undefined;
  }
}

function cgwIp(): string {
  const n = nextIp++;
  return n < 250 ? `198.51.100.${n}` : `192.0.2.${n - 249}`;
}

/** A seeded PRNG (mulberry32): the same workload every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs workers until `killAfter` requests are acknowledged, then SIGKILLs the server. */
async function round(killAfter: number, random: () => number): Promise<void> {
  let acks = 0;
  let killed = false;
  const ack = <T>(a: Answer<T>): Answer<T> => {
    // A server error would leave the ledger unable to say what was written: none is allowed.
    if (a !== undefined && !a.ok) assert.ok(a.status < 500, `a ${a.status} ${a.code ?? ''} answer during the workload`);
    if (a !== undefined && ++acks === killAfter) {
      killed = true;
      void proc.kill();
    }
    return a;
  };
  const pick = (dialect: DialectName) => {
    const idle = [...conns.values()].filter((c) => c.dialect === dialect && !c.busy && c.deleted === 'no');
    return idle.length ? idle[Math.floor(random() * idle.length)] : undefined;
  };
  const step = async () => {
    const r = random();
    const dialect: DialectName = random() < 0.5 ? 'hw' : 'ec2';
    const target = r < 0.45 ? undefined : pick(dialect);
    if (target === undefined) return create(dialect, r < 0.1, ack);
    target.busy = true;
    try {
      if (r < 0.85) await update(target, String(dialect === 'hw' ? `upd-${nextName++}` : 900 + Math.floor(random() * 27) * 1000), ack);
      else await remove(target, ack);
    } finally {
      target.busy = false;
    }
  };
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (!killed) await step();
    }),
  );
  await proc.kill();
}

async function create(dialect: DialectName, reject: boolean, ack: <T>(a: Answer<T>) => Answer<T>): Promise<void> {
  const name = `${reject ? 'rej' : 'cs'}-${nextName++}`;
  if (dialect === 'hw') {
    const cgw = ack(await hwCall('POST', '/customer-gateways', { customer_gateway: { name: `cgw-${name}`, id_value: cgwIp() } }));
    if (!cgw?.ok) return;
    unacked.set(name, 'hw');
    const psk = reject ? 'short' : 'Abcdefgh1234';
    const body = {
      vpn_connection: {
        name,
        vgw_id: hwGateway.id,
        vgw_ip: hwGateway.ipId,
        cgw_id: cgw.value.customer_gateway.id,
        peer_subnets: [`10.${nextIp % 250}.0.0/24`],
        psk,
      },
    };
    const r = ack(await hwCall('POST', '/vpn-connection', body));
    if (r === undefined) return;
    unacked.delete(name);
    if (reject) {
      assert.equal(r.ok, false, `a connection with the PSK "short" was accepted`);
      rejected.add(name);
    } else if (r.ok)
      conns.set(r.value.vpn_connection.id, {
        id: r.value.vpn_connection.id,
        dialect,
        allowed: new Set([name]),
        deleted: 'no',
        busy: false,
      });
    return;
  }
  const cgw = ack(await ec2Call(ec2.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: cgwIp(), BgpAsn: 65000 }))));
  if (!cgw?.ok) return;
  unacked.set(name, 'ec2');
  const options = reject ? { StaticRoutesOnly: true, TunnelOptions: [{ PreSharedKey: '0bad' }] } : { StaticRoutesOnly: true };
  const tags = [{ ResourceType: 'vpn-connection' as const, Tags: [{ Key: 'Name', Value: name }] }];
  const r = ack(
    await ec2Call(
      ec2.send(
        new CreateVpnConnectionCommand({
          Type: 'ipsec.1',
          CustomerGatewayId: cgw.value.CustomerGateway!.CustomerGatewayId!,
          VpnGatewayId: ec2GatewayId,
          Options: options,
          TagSpecifications: tags,
        }),
      ),
    ),
  );
  if (r === undefined) return;
  unacked.delete(name);
  if (reject) {
    assert.equal(r.ok, false, 'a connection with the PSK "0bad" was accepted');
    rejected.add(name);
  } else if (r.ok) {
    const v = r.value.VpnConnection!;
    const t1 = v.Options!.TunnelOptions![0];
    conns.set(v.VpnConnectionId!, {
      id: v.VpnConnectionId!,
      dialect,
      allowed: new Set([String(t1.Phase1LifetimeSeconds ?? 28800)]),
      deleted: 'no',
      busy: false,
      outsideIp: t1.OutsideIpAddress,
    });
  }
}

async function update(c: Conn, value: string, ack: <T>(a: Answer<T>) => Answer<T>): Promise<void> {
  const previous = new Set(c.allowed);
  c.allowed.add(value);
  const r = ack(
    c.dialect === 'hw'
      ? await hwCall('PUT', `/vpn-connection/${c.id}`, { vpn_connection: { name: value } })
      : await ec2Call(
          ec2.send(
            new ModifyVpnTunnelOptionsCommand({
              VpnConnectionId: c.id,
              VpnTunnelOutsideIpAddress: c.outsideIp,
              TunnelOptions: { Phase1LifetimeSeconds: Number(value) },
            }),
          ),
        ),
  );
  if (r === undefined) return; // unacknowledged: either value may be there
  c.allowed = r.ok ? new Set([value]) : previous;
}

async function remove(c: Conn, ack: <T>(a: Answer<T>) => Answer<T>): Promise<void> {
  c.deleted = 'maybe';
  const r = ack(
    c.dialect === 'hw'
      ? await hwCall('DELETE', `/vpn-connection/${c.id}`)
      : await ec2Call(ec2.send(new DeleteVpnConnectionCommand({ VpnConnectionId: c.id }))),
  );
  if (r !== undefined) c.deleted = r.ok ? 'yes' : 'no';
}

/** Checks of the files a killed server left, before anything opens them again. */
function checkFiles(): string[] {
  const db = new Database(join(dataDir, 'sitevpn.db'));
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    const q = (sql: string) => db.prepare(sql).all();
    assert.deepEqual(
      q('SELECT id FROM vpn_connections c WHERE NOT EXISTS (SELECT 1 FROM tunnels t WHERE t.connection_id = c.id)'),
      [],
      'a connection without tunnels',
    );
    assert.deepEqual(
      q('SELECT id FROM tunnels WHERE connection_id NOT IN (SELECT id FROM vpn_connections)'),
      [],
      'a tunnel without its connection',
    );
    assert.deepEqual(
      q(
        "SELECT c.id, count(*) AS n FROM vpn_connections c JOIN tunnels t ON t.connection_id = c.id GROUP BY c.id HAVING n <> CASE WHEN c.id LIKE 'vpn-%' THEN 2 ELSE 1 END",
      ),
      [],
      'a connection with a wrong number of tunnels',
    );
    assert.deepEqual(
      q(
        'SELECT id FROM vpn_connections WHERE cgw_id NOT IN (SELECT id FROM customer_gateways) OR vgw_id NOT IN (SELECT id FROM vpn_gateways)',
      ),
      [],
      'a connection whose gateway is gone',
    );
    assert.deepEqual(
      q('SELECT ip FROM gateway_ips WHERE gateway_id NOT IN (SELECT id FROM vpn_gateways)'),
      [],
      'an outside IP of no gateway',
    );
    return (db.prepare('SELECT id FROM vpn_connections').pluck().all() as string[]).sort();
  } finally {
    db.close();
  }
}

/** The connection as the API shows it: [updatable field, up?] or undefined when gone. */
async function observe(id: string, dialect: DialectName): Promise<{ value: string; up: boolean; name?: string } | undefined> {
  if (dialect === 'hw') {
    const r = await hw.call('GET', `/vpn-connection/${id}`);
    if (r.status === 404) return undefined;
    assert.equal(r.status, 200, r.errorMsg);
    return { value: r.body.vpn_connection.name, up: r.body.vpn_connection.status === 'ACTIVE', name: r.body.vpn_connection.name };
  }
  const r = await ec2Call(ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [id] })));
  if (r !== undefined && !r.ok && r.code === 'InvalidVpnConnectionID.NotFound') return undefined;
  assert.ok(r?.ok, `DescribeVpnConnections ${id} failed: ${r === undefined ? 'no answer' : r.ok ? '' : r.code}`);
  const v = r.value.VpnConnections![0];
  if (v === undefined || v.State === 'deleted' || v.State === 'deleting') return undefined;
  const t = v.Options!.TunnelOptions!.find((o) => o.OutsideIpAddress === conns.get(id)?.outsideIp) ?? v.Options!.TunnelOptions![0];
  const up = v.State === 'available' && (v.VgwTelemetry ?? []).length === 2 && v.VgwTelemetry!.every((x) => x.Status === 'UP');
  return { value: String(t.Phase1LifetimeSeconds ?? 28800), up, name: v.Tags?.find((x) => x.Key === 'Name')?.Value };
}

/** After a restart: the ledger against what the server holds, then every tunnel back up. */
async function verify(dbIds: string[]): Promise<void> {
  for (const id of dbIds) {
    if (conns.has(id)) continue;
    const dialect: DialectName = id.startsWith('vpn-') ? 'ec2' : 'hw';
    const seen = await observe(id, dialect);
    if (seen === undefined) continue; // an EC2 connection deleted before, kept for Describe
    assert.ok(!rejected.has(seen.name ?? ''), `the rejected create ${seen.name} is present as ${id}`);
    assert.equal(unacked.get(seen.name ?? ''), dialect, `connection ${id} (${seen.name}) is no write the clients made`);
    unacked.delete(seen.name!);
    adopted++;
    conns.set(id, { id, dialect, allowed: new Set([seen.value]), deleted: 'no', busy: false, outsideIp: undefined });
  }
  unacked.clear(); // unacknowledged creates not there never happened
  for (const c of conns.values()) {
    const seen = await observe(c.id, c.dialect);
    if (c.deleted === 'yes') assert.equal(seen, undefined, `acknowledged delete of ${c.id} is undone`);
    if (c.deleted === 'no') assert.ok(seen, `acknowledged connection ${c.id} is missing`);
    if (seen === undefined) {
      c.deleted = 'yes';
      continue;
    }
    c.deleted = 'no';
    assert.ok(c.allowed.has(seen.value), `${c.id} holds ${seen.value}, expected one of ${[...c.allowed].join(', ')}`);
    c.allowed = new Set([seen.value]);
    if (c.dialect === 'ec2' && !c.outsideIp) {
      const d = await ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [c.id] }));
      c.outsideIp = d.VpnConnections![0].Options!.TunnelOptions![0].OutsideIpAddress;
    }
  }
  const live = [...conns.values()].filter((c) => c.deleted === 'no');
  await eventually(async () => {
    const states = await Promise.all(live.map(async (c) => (await observe(c.id, c.dialect))?.up));
    return states.every(Boolean);
  }, 60_000).catch(async () => {
    const states = await Promise.all(live.map(async (c) => `${c.id}: ${JSON.stringify(await observe(c.id, c.dialect))}`));
    assert.fail(`tunnels did not come back up after the restart:\n${states.join('\n')}`);
  });
}

describe('crash safety under SIGKILL', () => {
  it('keeps every acknowledged write, no half-written one, and brings every tunnel back after each of four kills', async (t) => {
    connect(await proc.start());
    const gw = await hw.call('POST', '/vpn-gateways', {
      vpn_gateway: {
        name: 'crash-gw',
        vpc_id: 'cb4a631d-1b2c-4d3e-8f40-ca3fa348c36c',
        local_subnets: ['192.168.10.0/24'],
        connect_subnet: 'f5741286-5a6b-4c7d-8e9f-2c82bd9ee114',
      },
    });
    assert.equal(gw.status, 201, gw.errorMsg);
    const shown = await hw.call('GET', `/vpn-gateways/${gw.body.vpn_gateway.id}`);
    hwGateway = { id: gw.body.vpn_gateway.id, ipId: shown.body.vpn_gateway.eip1.id };
    ec2GatewayId = (await ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!.VpnGatewayId!;
    const random = prng(20261123);
    for (const [i, killAfter] of KILL_AFTER_ACKS.entries()) {
      await round(killAfter, random);
      const ids = checkFiles();
      connect(await proc.start());
      await verify(ids);
      assert.ok(conns.size > 0 || i === 0, 'the workload made no connection');
    }
    const all = [...conns.values()];
    assert.ok(all.some((c) => c.dialect === 'hw') && all.some((c) => c.dialect === 'ec2'), 'both dialects wrote');
    t.diagnostic(
      `${all.filter((c) => c.dialect === 'hw').length} Huawei and ${all.filter((c) => c.dialect === 'ec2').length} EC2 connections, ${all.filter((c) => c.deleted === 'yes').length} deleted, ${rejected.size} rejected creates, ${adopted} unacknowledged creates found whole`,
    );
  });
});
