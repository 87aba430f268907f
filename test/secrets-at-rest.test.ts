// Secrets at rest: no pre-shared key (connection PSKs through both dialects, device-profile PSKs,
// including replaced and deleted ones) is ever readable in the database, WAL or SHM bytes, and an
// older database holding clear device-profile PSKs is sealed at open with its clear bytes purged.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateVpnConnectionCommand, DeleteVpnConnectionCommand, type EC2Client, ModifyVpnTunnelOptionsCommand } from '@aws-sdk/client-ec2';
import Database from 'better-sqlite3';
import { sqliteMigrations } from '../src/store/migrations/sqlite.ts';
import { SecretBox } from '../src/store/secret-box.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { ec2Client } from './support/aws-client.ts';
import { connectionBody, gatewayPair, testContext } from './support/fixtures.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { eventually, startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

const PROFILE = {
  ike_versions: ['v2'],
  ike_proposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dh_groups: [14] }],
  esp_proposals: [{ encryption: ['aes256-gcm16'], integrity: [], pfs_groups: [14] }],
};

/**
 * Each file's raw bytes as latin1 text, so any byte sequence can be searched. Read by another
 * process, since closing a descriptor of the file here would drop the POSIX locks of the
 * server's SQLite connection in this process.
 */
function rawFiles(db: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of [db, `${db}-wal`, `${db}-shm`])
    if (existsSync(f)) files.set(f, execFileSync('cat', [f], { maxBuffer: 1 << 28 }).toString('latin1'));
  return files;
}

function findings(db: string, secrets: string[]): string[] {
  const found: string[] = [];
  for (const [file, bytes] of rawFiles(db)) for (const s of secrets) if (bytes.includes(s)) found.push(`${s} in ${file}`);
  return found;
}

describe('secrets in the database files', () => {
  let server: TestServer;
  let ec2: EC2Client;
  const dbFile = () => server.app.config.databaseFile;
  before(async () => {
    server = await startTestServer({ simulatedDelayMs: 5 });
    ec2 = ec2Client(server.endpoint);
  });
  after(() => server.close());

  const ext = (method: string, path: string, data?: unknown) =>
    send(
      signHuawei({
        endpoint: server.endpoint,
        method,
        path: `/sitevpn/v1/projects/${TEST_PROJECT}${path}`,
        data,
        ak: TEST_AK,
        sk: TEST_SK,
      }),
    );
  const status = async (id: string) => (await server.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status;

  it('holds no pre-shared key of either dialect or of a device profile, replaced, deleted or current, in the database, WAL or SHM bytes', async () => {
    const secrets: string[] = [];
    const psk = (name: string) => {
      const s = `Canary.${name}_${Math.random().toString(36).slice(2, 10)}`;
      secrets.push(s);
      return s;
    };

    // Huawei: created, replaced, then deleted.
    const hw = await gatewayPair(server);
    const created = await server.huawei.call('POST', '/vpn-connection', connectionBody(hw.gateway, hw.cgw, { psk: psk('hwCreate') }));
    assert.equal(created.status, 201);
    const hwId = created.body.vpn_connection.id as string;
    await eventually(async () => (await status(hwId)) === 'ACTIVE');
    assert.equal((await server.huawei.call('PUT', `/vpn-connection/${hwId}`, { vpn_connection: { psk: psk('hwUpdate') } })).status, 200);
    await eventually(async () => (await status(hwId)) === 'ACTIVE');
    assert.equal((await server.huawei.call('DELETE', `/vpn-connection/${hwId}`)).status, 204);
    const hwKept = await gatewayPair(server);
    const keptPsk = psk('hwKept');
    const kept = await server.huawei.call('POST', '/vpn-connection', connectionBody(hwKept.gateway, hwKept.cgw, { psk: keptPsk }));
    assert.equal(kept.status, 201);

    // EC2: two tunnel PSKs at create, one replaced by ModifyVpnTunnelOptions, then deleted; one kept.
    const aws = await gatewayPair(server);
    const tunnels = [{ PreSharedKey: psk('ec2One') }, { PreSharedKey: psk('ec2Two') }];
    const vpn = (
      await ec2.send(
        new CreateVpnConnectionCommand({
          Type: 'ipsec.1',
          CustomerGatewayId: aws.cgw.id,
          VpnGatewayId: aws.gateway.id,
          Options: { StaticRoutesOnly: true, TunnelOptions: tunnels },
        }),
      )
    ).VpnConnection!;
    const ip = vpn.Options!.TunnelOptions![0].OutsideIpAddress!;
    await eventually(async () => (await status(vpn.VpnConnectionId!)) === 'ACTIVE');
    await ec2.send(
      new ModifyVpnTunnelOptionsCommand({
        VpnConnectionId: vpn.VpnConnectionId,
        VpnTunnelOutsideIpAddress: ip,
        TunnelOptions: { PreSharedKey: psk('ec2Modify') },
      }),
    );
    await eventually(async () => (await status(vpn.VpnConnectionId!)) === 'ACTIVE');
    await ec2.send(new DeleteVpnConnectionCommand({ VpnConnectionId: vpn.VpnConnectionId }));
    const awsKept = await gatewayPair(server);
    await ec2.send(
      new CreateVpnConnectionCommand({
        Type: 'ipsec.1',
        CustomerGatewayId: awsKept.cgw.id,
        VpnGatewayId: awsKept.gateway.id,
        Options: { StaticRoutesOnly: true, TunnelOptions: [{ PreSharedKey: psk('ec2Kept') }] },
      }),
    );

    // Device profiles: set, replaced, deleted; and one left in place.
    const dev = await gatewayPair(server);
    const path = `/customer-gateways/${dev.cgw.id}/device-profile`;
    assert.equal((await ext('PUT', path, { device_profile: { ...PROFILE, psk: psk('devFirst') } })).status, 200);
    assert.equal((await ext('PUT', path, { device_profile: { ...PROFILE, psk: psk('devReplaced') } })).status, 200);
    assert.equal((await ext('DELETE', path)).status, 204);
    const devCurrent = psk('devCurrent');
    assert.equal((await ext('PUT', path, { device_profile: { ...PROFILE, psk: devCurrent } })).status, 200);
    await server.app.reconciler.idle();

    // The stored secrets still open: sealed, not lost.
    const ctx = await testContext(server);
    assert.equal((await server.app.store.getCustomerGateway(ctx.tenantId, dev.cgw.id))!.deviceProfile!.psk, devCurrent);
    assert.equal((await server.app.store.getConnection(ctx.tenantId, kept.body.vpn_connection.id))!.tunnels[0].psk, keptPsk);

    assert.equal(rawFiles(dbFile()).size, 3, 'the database, its WAL and its SHM exist while the server runs');
    assert.deepEqual(findings(dbFile(), secrets), []);
    // A reader of the sealed column sees only the sealed form.
    const raw = new Database(dbFile(), { readonly: true });
    const column = raw.prepare('SELECT doc, device_psk_sealed FROM customer_gateways WHERE id = ?').get(dev.cgw.id) as {
      doc: string;
      device_psk_sealed: string;
    };
    raw.close();
    assert.match(column.device_psk_sealed, /^v2:[0-9a-f]{16}:/);
    assert.equal(JSON.parse(column.doc).deviceProfile.psk, undefined);
  });
});

describe('a database written by an older sitevpn', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitevpn-legacy-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has its clear device-profile PSKs sealed at open, and no clear byte of them left, deleted ones included', async () => {
    const file = join(dir, 'sitevpn.db');
    const kept = 'Legacy-Kept-PSK-8d1f0a';
    const deleted = 'Legacy-Deleted-PSK-77c3e2';
    const doc = (id: string, psk: string) =>
      JSON.stringify({
        id,
        tenantId: 't1',
        projectId: 'p1',
        name: 'cgw',
        idValue: '198.51.100.9',
        createdAt: '2026-01-01T00:00:00.000Z',
        deviceProfile: { ikeVersions: ['v2'], psk },
      });
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec(sqliteMigrations[0]);
    old.pragma('user_version = 1');
    const insert = old.prepare('INSERT INTO customer_gateways (id, tenant_id, project_id, created_at, doc) VALUES (?, ?, ?, ?, ?)');
    insert.run('cgw-kept', 't1', 'p1', '2026-01-01T00:00:00.000Z', doc('cgw-kept', kept));
    insert.run('cgw-gone', 't1', 'p1', '2026-01-01T00:00:00.000Z', doc('cgw-gone', deleted));
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.prepare('DELETE FROM customer_gateways WHERE id = ?').run('cgw-gone');
    old.close();
    assert.deepEqual(findings(file, [kept, deleted]).length, 2, 'the old file holds both in clear (the deleted one in a free cell)');

    const box = new SecretBox(Buffer.alloc(32, 9));
    const store = new SqliteStore(file, box);
    try {
      const cgw = await store.getCustomerGateway('t1', 'cgw-kept');
      assert.equal(cgw!.deviceProfile!.psk, kept);
      assert.deepEqual(findings(file, [kept, deleted]), []);
    } finally {
      await store.close();
    }
    assert.deepEqual(findings(file, [kept, deleted]), []);
  });
});
