// `sitevpn secrets rotate-master-key` while a server on the same data directory runs: signed
// reads and writes through both dialects keep working during and after it, the server follows
// the new key without a restart, and afterwards the old key opens no stored secret in any byte of
// the database files. The SITEVPN_MASTER_KEY variant re-seals under the new key with the old one
// given in SITEVPN_MASTER_KEY_PREVIOUS.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateVpnConnectionCommand, DescribeVpnConnectionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { loadConfig } from '../src/config/config.ts';
import { readKeyFile } from '../src/store/key-file.ts';
import { openStore } from '../src/store/open-store.ts';
import { rotateMasterKey } from '../src/store/rotate-master-key.ts';
import { keyIdOf, SecretBox } from '../src/store/secret-box.ts';
import { ec2Client } from './support/aws-client.ts';
import { connectionBody, gatewayPair, testContext } from './support/fixtures.ts';
import { HuaweiTestClient } from './support/huawei-client.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

const PROFILE = {
  ike_versions: ['v2'],
  ike_proposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dh_groups: [14] }],
  esp_proposals: [{ encryption: ['aes256-gcm16'], integrity: [], pfs_groups: [14] }],
  psk: 'Device.psk_before_rotation',
};

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { env: { ...process.env, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * Every sealed value anywhere in the raw bytes of the database, its WAL and its SHM. Read by
 * another process: closing a descriptor of the file here would drop the POSIX locks the server's
 * SQLite connection in this process holds, and the CLI would then remove the WAL under it.
 */
function sealedTokens(db: string): string[] {
  const tokens: string[] = [];
  for (const f of [db, `${db}-wal`, `${db}-shm`]) {
    if (!existsSync(f)) continue;
    for (const m of execFileSync('cat', [f], { maxBuffer: 1 << 28 })
      .toString('latin1')
      .matchAll(/v1:[A-Za-z0-9+/]{20,}={0,2}|v2:[0-9a-f]{16}:[A-Za-z0-9+/]{20,}={0,2}/g))
      tokens.push(m[0]);
  }
  return tokens;
}

function opens(box: SecretBox, sealed: string): boolean {
  try {
    box.open(sealed);
    return true;
  } catch {
    return false;
  }
}

describe('sitevpn secrets rotate-master-key beside a running server (key file)', () => {
  let server: TestServer;
  let ec2: EC2Client;
  before(async () => {
    server = await startTestServer({ simulatedDelayMs: 5 });
    ec2 = ec2Client(server.endpoint);
  });
  after(() => server.close());

  it('re-seals every secret under a new key while signed reads and writes keep working, and the old key opens nothing stored', async () => {
    const keyFile = server.app.config.masterKeyFile;
    const dbFile = server.app.config.databaseFile;
    const [oldKey] = readKeyFile(keyFile);
    const ctx = await testContext(server);
    const extra = await server.app.services.tenants.createKey(ctx.tenantId, 'full', 'before rotation');

    const hw = await gatewayPair(server);
    const hwId = (
      await server.huawei.call('POST', '/vpn-connection', connectionBody(hw.gateway, hw.cgw, { psk: 'Huawei.psk_before_rotation' }))
    ).body.vpn_connection.id as string;
    const aws = await gatewayPair(server);
    const vpnId = (
      await ec2.send(
        new CreateVpnConnectionCommand({
          Type: 'ipsec.1',
          CustomerGatewayId: aws.cgw.id,
          VpnGatewayId: aws.gateway.id,
          Options: { StaticRoutesOnly: true, TunnelOptions: [{ PreSharedKey: 'Ec2.psk_before_rotation' }] },
        }),
      )
    ).VpnConnection!.VpnConnectionId!;
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
    assert.equal((await ext('PUT', `/customer-gateways/${hw.cgw.id}/device-profile`, { device_profile: PROFILE })).status, 200);
    await server.app.reconciler.idle();
    assert.ok(
      sealedTokens(dbFile).some((t) => opens(new SecretBox(oldKey), t)),
      'before: the old key opens the stored secrets',
    );

    // Signed traffic through both dialects for as long as the rotation runs, a write included.
    let rotating = true;
    const failures: string[] = [];
    let requests = 0;
    const traffic = (async () => {
      const other = new HuaweiTestClient(server.endpoint, extra.accessKeyId, extra.secret, TEST_PROJECT);
      for (let i = 0; rotating || i < 3; i++) {
        const read = await server.huawei.call('GET', `/vpn-connection/${hwId}`);
        if (read.status !== 200) failures.push(`GET ${read.status}`);
        const write = await other.call('PUT', `/vpn-connection/${hwId}`, { vpn_connection: { name: `during-${i}` } });
        if (write.status !== 200) failures.push(`PUT ${write.status} ${JSON.stringify(write.body)}`);
        const described = await ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpnId] }));
        if (described.VpnConnections?.[0]?.VpnConnectionId !== vpnId) failures.push('DescribeVpnConnections');
        requests += 3;
      }
    })();
    const rotation = await cli(['secrets', 'rotate-master-key', '--data-dir', server.dataDir]);
    rotating = false;
    await traffic;
    assert.equal(rotation.code, 0, rotation.stderr);
    assert.deepEqual(failures, []);
    assert.ok(requests >= 9);

    const [newKey, ...rest] = readKeyFile(keyFile);
    assert.deepEqual(rest, [], 'the key file holds only the new key');
    assert.notDeepEqual(newKey, oldKey);
    assert.match(
      rotation.stdout,
      new RegExp(
        `^master key rotated \\(key file\\): current key ${keyIdOf(newKey)}\\n  \\d+ of \\d+ stored secrets re-sealed; retired key\\(s\\): ${keyIdOf(oldKey)}\\n$`,
      ),
    );

    // The running server opens what the rotation sealed (a device profile it has not cached) and
    // seals its own writes under the new key.
    const profile = await server.app.store.getCustomerGateway(ctx.tenantId, hw.cgw.id);
    assert.equal(profile!.deviceProfile!.psk, PROFILE.psk);
    const after = await gatewayPair(server);
    assert.equal(
      (await server.huawei.call('POST', '/vpn-connection', connectionBody(after.gateway, after.cgw, { psk: 'Huawei.psk_after_rotation' })))
        .status,
      201,
    );
    const created = await cli(['credentials', 'create', '--json', '--data-dir', server.dataDir]);
    const fresh = JSON.parse(created.stdout) as { accessKeyId: string; secretAccessKey: string };
    const viaFresh = await new HuaweiTestClient(server.endpoint, fresh.accessKeyId, fresh.secretAccessKey, TEST_PROJECT).call(
      'GET',
      `/vpn-connection/${hwId}`,
    );
    assert.equal(viaFresh.status, 200);
    await server.app.reconciler.idle();

    // Every sealed byte sequence left in the files: the new key opens each, the old key none.
    const tokens = sealedTokens(dbFile);
    assert.ok(tokens.length >= 6, `${tokens.length} sealed values found`);
    assert.deepEqual(
      tokens.filter((t) => opens(new SecretBox(oldKey), t)),
      [],
    );
    const stillOld = tokens.filter((t) => !opens(new SecretBox(newKey), t));
    assert.deepEqual(stillOld, []);
    const status = await cli(['secrets', 'status', '--data-dir', server.dataDir]);
    assert.match(status.stdout, new RegExp(`^${keyIdOf(newKey)}  current   \\d+ secret\\(s\\)\\n$`));
  });
});

describe('rotating SITEVPN_MASTER_KEY', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sitevpn-envkey-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const K1 = '11'.repeat(32);
  const K2 = '22'.repeat(32);
  const config = (env: Record<string, string>) => loadConfig(env, { dataDir });

  it('re-seals under the new SITEVPN_MASTER_KEY with the old key in SITEVPN_MASTER_KEY_PREVIOUS, after which the old key opens nothing', async () => {
    const store = await openStore(config({ SITEVPN_MASTER_KEY: K1 }));
    await store.createTenant(
      { id: 't1', accountId: '000000000001', name: 'default', createdAt: '2026-01-01T00:00:00.000Z' },
      { id: 'p1', tenantId: 't1', name: 'r', region: 'r', createdAt: '2026-01-01T00:00:00.000Z' },
      {
        accessKeyId: 'AK1',
        tenantId: 't1',
        secret: 'secret-under-k1',
        policy: 'admin',
        description: '',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    );
    await store.close();
    assert.equal(existsSync(join(dataDir, 'master.key')), false, 'no key file is made when the key comes from the environment');

    assert.throws(
      () => rotateMasterKey(config({ SITEVPN_MASTER_KEY: K2 })),
      /access_keys.secret_sealed of AK1: secret sealed under an unknown master key/,
    );
    const report = rotateMasterKey(config({ SITEVPN_MASTER_KEY: K2, SITEVPN_MASTER_KEY_PREVIOUS: K1 }));
    assert.deepEqual(
      { ...report },
      {
        source: 'SITEVPN_MASTER_KEY',
        keyId: keyIdOf(Buffer.from(K2, 'hex')),
        retiredKeyIds: [keyIdOf(Buffer.from(K1, 'hex'))],
        total: 1,
        resealed: 1,
        walEmptied: true,
      },
    );
    const reopened = await openStore(config({ SITEVPN_MASTER_KEY: K2 }));
    assert.equal((await reopened.getAccessKey('AK1'))!.secret, 'secret-under-k1');
    await reopened.close();
    const tokens = sealedTokens(join(dataDir, 'sitevpn.db'));
    assert.ok(tokens.length >= 1);
    assert.deepEqual(
      tokens.filter((t) => opens(new SecretBox(Buffer.from(K1, 'hex')), t)),
      [],
    );
  });
});
