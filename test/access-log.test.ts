// The access line is built by hand (src/http/logging.ts) for speed; it must stay the line pino
// itself writes for `logger.info({reqId, method, url, status, ms}, 'request')`, one per request,
// and loggers pino would format differently (a mixin here) must keep pino's own path.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino, { type LoggerOptions } from 'pino';
import { startTestServer } from './support/server.ts';

function capture(): { lines: () => string[]; sink: Writable } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    sink,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== ''),
  };
}

async function accessLinesOf(options: LoggerOptions, urls: string[]): Promise<string[]> {
  const { sink, lines } = capture();
  const server = await startTestServer({ logLevel: 'info' }, { logger: pino({ level: 'info', ...options }, sink) });
  try {
    const answers = await Promise.all(urls.map((u) => fetch(server.endpoint + u)));
    for (const a of answers) await a.arrayBuffer();
  } finally {
    await server.close();
  }
  return lines().filter((l) => l.includes('"msg":"request"'));
}

describe('access log', () => {
  it('writes one line per request, byte for byte the line pino writes for the same fields', async () => {
    const urls = ['/healthz', '/healthz?a=1', '/no-such-path', '/healthz'];
    const got = await accessLinesOf({}, urls);
    assert.equal(got.length, urls.length);
    for (const line of got) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const { sink, lines } = capture();
      pino({ level: 'info' }, sink).info(
        { reqId: parsed.reqId, method: parsed.method, url: parsed.url, status: parsed.status, ms: parsed.ms },
        'request',
      );
      assert.equal(line.replace(/"time":\d+/, '"time":0'), lines()[0]!.replace(/"time":\d+/, '"time":0'));
    }
    const byUrl = got.map((l) => JSON.parse(l) as { url: string; status: number; method: string });
    assert.deepEqual(byUrl.map((l) => `${l.method} ${l.url} ${l.status}`).sort(), [
      'GET /healthz 200',
      'GET /healthz 200',
      'GET /healthz?a=1 200',
      'GET /no-such-path 400',
    ]);
  });

  it('keeps what a mixin adds when the logger has one', async () => {
    const got = await accessLinesOf({ mixin: () => ({ node: 'n1' }) }, ['/healthz']);
    assert.equal(got.length, 1);
    const parsed = JSON.parse(got[0]!) as Record<string, unknown>;
    assert.equal(parsed.node, 'n1');
    assert.equal(parsed.url, '/healthz');
    assert.equal(parsed.status, 200);
  });
});
