import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sitevpn-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A config file holding `text` exactly. */
function file(text: string): string {
  const path = join(dir, `config-${++n}.json`);
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it('keeps the defaults when nothing is set', () => {
    const config = loadConfig({});
    assert.equal(config.dataplane, 'simulated');
    assert.equal(config.port, 8787);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.role, 'all');
    assert.equal(config.leaseSeconds, 15);
    assert.equal(config.dataplaneHost, undefined);
    assert.deepEqual(config.regions, ['us-east-1', 'cn-north-4']);
    assert.deepEqual(config.quotas, { gateways: 50, customerGateways: 1000, connections: 1000 });
    assert.deepEqual(config.events, { maxPerTunnel: 1000, maxAgeMs: 720 * 3600_000, deletedRetentionMs: 3600_000 });
    assert.deepEqual(config.rateLimit, { perSecond: 0, burst: 1 });
    assert.equal(config.tls, undefined);
  });

  it('refuses a quota that is not a number instead of turning it into NaN', () => {
    assert.throws(() => loadConfig({ SITEVPN_QUOTA_VPN_CONNECTIONS: 'abc' }), {
      name: 'ConfigError',
      message: 'environment variable SITEVPN_QUOTA_VPN_CONNECTIONS must be an integer from 1 to 1000000, got "abc"',
    });
    assert.throws(() => loadConfig({ SITEVPN_QUOTA_VPN_GATEWAYS: '0' }), {
      message: 'environment variable SITEVPN_QUOTA_VPN_GATEWAYS must be an integer from 1 to 1000000, got "0"',
    });
  });

  it('refuses an unknown data plane and an unknown role', () => {
    assert.throws(() => loadConfig({ SITEVPN_DATAPLANE: 'foo' }), {
      message: 'environment variable SITEVPN_DATAPLANE must be one of simulated, strongswan, got "foo"',
    });
    assert.throws(() => loadConfig({}, { role: 'worker' as 'api' }), {
      message: 'flag --role must be one of api, dataplane, all, got "worker"',
    });
  });

  it('refuses a bad port from a flag, the environment and the config file, naming each', () => {
    assert.throws(() => loadConfig({}, { port: '80a' }), { message: 'flag --port must be an integer from 0 to 65535, got "80a"' });
    assert.throws(() => loadConfig({ SITEVPN_PORT: '65536' }), {
      message: 'environment variable SITEVPN_PORT must be an integer from 0 to 65535, got "65536"',
    });
    const path = file('{"port": "8080"}');
    assert.throws(() => loadConfig({}, { configFile: path }), {
      message: `config file ${path}: key port must be an integer from 0 to 65535, got "8080"`,
    });
  });

  it('refuses a lease outside 1..3600 seconds', () => {
    assert.throws(() => loadConfig({ SITEVPN_LEASE_SECONDS: '3601' }), {
      message: 'environment variable SITEVPN_LEASE_SECONDS must be an integer from 1 to 3600, got "3601"',
    });
    assert.equal(loadConfig({ SITEVPN_LEASE_SECONDS: '30', SITEVPN_DATAPLANE_HOST: 'dp-1' }).leaseSeconds, 30);
  });

  it('refuses a config-file key that is not a setting, at the top and nested, with the allowed keys', () => {
    const top = file('{"prot": 8080}');
    assert.throws(
      () => loadConfig({}, { configFile: top }),
      (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, new RegExp(`^config file ${top}: key prot is not a setting; allowed: host, port, role, `));
        return true;
      },
    );
    const nested = file('{"quotas": {"conections": 5}}');
    assert.throws(() => loadConfig({}, { configFile: nested }), {
      message: `config file ${nested}: key quotas.conections is not a setting; allowed in quotas: gateways, customerGateways, connections`,
    });
    const notObject = file('{"quotas": 5}');
    assert.throws(() => loadConfig({}, { configFile: notObject }), {
      message: `config file ${notObject}: key quotas must be an object, got a number`,
    });
  });

  it('refuses a config file that is not JSON, not an object, or cannot be read', () => {
    const bad = file('{"port": 8080,}');
    assert.throws(
      () => loadConfig({}, { configFile: bad }),
      (err: Error) => {
        assert.match(err.message, new RegExp(`^config file ${bad} is not valid JSON: `));
        return true;
      },
    );
    const array = file('[1]');
    assert.throws(() => loadConfig({}, { configFile: array }), { message: `config file ${array} must hold a JSON object, got an array` });
    const missing = join(dir, 'missing.json');
    assert.throws(() => loadConfig({}, { configFile: missing }), { message: `cannot read config file ${missing}: ENOENT` });
    assert.throws(() => loadConfig({}, { configFile: dir }), { message: `cannot read config file ${dir}: EISDIR` });
    // root reads a file whatever its mode.
    if (process.getuid?.() !== 0) {
      const locked = file('{}');
      chmodSync(locked, 0o000);
      assert.throws(() => loadConfig({}, { configFile: locked }), { message: `cannot read config file ${locked}: EACCES` });
    }
  });

  it('takes the config file from SITEVPN_SERVER_CONFIG when no flag names one', () => {
    const path = file('{"host": "127.0.0.2"}');
    assert.equal(loadConfig({ SITEVPN_SERVER_CONFIG: path }).host, '127.0.0.2');
    const other = file('{"host": "127.0.0.3"}');
    assert.equal(loadConfig({ SITEVPN_SERVER_CONFIG: path }, { configFile: other }).host, '127.0.0.3');
  });

  it('lets the environment override the config file and a flag override both', () => {
    const path = file(
      JSON.stringify({
        port: 1001,
        host: '127.0.0.9',
        quotas: { connections: 7, gateways: 3 },
        http: { headersTimeoutMs: 500 },
        regions: ['eu-west-1'],
      }),
    );
    const fromFile = loadConfig({}, { configFile: path });
    assert.equal(fromFile.port, 1001);
    assert.deepEqual(fromFile.quotas, { gateways: 3, customerGateways: 1000, connections: 7 });
    assert.equal(fromFile.http.headersTimeoutMs, 500);
    assert.deepEqual(fromFile.regions, ['eu-west-1']);
    const env = { SITEVPN_PORT: '1002', SITEVPN_QUOTA_VPN_CONNECTIONS: '8', SITEVPN_REGIONS: 'ap-east-1, us-west-2' };
    const fromEnv = loadConfig(env, { configFile: path });
    assert.equal(fromEnv.port, 1002);
    assert.equal(fromEnv.host, '127.0.0.9');
    assert.deepEqual(fromEnv.quotas, { gateways: 3, customerGateways: 1000, connections: 8 });
    assert.deepEqual(fromEnv.regions, ['ap-east-1', 'us-west-2']);
    const fromFlag = loadConfig(env, { configFile: path, port: '1003', quotas: { connections: 9 } });
    assert.equal(fromFlag.port, 1003);
    assert.deepEqual(fromFlag.quotas, { gateways: 3, customerGateways: 1000, connections: 9 });
  });

  it('checks settings against each other and names both sources', () => {
    const path = file('{"http": {"requestTimeoutMs": 4000}}');
    assert.throws(() => loadConfig({ SITEVPN_HEADERS_TIMEOUT_MS: '5000' }, { configFile: path }), {
      message: `environment variable SITEVPN_HEADERS_TIMEOUT_MS must be at most the request timeout (config file ${path}: key http.requestTimeoutMs, 4000), got 5000`,
    });
    assert.throws(() => loadConfig({ SITEVPN_TLS_CERT: '/x.pem' }), {
      message:
        'TLS needs both a certificate and a key: --tls-cert and --tls-key (SITEVPN_TLS_CERT, SITEVPN_TLS_KEY; tls.certFile and tls.keyFile in the config file)',
    });
  });

  it('never echoes a secret value in an error', () => {
    assert.throws(() => loadConfig({ SITEVPN_DATABASE_URL: 'mysql://u:hunter2@h/d' }), {
      message: 'environment variable SITEVPN_DATABASE_URL must be a URL postgres://user:password@host:port/database',
    });
  });
});

describe('sitevpn serve with a bad setting', () => {
  it('exits with code 2 and one line naming the variable, without a stack trace', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: dir, SITEVPN_DATA_DIR: join(dir, 'data'), SITEVPN_QUOTA_VPN_CONNECTIONS: 'abc' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'sitevpn: environment variable SITEVPN_QUOTA_VPN_CONNECTIONS must be an integer from 1 to 1000000, got "abc"\n');
    assert.equal(r.stdout, '');
  });

  it('exits with code 2 naming the config file given with --config', () => {
    const path = file('{"dataplane": "vpp"}');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', path], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: dir, SITEVPN_DATA_DIR: join(dir, 'data') },
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `sitevpn: config file ${path}: key dataplane must be one of simulated, strongswan, got "vpp"\n`);
  });
});
