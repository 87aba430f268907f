// OpenAPI at /openapi.json and the page at /docs: every Huawei and extension route is in the
// document under its own name, each request body schema is the one the handler validates with,
// and every example body, signed with the Huawei SDK signer and sent to the real server (with the
// placeholder ids replaced by real ones), passes validation.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { huaweiRoutes } from '../src/dialects/huawei-vpn/routes/index.ts';
import { extRoutes } from '../src/dialects/sitevpn-ext/routes/index.ts';
import { EXT_PREFIX, HUAWEI_PREFIX, openApiPath } from '../src/http/openapi.ts';
import { EXAMPLE_IDS, EXT_OPERATIONS, HUAWEI_OPERATIONS } from '../src/http/openapi-operations.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

type Op = { operationId: string; requestBody?: { content: { 'application/json': { schema: unknown; example: Record<string, unknown> } } } };
type Doc = { openapi: string; paths: Record<string, Record<string, Op>> };

const SRC = fileURLToPath(new URL('../src/dialects/', import.meta.url));
const ROUTE_DIRS: [string, string][] = [
  [join(SRC, 'huawei-vpn/routes'), HUAWEI_PREFIX],
  [join(SRC, 'sitevpn-ext/routes'), EXT_PREFIX],
];

let server: TestServer;
let doc: Doc;
before(async () => {
  server = await startTestServer();
  const r = await fetch(`${server.endpoint}/openapi.json`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
  doc = (await r.json()) as Doc;
});
after(() => server.close());

const all = [
  ...huaweiRoutes.map((r) => ({ ...r, prefix: HUAWEI_PREFIX, table: HUAWEI_OPERATIONS })),
  ...extRoutes.map((r) => ({ ...r, prefix: EXT_PREFIX, table: EXT_OPERATIONS })),
];

describe('GET /openapi.json', () => {
  it('is OpenAPI 3.1 with every Huawei and extension route under its operation name, and nothing else', () => {
    assert.equal(doc.openapi, '3.1.0');
    const expected = all.map((r) => `${r.method} ${openApiPath(r.prefix + r.url)} ${r.table[`${r.method} ${r.url}`]?.name}`).sort();
    const listed = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.entries(ops).map(([m, op]) => `${m.toUpperCase()} ${path} ${op.operationId}`))
      .sort();
    assert.deepEqual(listed, expected);
    assert.equal(listed.length, huaweiRoutes.length + extRoutes.length);
    assert.ok(!listed.some((l) => l.endsWith(' undefined')), 'a route has no entry in openapi-operations.ts');
    // No entry describes a route that does not exist.
    assert.equal(Object.keys(HUAWEI_OPERATIONS).length, huaweiRoutes.length);
    assert.equal(Object.keys(EXT_OPERATIONS).length, extRoutes.length);
  });

  it('documents a body for every POST and PUT that reads one, with the schema the handler validates and an example that schema accepts', () => {
    const withBody = all.filter((r) => r.table[`${r.method} ${r.url}`]?.body);
    // The routes whose handler parses a JSON body, read from their source files.
    const reading = ROUTE_DIRS.flatMap(([dir, prefix]) =>
      readdirSync(dir)
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .filter((src) => src.includes('parseJsonBody(body)'))
        .map((src) => `${/method: '(\w+)'/.exec(src)![1]} ${prefix}${/url: '([^']+)'/.exec(src)![1]}`),
    );
    assert.deepEqual(withBody.map((r) => `${r.method} ${r.prefix}${r.url}`).sort(), reading.sort());
    assert.equal(withBody.length, 11);
    for (const r of withBody) {
      const entry = r.table[`${r.method} ${r.url}`];
      const op = doc.paths[openApiPath(r.prefix + r.url)][r.method.toLowerCase()];
      const content = op.requestBody!.content['application/json'];
      assert.deepEqual(content.example, entry.example);
      assert.ok(TypeCompiler.Compile(entry.body!).Check(entry.example), `${entry.name}: the example fails its schema`);
      // The same schema, as plain JSON Schema (error texts become descriptions).
      assert.equal(typeof content.schema, 'object');
      assert.equal((content.schema as { type: string }).type, 'object');
    }
  });

  it('accepts every example through the real server: a 2xx or a domain answer, never a validation error', async () => {
    const hw = server.huawei;
    const gw = await hw.call('POST', '/vpn-gateways', HUAWEI_OPERATIONS['POST /vpn-gateways'].example);
    assert.equal(gw.status, 201, gw.errorMsg);
    const vgw = (await hw.call('GET', `/vpn-gateways/${gw.body.vpn_gateway.id}`)).body.vpn_gateway as { id: string; eip1: { id: string } };
    const cgw = await hw.call('POST', '/customer-gateways', HUAWEI_OPERATIONS['POST /customer-gateways'].example);
    assert.equal(cgw.status, 201, cgw.errorMsg);
    const ids: Record<string, string> = {
      [EXAMPLE_IDS.vgw]: vgw.id,
      [EXAMPLE_IDS.eip]: vgw.eip1.id,
      [EXAMPLE_IDS.cgw]: cgw.body.customer_gateway.id,
    };
    const fill = (v: unknown) =>
      v === undefined ? undefined : JSON.parse(Object.entries(ids).reduce((s, [from, to]) => s.split(from).join(to), JSON.stringify(v)));
    const conn = await hw.call('POST', '/vpn-connection', fill(HUAWEI_OPERATIONS['POST /vpn-connection'].example));
    assert.equal(conn.status, 201, conn.errorMsg);
    ids[EXAMPLE_IDS.connection] = conn.body.vpn_connection.id;
    const mon = await hw.call('POST', '/connection-monitors', fill(HUAWEI_OPERATIONS['POST /connection-monitors'].example));
    const params: Record<string, string> = {
      project_id: TEST_PROJECT,
      vgw_id: vgw.id,
      customer_gateway_id: ids[EXAMPLE_IDS.cgw],
      vpn_connection_id: ids[EXAMPLE_IDS.connection],
      connection_monitor_id: mon.body.connection_monitor.id,
    };
    // Deletes last, the dependants first.
    const deleteOrder = ['connection-monitors', 'device-profile', 'vpn-connection', 'customer-gateways', 'vpn-gateways'];
    const rank = (r: (typeof all)[number]) => (r.method !== 'DELETE' ? -1 : deleteOrder.findIndex((w) => r.url.includes(w)));
    const answers: string[] = [];
    for (const r of [...all].sort((a, b) => rank(a) - rank(b))) {
      const entry = r.table[`${r.method} ${r.url}`];
      const path = (r.prefix + r.url).replace(/:([a-z_]+)/g, (_, name: string) => params[name]);
      const res = await send(
        signHuawei({ endpoint: server.endpoint, method: r.method, path, data: fill(entry.example), ak: TEST_AK, sk: TEST_SK }),
      );
      answers.push(`${entry.name} ${res.status}`);
      const ok = res.status < 300 || (res.status < 500 && res.json?.error_code !== 'VPN.0001' && res.status !== 401 && res.status !== 403);
      assert.ok(ok, `${entry.name}: ${res.status} ${res.text}`);
    }
    assert.equal(answers.length, all.length);
  });
});

describe('GET /docs', () => {
  it('serves a self-contained page that renders /openapi.json, with nothing loaded from elsewhere', async () => {
    const r = await fetch(`${server.endpoint}/docs`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await r.text();
    assert.match(html, /fetch\('openapi\.json'\)/);
    assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//i);
    assert.doesNotMatch(html, /https?:\/\//);
  });
});
