// The HTTP server's own limits and faults, answered in the dialect of the request's path: a body
// trickled one byte at a time or headers that never end are cut off (408) while other clients
// are served; connections over the cap are closed; undecodable paths, over-long URLs and header
// blocks, and paths no dialect serves get EC2 XML at the root and Huawei JSON under /v5 and
// /sitevpn. Raw sockets, so that nothing in a client library tidies the request up.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DescribeVpnGatewaysCommand } from '@aws-sdk/client-ec2';
import { loadConfig } from '../src/config/config.ts';
import { ec2Client } from './support/aws-client.ts';
import { eventually, startTestServer, TEST_PROJECT, type TestServer } from './support/server.ts';

const XML = 'text/xml;charset=UTF-8';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Every byte the server sent before closing. */
  raw: string;
}

function parse(raw: string): RawAnswer {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n'), raw };
}

/** Opens a socket, sends `first`, then `next()` every few ms until the server closes the socket. */
function rawClient(port: number, first: string, next?: () => string): { socket: Socket; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  let timer: ReturnType<typeof setInterval> | undefined;
  socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
  socket.on('error', () => {}); // writes racing the server's close
  socket.write(first);
  if (next) timer = setInterval(() => socket.writable && socket.write(next()), 20);
  const closed = new Promise<string>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve(received);
    }),
  );
  return { socket, closed };
}

async function request(port: number, path: string, extraHeaders = ''): Promise<RawAnswer> {
  return parse(await rawClient(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extraHeaders}Connection: close\r\n\r\n`).closed);
}

function ec2Error(r: RawAnswer, status: number, code: string, message: string): void {
  assert.equal(r.status, status);
  assert.equal(r.headers['content-type'], XML);
  const id = r.headers['x-amzn-requestid'];
  assert.equal(
    r.body,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`,
  );
}

function huaweiError(r: RawAnswer, status: number, code: string, message: string): void {
  assert.equal(r.status, status);
  assert.match(r.headers['content-type'], /^application\/json/);
  assert.deepEqual(JSON.parse(r.body), { error_code: code, error_msg: message, request_id: r.headers['x-request-id'] });
}

describe('timeouts', () => {
  let server: TestServer;
  let port: number;
  before(async () => {
    server = await startTestServer({
      http: { headersTimeoutMs: 300, requestTimeoutMs: 300, idleTimeoutMs: 60_000, keepAliveTimeoutMs: 5_000, maxConnections: 1024 },
    });
    port = Number(new URL(server.endpoint).port);
  });
  after(() => server.close());

  // The per-test timeouts only turn a regression (a socket held for ever) into a failure.
  it('cuts off clients trickling a body one byte at a time, in their dialect, while other clients are served', {
    timeout: 30_000,
  }, async () => {
    const post = (path: string, type: string) =>
      rawClient(port, `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nContent-Length: 100000\r\n\r\n`, () => 'a');
    const trickling = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0 ? post('/', 'application/x-www-form-urlencoded') : post(`/v5/${TEST_PROJECT}/vpn-connection`, 'application/json'),
    );
    // Served while the tricklers hold their sockets (and after, whichever comes first).
    const ec2 = await ec2Client(server.endpoint).send(new DescribeVpnGatewaysCommand({}));
    assert.equal(ec2.$metadata.httpStatusCode, 200);
    assert.equal((await server.huawei.call('GET', '/vpn-gateways')).status, 200);

    for (const [i, t] of trickling.entries()) {
      const r = parse(await t.closed);
      assert.equal(r.headers.connection, 'close');
      if (i % 2 === 0) ec2Error(r, 408, 'RequestTimeout', 'The request was not received completely in time.');
      else huaweiError(r, 408, 'VPN.0001', 'invalid request: the request was not received completely in time');
    }
  });

  it('cuts off a client whose headers never end', { timeout: 30_000 }, async () => {
    let n = 0;
    const slow = rawClient(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n', () => `X-Slow-${n++}: a\r\n`);
    ec2Error(parse(await slow.closed), 408, 'RequestTimeout', 'The request was not received completely in time.');
  });
});

describe('connection cap', () => {
  let server: TestServer;
  let port: number;
  before(async () => {
    server = await startTestServer({
      http: { headersTimeoutMs: 60_000, requestTimeoutMs: 60_000, idleTimeoutMs: 60_000, keepAliveTimeoutMs: 5_000, maxConnections: 2 },
    });
    port = Number(new URL(server.endpoint).port);
  });
  after(() => server.close());

  it('closes connections over the cap at once, and serves again when one ends', { timeout: 30_000 }, async () => {
    const held = [rawClient(port, 'GET / HTTP/1.1\r\n'), rawClient(port, 'GET / HTTP/1.1\r\n')];
    await Promise.all(held.map((h) => new Promise((r) => h.socket.once('ready', r))));
    await eventually(async () => (await connections(server)) === 2);
    const over = rawClient(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    assert.equal(await over.closed, '');
    held[0].socket.destroy();
    // The server counts the ended connection out when it sees it close; until then it refuses.
    const served = await eventually(async () => {
      const r = await request(port, '/sitevpn/v2');
      return r.raw !== '' && r;
    });
    huaweiError(served, 404, 'APIGW.0101', 'The API does not exist or has not been published in the environment');
    held[1].socket.destroy();
  });
});

function connections(server: TestServer): Promise<number> {
  return new Promise((resolve, reject) => server.app.server.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
}

describe('malformed paths and oversized requests', () => {
  let server: TestServer;
  let port: number;
  before(async () => {
    server = await startTestServer();
    port = Number(new URL(server.endpoint).port);
  });
  after(() => server.close());

  it('answers a path with bad percent-encoding in the format of its dialect', async () => {
    ec2Error(
      await request(port, '/%zz'),
      400,
      'MalformedQueryString',
      'The request URI is not valid: it contains an invalid percent-encoding.',
    );
    const bad = 'invalid request: the URL is not valid percent-encoding';
    huaweiError(await request(port, '/v5/%zz/vpn-connection'), 400, 'VPN.0001', bad);
    huaweiError(await request(port, `/v5/${TEST_PROJECT}/vpn-connection/%E0%A4%A`), 400, 'VPN.0001', bad);
    huaweiError(await request(port, `/sitevpn/v1/projects/${TEST_PROJECT}/vpn-connections/%zz/history`), 400, 'VPN.0001', bad);
  });

  it('answers too-long URLs with 414 in the format of their dialect', async () => {
    const long = 'a'.repeat(101);
    huaweiError(await request(port, `/v5/${TEST_PROJECT}/vpn-connection/${long}`), 414, 'VPN.0001', 'invalid request: the URL is too long');
    huaweiError(
      await request(port, `/sitevpn/v1/projects/${TEST_PROJECT}/vpn-connections/${long}/history`),
      414,
      'VPN.0001',
      'invalid request: the URL is too long',
    );
    const huge = `x=${'a'.repeat(20_000)}`;
    ec2Error(await request(port, `/?${huge}`), 414, 'RequestURITooLong', 'The request URI is too long.');
    huaweiError(await request(port, `/v5/${TEST_PROJECT}/vpn-connection?${huge}`), 414, 'VPN.0001', 'invalid request: the URL is too long');
  });

  it('answers an oversized header block with 431 in the format of its dialect', async () => {
    const big = `X-Big: ${'b'.repeat(20_000)}\r\n`;
    ec2Error(await request(port, '/', big), 431, 'RequestHeaderSectionTooLarge', 'The request headers are too large.');
    huaweiError(
      await request(port, `/v5/${TEST_PROJECT}/vpn-connection`, big),
      431,
      'VPN.0001',
      'invalid request: the request headers are too large',
    );
  });

  it('answers a path no dialect serves in the format of the prefix it falls under', async () => {
    ec2Error(
      await request(port, '/foo'),
      400,
      'InvalidAction',
      'The requested path is not valid for this web service; EC2 Query requests go to /.',
    );
    const unknown = 'The API does not exist or has not been published in the environment';
    huaweiError(await request(port, '/sitevpn/v2/things'), 404, 'APIGW.0101', unknown);
    huaweiError(await request(port, '/v5'), 404, 'APIGW.0101', unknown);
  });
});

describe('configuration of the limits', () => {
  it('reads the limits from the environment, with defaults, and refuses nonsense', () => {
    assert.deepEqual(loadConfig({}).http, {
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      idleTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1024,
    });
    const env = {
      SITEVPN_HEADERS_TIMEOUT_MS: '2000',
      SITEVPN_REQUEST_TIMEOUT_MS: '4000',
      SITEVPN_IDLE_TIMEOUT_MS: '9000',
      SITEVPN_KEEP_ALIVE_TIMEOUT_MS: '1000',
      SITEVPN_MAX_CONNECTIONS: '64',
    };
    assert.deepEqual(loadConfig(env).http, {
      headersTimeoutMs: 2000,
      requestTimeoutMs: 4000,
      idleTimeoutMs: 9000,
      keepAliveTimeoutMs: 1000,
      maxConnections: 64,
    });
    assert.throws(
      () => loadConfig({ SITEVPN_REQUEST_TIMEOUT_MS: '0' }),
      /SITEVPN_REQUEST_TIMEOUT_MS must be an integer from 1 to 86400000, got "0"/,
    );
    assert.throws(
      () => loadConfig({ SITEVPN_MAX_CONNECTIONS: '1.5' }),
      /SITEVPN_MAX_CONNECTIONS must be an integer from 1 to 1000000, got "1.5"/,
    );
    assert.throws(
      () => loadConfig({ SITEVPN_HEADERS_TIMEOUT_MS: '5000', SITEVPN_REQUEST_TIMEOUT_MS: '4000' }),
      /SITEVPN_HEADERS_TIMEOUT_MS must be at most the request timeout \(environment variable SITEVPN_REQUEST_TIMEOUT_MS, 4000\), got 5000/,
    );
  });
});
