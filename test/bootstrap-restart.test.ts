// Restarting with another SITEVPN_ACCESS_KEY_ID: the new key joins the existing bootstrap tenant
// (no second tenant), the earlier key stays valid until deleted, and every start says what it did.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { type App, createApp } from '../src/http/app.ts';
import { HuaweiTestClient } from './support/huawei-client.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'sitevpn-bootstrap-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const PROJECT = 'aaaabbbbccccddddeeeeffff00001111';
const KEY1 = { ak: 'SVBOOTSTRAPKEY000001', sk: 'first-secret-0123456789abcdefghijklmn' };
const KEY2 = { ak: 'SVBOOTSTRAPKEY000002', sk: 'second-secret-0123456789abcdefghijklm' };

function start(key: { ak: string; sk: string }, project = PROJECT): Promise<App> {
  const env = { SITEVPN_ACCESS_KEY_ID: key.ak, SITEVPN_SECRET_ACCESS_KEY: key.sk, SITEVPN_PROJECT_ID: project };
  return createApp(loadConfig(env, { dataDir, port: 0, logLevel: 'silent', simulatedDelayMs: 5 }), { logger: pino({ level: 'silent' }) });
}

function serveOnce(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--data-dir', dataDir, '--port', '0'], {
      env: { ...process.env, SITEVPN_LOG_LEVEL: 'silent', ...env },
    });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('bootstrap: ')) child.kill('SIGTERM');
    });
    child.on('exit', () => (out.includes('bootstrap: ') ? resolve(out) : reject(new Error(out))));
  });
}

describe('restarting with a different SITEVPN_ACCESS_KEY_ID', () => {
  let tenantId = '';
  let gatewayId = '';

  it('creates the bootstrap tenant on the first start and says so', async () => {
    const app = await start(KEY1);
    try {
      assert.equal(app.bootstrap.action, 'created-tenant');
      tenantId = app.bootstrap.tenant!.id;
      assert.equal(app.bootstrap.message, `created tenant ${tenantId} with project ${PROJECT} and access key ${KEY1.ak}`);
      const client = new HuaweiTestClient(await app.listen(), KEY1.ak, KEY1.sk, PROJECT);
      const created = await client.call('POST', '/vpn-gateways', {
        vpn_gateway: {
          name: 'hq',
          vpc_id: '0b6b9a2e-3f7c-4d7e-9a51-2f1d6c8e4a10',
          local_subnets: ['10.0.0.0/16'],
          connect_subnet: '5c0e7d11-8a2b-4c3d-9e4f-6a7b8c9d0e1f',
        },
      });
      assert.equal(created.status, 201);
      gatewayId = created.body.vpn_gateway.id;
    } finally {
      await app.close();
    }
  });

  it('adds the new key to the existing bootstrap tenant instead of creating a second one, and the old key keeps working', async () => {
    const app = await start(KEY2);
    try {
      assert.equal(app.bootstrap.action, 'added-key');
      assert.equal(
        app.bootstrap.message,
        `added access key ${KEY2.ak} to the existing bootstrap tenant ${tenantId}; its other keys (${KEY1.ak}) stay valid until deleted`,
      );
      assert.deepEqual(
        (await app.store.listTenants()).map((t) => t.id),
        [tenantId],
      );
      assert.equal((await app.store.getAccessKey(KEY2.ak))!.policy, 'admin');
      const endpoint = await app.listen();
      for (const key of [KEY1, KEY2]) {
        const r = await new HuaweiTestClient(endpoint, key.ak, key.sk, PROJECT).call('GET', `/vpn-gateways/${gatewayId}`);
        assert.equal(r.status, 200, key.ak);
        assert.equal(r.body.vpn_gateway.id, gatewayId);
      }
    } finally {
      await app.close();
    }
  });

  it('finds the key already present on the next start, and says that a changed secret does not replace the stored one', async () => {
    let app = await start(KEY2);
    try {
      assert.equal(app.bootstrap.action, 'key-present');
      assert.equal(app.bootstrap.message, `access key ${KEY2.ak} already present (tenant ${tenantId})`);
    } finally {
      await app.close();
    }
    app = await start({ ak: KEY2.ak, sk: 'changed-secret-0123456789abcdefghijk' });
    try {
      assert.equal(
        app.bootstrap.message,
        `access key ${KEY2.ak} already present (tenant ${tenantId}); SITEVPN_SECRET_ACCESS_KEY differs from its stored secret, which stays in force (delete the key and restart to replace it)`,
      );
      assert.equal((await app.store.getAccessKey(KEY2.ak))!.secret, KEY2.sk);
    } finally {
      await app.close();
    }
  });

  it('refuses to start when SITEVPN_PROJECT_ID names a project of another tenant', async () => {
    const app = await start(KEY1);
    const other = await app.services.tenants.createTenant('us-east-1');
    await app.close();
    await assert.rejects(start({ ak: 'SVBOOTSTRAPKEY000003', sk: 'third-secret-0123456789abcdefghijklmn' }, other.project.id), {
      message: `SITEVPN_PROJECT_ID ${other.project.id} belongs to tenant ${other.tenant.id}, not to the bootstrap tenant ${tenantId}`,
    });
  });

  it('prints what it did at every start of `sitevpn serve`', async () => {
    const out = await serveOnce({
      SITEVPN_ACCESS_KEY_ID: 'SVBOOTSTRAPKEY000004',
      SITEVPN_SECRET_ACCESS_KEY: 'fourth-secret-0123456789abcdefghijkl',
      SITEVPN_PROJECT_ID: PROJECT,
    });
    assert.match(
      out,
      new RegExp(
        `\\nbootstrap: added access key SVBOOTSTRAPKEY000004 to the existing bootstrap tenant ${tenantId}; its other keys \\(${KEY1.ak}, ${KEY2.ak}\\) stay valid until deleted\\n`,
      ),
    );
    assert.doesNotMatch(out, /fourth-secret/);
    const again = await serveOnce({
      SITEVPN_ACCESS_KEY_ID: 'SVBOOTSTRAPKEY000004',
      SITEVPN_SECRET_ACCESS_KEY: 'fourth-secret-0123456789abcdefghijkl',
    });
    assert.match(again, new RegExp(`\\nbootstrap: access key SVBOOTSTRAPKEY000004 already present \\(tenant ${tenantId}\\)\\n`));
  });
});
