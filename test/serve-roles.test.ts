// `sitevpn serve --role`: the configuration refuses what it cannot run, the api and dataplane
// roles refuse the SQLite store before opening anything, and a data-plane instance serves only
// the operator endpoints.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { type App, createApp } from '../src/http/app.ts';
import { postgresSkipReason, startPostgres, type TestPostgres } from './support/postgres.ts';

describe('serve roles in the configuration', () => {
  it('defaults to role all, a 15 second lease and no host binding', () => {
    const c = loadConfig({});
    assert.deepEqual([c.role, c.leaseSeconds, c.dataplaneHost], ['all', 15, undefined]);
  });

  it('reads the role, lease and host from the environment, and the flag wins over the environment', () => {
    const c = loadConfig({ SITEVPN_ROLE: 'api', SITEVPN_LEASE_SECONDS: '2', SITEVPN_DATAPLANE_HOST: 'gw-host-1' });
    assert.deepEqual([c.role, c.leaseSeconds, c.dataplaneHost], ['api', 2, 'gw-host-1']);
    assert.equal(loadConfig({ SITEVPN_ROLE: 'api' }, { role: 'dataplane' }).role, 'dataplane');
  });

  it('refuses an unknown role and a lease that is not a whole number of seconds from 1 to 3600', () => {
    assert.throws(() => loadConfig({ SITEVPN_ROLE: 'worker' }), {
      message: 'environment variable SITEVPN_ROLE must be one of api, dataplane, all, got "worker"',
    });
    assert.throws(() => loadConfig({ SITEVPN_LEASE_SECONDS: 'abc' }), {
      message: 'environment variable SITEVPN_LEASE_SECONDS must be an integer from 1 to 3600, got "abc"',
    });
    assert.throws(() => loadConfig({ SITEVPN_LEASE_SECONDS: '0' }), {
      message: 'environment variable SITEVPN_LEASE_SECONDS must be an integer from 1 to 3600, got "0"',
    });
  });

  for (const role of ['api', 'dataplane'] as const) {
    it(`refuses role ${role} on the SQLite store with a clear message`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'sitevpn-roles-'));
      try {
        await assert.rejects(createApp(loadConfig({}, { dataDir, role, logLevel: 'silent' })), {
          message: `serve --role ${role} needs PostgreSQL: set SITEVPN_DATABASE_URL=postgres://... (the SQLite store is one process; use --role all)`,
        });
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});

const skip = postgresSkipReason();
describe('a data-plane instance', { skip }, () => {
  let server: TestPostgres;
  let app: App;
  let endpoint = '';
  let dataDir = '';
  before(async () => {
    server = await startPostgres();
    dataDir = mkdtempSync(join(tmpdir(), 'sitevpn-roles-'));
    const config = loadConfig({}, { dataDir, port: 0, role: 'dataplane', databaseUrl: await server.createDatabase(), logLevel: 'silent' });
    app = await createApp(config, { logger: pino({ level: 'silent' }) });
    endpoint = await app.listen();
  });
  after(async () => {
    await app?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves /healthz, /readyz and /metrics and nothing of the APIs', async () => {
    assert.equal((await fetch(`${endpoint}/healthz`)).status, 200);
    assert.equal((await fetch(`${endpoint}/readyz`)).status, 200);
    assert.equal((await fetch(`${endpoint}/metrics`)).status, 200);
    // No dialect is mounted: each answers in its own format, naming the roles that serve the APIs.
    const huawei = await fetch(`${endpoint}/v5/0123456789abcdef0123456789abcdef/vpn-connection`);
    assert.equal(huawei.status, 404);
    assert.deepEqual(
      [
        ((await huawei.json()) as { error_code: string }).error_code,
        ((await (await fetch(`${endpoint}/sitevpn/v1/events`)).json()) as { error_msg: string }).error_msg,
      ],
      [
        'APIGW.0101',
        'The API is not served here: this instance runs the data plane only (role dataplane); send API requests to an instance with role api or all',
      ],
    );
    for (const path of ['/?Action=DescribeVpnConnections&Version=2016-11-15', '/ui/']) {
      const r = await fetch(`${endpoint}${path}`);
      assert.equal(r.status, 400, path);
      assert.match(
        await r.text(),
        /<Code>InvalidAction<\/Code><Message>The requested action is not served here: this instance runs the data plane only \(role dataplane\); send API requests to an instance with role api or all\.<\/Message>/,
        path,
      );
    }
    assert.equal(app.bootstrap.action, 'none');
    assert.ok(app.owner, 'it holds the gateway-lease side');
  });
});
