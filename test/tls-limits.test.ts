// The plain server's slow-client limits hold under TLS too: HTTP/1.1 over TLS with headers that
// never end or a body trickled byte by byte, and an HTTP/2 request whose body never completes, are
// cut off with the dialect's 408; an idle HTTP/2 session is closed; connections over the cap are
// refused. Each test waits for the server to close; none measures how long that took.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import pino from 'pino';
import { type HttpLimits, loadConfig } from '../src/config/config.ts';
import { type App, createApp } from '../src/http/app.ts';
import { hasOpenssl, makeSelfSigned, requireOpenssl } from './support/self-signed.ts';
import { TEST_AK, TEST_PROJECT, TEST_SK } from './support/server.ts';

requireOpenssl('test/tls-limits.test.ts');

const dir = mkdtempSync(join(tmpdir(), 'sitevpn-tls-limits-'));
let ca: Buffer;
let certFile = '';
let keyFile = '';
const apps: App[] = [];

async function tlsServer(name: string, http: Partial<HttpLimits>): Promise<{ endpoint: string; port: number }> {
  const config = loadConfig(
    { SITEVPN_ACCESS_KEY_ID: TEST_AK, SITEVPN_SECRET_ACCESS_KEY: TEST_SK, SITEVPN_PROJECT_ID: TEST_PROJECT },
    { dataDir: join(dir, name), port: 0, simulatedDelayMs: 5, logLevel: 'silent', tlsCert: certFile, tlsKey: keyFile, http },
  );
  const app = await createApp(config, { logger: pino({ level: 'silent' }) });
  apps.push(app);
  const endpoint = await app.listen();
  return { endpoint, port: Number(new URL(endpoint).port) };
}

/** An HTTP/1.1-over-TLS socket that sends `first`, then `next()` every 20 ms; resolves with all it received once the server closes. */
function tlsClient(port: number, first: string, next?: () => string): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    let timer: ReturnType<typeof setInterval> | undefined;
    const socket = tls.connect({ port, host: '127.0.0.1', ca, ALPNProtocols: ['http/1.1'] }, () => {
      socket.write(first);
      if (next) timer = setInterval(() => socket.writable && socket.write(next()), 20);
    });
    socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
    socket.on('error', () => {}); // writes racing the server's close
    socket.on('close', () => {
      clearInterval(timer);
      resolve(received);
    });
  });
}

function statusAndBody(raw: string): { status: number; body: string; headers: string } {
  const [head, ...rest] = raw.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: rest.join('\r\n\r\n') };
}

const TIMEOUT_MESSAGE = 'invalid request: the request was not received completely in time';

before(() => {
  if (!hasOpenssl) return;
  ({ certFile, keyFile, cert: ca } = makeSelfSigned(dir));
});
after(async () => {
  for (const app of apps) await app.close();
  rmSync(dir, { recursive: true, force: true });
});

// The per-test timeouts only turn a regression (a socket held for ever) into a failure.
describe('slow clients under TLS', { skip: !hasOpenssl && 'openssl missing' }, () => {
  let port: number;
  let endpoint: string;
  before(async () => {
    ({ port, endpoint } = await tlsServer('slow', { headersTimeoutMs: 1000, requestTimeoutMs: 1000, idleTimeoutMs: 2000 }));
  });

  it('cuts off an HTTP/1.1-over-TLS client whose headers never end, with EC2 408 RequestTimeout', { timeout: 30_000 }, async () => {
    const r = statusAndBody(await tlsClient(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
    assert.equal(r.status, 408);
    assert.match(r.headers, /content-type: text\/xml;charset=utf-8/);
    assert.match(r.body, /<Code>RequestTimeout<\/Code>/);
  });

  it('cuts off an HTTP/1.1-over-TLS client trickling a Huawei body, with VPN.0001 408', { timeout: 30_000 }, async () => {
    const head = `POST /v5/${TEST_PROJECT}/vpn-connection HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`;
    const r = statusAndBody(await tlsClient(port, head, () => 'a'));
    assert.equal(r.status, 408);
    assert.equal(JSON.parse(r.body).error_code, 'VPN.0001');
    assert.equal(JSON.parse(r.body).error_msg, TIMEOUT_MESSAGE);
  });

  it('answers an HTTP/2 request whose body never completes with the dialect 408 and closes the stream', { timeout: 30_000 }, async () => {
    const session = http2.connect(endpoint, { ca });
    session.on('error', () => {});
    try {
      const stream = session.request(
        { ':method': 'POST', ':path': `/v5/${TEST_PROJECT}/vpn-connection`, 'content-type': 'application/json' },
        { endStream: false },
      );
      stream.write('{"vpn_connection":');
      let status = 0;
      let body = '';
      stream.on('response', (h) => (status = Number(h[':status'])));
      stream.on('data', (c: Buffer) => (body += c));
      await new Promise((resolve) => stream.on('close', resolve));
      assert.equal(status, 408);
      const error = JSON.parse(body);
      assert.equal(error.error_code, 'VPN.0001');
      assert.equal(error.error_msg, TIMEOUT_MESSAGE);
    } finally {
      session.destroy();
    }
  });

  it('closes an HTTP/2 session that stays idle', { timeout: 30_000 }, async () => {
    const session = http2.connect(endpoint, { ca });
    session.on('error', () => {});
    await new Promise((resolve) => session.on('connect', resolve));
    await new Promise((resolve) => session.on('close', resolve));
    assert.equal(session.destroyed, true);
  });
});

describe('TLS handshakes', { skip: !hasOpenssl && 'openssl missing' }, () => {
  it('closes a connection that never starts its TLS handshake, by the headers timeout, not the idle one', { timeout: 30_000 }, async () => {
    const { port } = await tlsServer('handshake', { headersTimeoutMs: 500, requestTimeoutMs: 500, idleTimeoutMs: 600_000 });
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    let received = 0;
    socket.on('data', (c: Buffer) => (received += c.length));
    await new Promise((resolve) => socket.on('close', resolve));
    assert.equal(received, 0);
  });

  it('keeps a TLS connection once its handshake is done: it outlives the deadline that closes a silent one opened after it', {
    timeout: 30_000,
  }, async () => {
    const { endpoint, port } = await tlsServer('handshake-ok', { headersTimeoutMs: 500, requestTimeoutMs: 500, idleTimeoutMs: 600_000 });
    const session = http2.connect(endpoint, { ca });
    session.on('error', () => {});
    await new Promise((resolve) => session.on('connect', resolve));
    // Accepted after the session's socket, so its deadline comes later: once it has closed, the
    // session's handshake deadline has passed too.
    const silent = connect(port, '127.0.0.1');
    silent.on('error', () => {});
    await new Promise((resolve) => silent.on('close', resolve));
    const stream = session.request({ ':path': '/healthz' });
    let status = 0;
    stream.on('response', (h) => (status = Number(h[':status'])));
    stream.resume();
    await new Promise((resolve) => stream.on('close', resolve));
    assert.equal(status, 200);
    assert.equal(session.destroyed, false);
    session.destroy();
  });
});

describe('the connection cap under TLS', { skip: !hasOpenssl && 'openssl missing' }, () => {
  it('closes a TLS connection over the cap before its handshake while the first one is kept', { timeout: 30_000 }, async () => {
    const { port } = await tlsServer('cap', { maxConnections: 1 });
    const first = tls.connect({ port, host: '127.0.0.1', ca, ALPNProtocols: ['http/1.1'] });
    first.on('error', () => {});
    await new Promise((resolve) => first.on('secureConnect', resolve));
    const second = tls.connect({ port, host: '127.0.0.1', ca, ALPNProtocols: ['http/1.1'] });
    let secured = false;
    second.on('secureConnect', () => (secured = true));
    second.on('error', () => {});
    await new Promise((resolve) => second.on('close', resolve));
    assert.equal(secured, false);
    assert.equal(first.destroyed, false);
    first.destroy();
  });
});
