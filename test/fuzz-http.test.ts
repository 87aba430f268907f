// Property-based fuzzing of what comes before a dialect: request paths (encoded slashes, `..`,
// bad percent-encoding, overlong segments, raw UTF-8), headers (content types, encodings,
// duplicates, Content-Length lies, chunked bodies) and body sizes around the limit, through the
// real server. Every answer must be below 500 and arrive; every error must be in the format of the
// dialect that owns the path (Huawei JSON under /v5 and /sitevpn, EC2 XML at /, either elsewhere);
// a rejected request must leave the database as it was.
// FUZZ_RUNS=<n> for a longer run, FUZZ_SEED=<n> to replay.

import { after, afterEach, before, describe, it, type TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { gatewayPair } from './support/fixtures.ts';
import { type Dialect, ec2Signed, FuzzHarness, fuzz, huaweiSigned } from './support/fuzz.ts';
import type { RawRequest } from './support/raw-http.ts';
import { TEST_PROJECT } from './support/server.ts';

let h: FuzzHarness;
let gatewayId: string;
const LIMIT = 64 * 1024;

before(async () => {
  h = await FuzzHarness.start({ bodyLimitBytes: LIMIT });
  gatewayId = (await gatewayPair(h.server)).gateway.id;
});
after(() => h.close());
// What the cases were answered, so a run shows they reach the handlers and not only the checks in front.
afterEach((t) => (t as TestContext).diagnostic(`answers: ${h.takeStats()}`));

/** The dialect that owns a request target, by its raw prefix. */
function owner(target: string): Dialect {
  const path = target.split('?')[0];
  if (path === '/v5' || path.startsWith('/v5/') || path.startsWith('/sitevpn/')) return 'huawei';
  if (path === '/') return 'ec2';
  return 'either';
}

const segment = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      'v5',
      TEST_PROJECT,
      'vpn-connection',
      'vpn-gateways',
      'customer-gateways',
      'sitevpn',
      'v1',
      'projects',
      'device-profile',
      'history',
      'log',
      'events',
    ),
    weight: 6,
  },
  {
    arbitrary: fc.constantFrom(
      '',
      '.',
      '..',
      '%2e%2e',
      '%2E',
      '%2F',
      '%2f..%2f',
      '%5C',
      '%',
      '%z',
      '%zz',
      '%C0%AF',
      '%E0%80%AF',
      '%FF',
      '%00',
      '%25',
      ';',
      ';x=1',
      'a%20b',
      '*',
      '~',
      '%u0041',
    ),
    weight: 4,
  },
  { arbitrary: fc.integer({ min: 90, max: 8000 }).map((n) => 'a'.repeat(n)), weight: 1 },
  {
    arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).map((s) => Buffer.from(s, 'utf8').toString('latin1')),
    weight: 2,
  },
);

const pathArb = fc.record({
  lead: fc.constantFrom('/', '/v5/', `/v5/${TEST_PROJECT}/`, `/sitevpn/v1/projects/${TEST_PROJECT}/`, '//', '/./', '/%2F'),
  segments: fc.array(segment, { maxLength: 5 }),
  query: fc.option(
    fc.constantFrom(
      '',
      'a',
      'limit=1&limit=2',
      'Action=DescribeVpnConnections',
      '%zz=1',
      '&&',
      '=',
      'x=%',
      'a[b]=1',
      '__proto__=1',
      'constructor[prototype]=1',
    ),
    { nil: undefined },
  ),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
  signed: fc.boolean(),
});

/** Latin-1 characters are raw bytes on the wire: a segment of raw UTF-8. */
function targetOf(p: { lead: string; segments: string[]; query?: string }): string {
  return p.lead + p.segments.join('/') + (p.query !== undefined ? `?${p.query}` : '');
}

describe('fuzzing the HTTP layer in front of both dialects', () => {
  it('answers every mangled path below 500, in the owning dialect format, without writing on a rejection', async () => {
    await fuzz(pathArb, 120, async (p) => {
      const target = targetOf(p);
      let req: RawRequest = { method: p.method, target, headers: [] };
      if (p.signed && owner(target) === 'huawei') {
        // Signed as the SDK would sign the path it was given; the raw target is what is sent.
        try {
          req = { ...huaweiSigned({ endpoint: h.endpoint, method: p.method, path: target.split('?')[0] }), target };
        } catch {
          // The signer refuses some paths outright; the unsigned request is still sent.
        }
      }
      await h.exercise(owner(target), req);
    });
  });

  it('answers requests with mangled headers and framing below 500, in the dialect format, without writing on a rejection', async () => {
    const arb = fc.record({
      base: fc.constantFrom('huawei-put', 'ec2-post', 'ext-get'),
      contentType: fc.option(
        fc.constantFrom(
          '',
          'text/plain',
          'application/json; charset=utf-16',
          'application/json;charset=latin1',
          'multipart/form-data; boundary=x',
          'application/x-www-form-urlencoded',
          'application/xml',
          'APPLICATION/JSON',
          '*/*',
          'application/json, text/plain',
        ),
        { nil: undefined },
      ),
      signAfterContentType: fc.boolean(),
      encoding: fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip'), { nil: undefined }),
      gzipBody: fc.boolean(),
      chunked: fc.boolean(),
      lengthLie: fc.option(
        fc.integer({ min: -20, max: 20 }).filter((n) => n !== 0),
        { nil: undefined },
      ),
      duplicate: fc.option(fc.constantFrom('authorization', 'x-sdk-date', 'content-type', 'x-amz-date', 'host'), { nil: undefined }),
      extra: fc.option(
        fc.constantFrom<[string, string]>(
          ['Expect', '100-continue'],
          ['X-Padding', 'p'.repeat(8000)],
          ['X-Request-Id', 'client-chosen'],
          ['X-Forwarded-For', '127.0.0.1, ::1'],
          ['Accept-Encoding', 'gzip'],
          ['Content-Type', 'application/json'],
          ['Transfer-Encoding', 'identity'],
        ),
        { nil: undefined },
      ),
    });
    await fuzz(arb, 120, async (c) => {
      const dialect: Dialect = c.base === 'ec2-post' ? 'ec2' : 'huawei';
      const ct: Record<string, string> = c.contentType !== undefined && c.signAfterContentType ? { 'content-type': c.contentType } : {};
      let req: RawRequest;
      if (c.base === 'huawei-put') {
        req = huaweiSigned({
          endpoint: h.endpoint,
          method: 'PUT',
          path: `/v5/${TEST_PROJECT}/vpn-gateways/${gatewayId}`,
          headers: ct,
          body: Buffer.from('{"vpn_gateway":{"name":"gw-h"}}'),
        });
      } else if (c.base === 'ext-get') {
        req = huaweiSigned({
          endpoint: h.endpoint,
          method: 'GET',
          path: `/sitevpn/v1/projects/${TEST_PROJECT}/events`,
          query: [['limit', '3']],
          headers: ct,
        });
      } else {
        req = await ec2Signed({
          endpoint: h.endpoint,
          body: Buffer.from('Action=DescribeVpnConnections&Version=2016-11-15'),
          contentType: ct['content-type'],
        });
      }
      const headers = [...req.headers];
      const set = (name: string, value: string) => {
        const i = headers.findIndex(([k]) => k.toLowerCase() === name);
        if (i >= 0) headers[i] = [headers[i][0], value];
        else headers.push([name, value]);
      };
      if (c.contentType !== undefined && !c.signAfterContentType) set('content-type', c.contentType);
      let body = req.body ?? Buffer.alloc(0);
      if (c.encoding !== undefined) {
        headers.push(['Content-Encoding', c.encoding]);
        if (c.gzipBody) body = gzipSync(body);
      }
      if (c.duplicate !== undefined) {
        const first = headers.find(([k]) => k.toLowerCase() === c.duplicate);
        headers.push([c.duplicate, first ? first[1] : 'example.com']);
      }
      if (c.extra !== undefined) headers.push(c.extra);
      let allowClose = false;
      if (c.chunked && body.length > 0) {
        headers.push(['Transfer-Encoding', 'chunked']);
        const half = Math.ceil(body.length / 2);
        const chunk = (b: Buffer) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
        body = Buffer.concat([chunk(body.subarray(0, half)), chunk(body.subarray(half)), Buffer.from('0\r\n\r\n')]);
      } else if (c.lengthLie !== undefined) {
        // Too long: the client sends all it has and stops; too short: the rest is left over.
        headers.push(['Content-Length', String(Math.max(0, body.length + c.lengthLie))]);
        allowClose = true;
      }
      // Broken framing (a length that lies, two Hosts, a length with chunks) is refused by the HTTP
      // parser before any dialect sees the request, possibly after answering the first request
      // of the pipeline: an answer in either dialect's format, or a closed connection.
      if (c.extra?.[0] === 'Transfer-Encoding' || c.duplicate === 'host') allowClose = true;
      const framing = allowClose || c.lengthLie !== undefined;
      await h.exercise(
        framing ? 'either' : dialect,
        { method: req.method, target: req.target, headers, body, autoLength: !c.chunked, halfClose: allowClose },
        { allowClose },
      );
    });
  });

  it('answers bodies around and above the size limit below 500, in the dialect format, without writing', async () => {
    const arb = fc.record({
      dialect: fc.constantFrom('huawei', 'ec2'),
      size: fc.oneof(fc.constantFrom(0, 1, LIMIT - 1, LIMIT, LIMIT + 1), fc.integer({ min: 0, max: 4 * LIMIT })),
    });
    await fuzz(arb, 30, async ({ dialect, size }) => {
      const over = size > LIMIT;
      if (dialect === 'huawei') {
        const frame = '{"vpn_gateway":{"name":"gw-s","x":""}}';
        const body = Buffer.from(frame.replace('""', `"${'a'.repeat(Math.max(0, size - frame.length))}"`));
        await h.exercise(
          'huawei',
          huaweiSigned({ endpoint: h.endpoint, method: 'PUT', path: `/v5/${TEST_PROJECT}/vpn-gateways/${gatewayId}`, body }),
          { allowClose: over },
        );
      } else {
        const frame = 'Action=DescribeVpnConnections&Version=2016-11-15&Filter.1.Name=state&Filter.1.Value.1=';
        const body = Buffer.from(frame + 'a'.repeat(Math.max(0, size - frame.length)));
        await h.exercise('ec2', await ec2Signed({ endpoint: h.endpoint, body }), { allowClose: over });
      }
    });
  });
});
