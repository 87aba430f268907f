// TLS: with --tls-cert/--tls-key the server answers HTTPS on one port with HTTP/1.1 (the AWS SDK,
// through an agent that trusts the test's self-signed certificate) and HTTP/2 (node:http2); without
// TLS on a non-loopback address, `sitevpn serve` warns on stderr and in its log.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DescribeVpnGatewaysCommand, EC2Client } from '@aws-sdk/client-ec2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { type App, createApp } from '../src/http/app.ts';
import { plaintextWarning } from '../src/http/tls.ts';
import { signHuawei } from './support/huawei-raw.ts';
import { hasOpenssl, makeSelfSigned, requireOpenssl } from './support/self-signed.ts';
import { TEST_AK, TEST_PROJECT, TEST_SK } from './support/server.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
requireOpenssl('test/tls.test.ts');

const dir = mkdtempSync(join(tmpdir(), 'sitevpn-tls-'));
let app: App;
let endpoint: string;
let cert: Buffer;

before(async () => {
  if (!hasOpenssl) return;
  const made = makeSelfSigned(dir);
  const { certFile, keyFile } = made;
  cert = made.cert;
  const config = loadConfig(
    { SITEVPN_ACCESS_KEY_ID: TEST_AK, SITEVPN_SECRET_ACCESS_KEY: TEST_SK, SITEVPN_PROJECT_ID: TEST_PROJECT, SITEVPN_TLS_KEY: keyFile },
    { dataDir: join(dir, 'data'), port: 0, simulatedDelayMs: 5, logLevel: 'silent', tlsCert: certFile },
  );
  app = await createApp(config, { logger: pino({ level: 'silent' }) });
  endpoint = await app.listen();
});
after(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('TLS', { skip: !hasOpenssl && 'openssl missing' }, () => {
  it('listens on https and answers the AWS SDK over HTTP/1.1 with an agent that trusts the certificate', async () => {
    assert.match(endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
    const ec2 = new EC2Client({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: TEST_AK, secretAccessKey: TEST_SK },
      requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: cert }) }),
    });
    const r = await ec2.send(new DescribeVpnGatewaysCommand({}));
    assert.deepEqual(r.VpnGateways, []);
    ec2.destroy();
  });

  it('refuses a client that does not trust the certificate', async () => {
    await assert.rejects(
      fetch(`${endpoint}/healthz`),
      (err: Error & { cause?: { code?: string } }) => err.cause?.code === 'DEPTH_ZERO_SELF_SIGNED_CERT',
    );
  });

  it('answers HTTP/2 (ALPN h2): /healthz and a signed Huawei request', async () => {
    const session = http2.connect(endpoint, { ca: cert });
    try {
      await new Promise<void>((resolve, reject) => session.once('connect', () => resolve()).once('error', reject));
      assert.equal(session.alpnProtocol, 'h2');
      const get = (path: string, headers: Record<string, string> = {}) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = session.request({ ':method': 'GET', ':path': path, ...headers });
          let body = '';
          let status = 0;
          req.on('response', (h) => (status = Number(h[':status'])));
          req.setEncoding('utf8');
          req.on('data', (c: string) => (body += c));
          req.on('end', () => resolve({ status, body }));
          req.on('error', reject);
        });
      assert.deepEqual(await get('/healthz'), { status: 200, body: '{"status":"ok"}' });
      const signed = signHuawei({ endpoint, method: 'GET', path: `/v5/${TEST_PROJECT}/vpn-gateways`, ak: TEST_AK, sk: TEST_SK });
      const headers = Object.fromEntries(
        Object.entries(signed.headers)
          .filter(([k]) => k.toLowerCase() !== 'host')
          .map(([k, v]) => [k.toLowerCase(), v]),
      );
      const r = await get(`/v5/${TEST_PROJECT}/vpn-gateways`, headers);
      assert.equal(r.status, 200, r.body);
      const body = JSON.parse(r.body);
      assert.deepEqual(body.vpn_gateways, []);
    } finally {
      session.close();
    }
  });
});

describe('the plaintext warning', () => {
  it('names no warning for loopback or with TLS, and one for any other address without TLS', () => {
    const files = { certFile: 'c', keyFile: 'k' };
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.1.1']) assert.equal(plaintextWarning(host, undefined), undefined);
    assert.equal(plaintextWarning('0.0.0.0', files), undefined);
    assert.equal(
      plaintextWarning('0.0.0.0', undefined),
      'sitevpn is listening on 0.0.0.0 without TLS: pre-shared keys travel in request bodies in clear; pass --tls-cert and --tls-key (SITEVPN_TLS_CERT, SITEVPN_TLS_KEY) or listen on 127.0.0.1 behind a TLS proxy',
    );
  });

  // 0.0.0.0 only inside a network namespace of its own (unshare -rn), so nothing outside can reach it.
  const unshare = spawnSync('unshare', ['-rn', 'true']).status === 0;
  it('is written to stderr and the log when `sitevpn serve --host 0.0.0.0` starts without TLS', {
    skip: !unshare && 'unshare -rn is not permitted here (util-linux, user namespaces)',
  }, async () => {
    const data = mkdtempSync(join(tmpdir(), 'sitevpn-warn-'));
    const child = spawn(
      'unshare',
      [
        '-rn',
        process.execPath,
        '--import',
        'tsx',
        '--disable-warning=NodeVersionSupportWarning',
        'src/cli/main.ts',
        'serve',
        '--host',
        '0.0.0.0',
        '--port',
        '0',
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          SITEVPN_DATA_DIR: data,
          SITEVPN_ACCESS_KEY_ID: TEST_AK,
          SITEVPN_SECRET_ACCESS_KEY: TEST_SK,
          SITEVPN_PROJECT_ID: TEST_PROJECT,
          SITEVPN_LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    const warning = plaintextWarning('0.0.0.0', undefined)!;
    const logged = () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .some((l) => l.level === 40 && l.msg === warning && l.host === '0.0.0.0');
    try {
      // The log line and the stderr warning may arrive in either order around "listening":
      // wait for all three (or the exit), then check each.
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (out.includes('sitevpn listening on') && err.includes(`WARNING: ${warning}\n`) && out.endsWith('\n') && logged()) resolve();
        };
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          check();
        });
        child.stderr.on('data', (c: Buffer) => {
          err += c.toString();
          check();
        });
        child.once('exit', (code) => reject(new Error(`serve exited (${code})\n${out}\n${err}`)));
      });
      assert.ok(err.includes(`WARNING: ${warning}\n`), err);
      assert.ok(logged(), out);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      rmSync(data, { recursive: true, force: true });
    }
  });
});
