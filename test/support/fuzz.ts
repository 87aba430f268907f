// The fuzz harness: a real server on a ManualClock (so nothing in the background writes while a
// request is judged), a deterministic dump of every table, and the invariants every answer must
// keep: no 5xx, no hang, errors in the dialect's own format, nothing written by a rejected request.
// FUZZ_RUNS=<n> runs n cases per property instead of the bounded default; FUZZ_SEED=<n> replays.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import type { SitevpnConfig } from '../../src/config/config.ts';
import { ManualClock } from '../../src/domain/manual-clock.ts';
import { HungRequestError, type RawOutcome, type RawRequest, type RawResponse, sendRaw } from './raw-http.ts';
import { startTestServer, type TestServer } from './server.ts';

export { ec2Signed, ec2SignedGet, huaweiSigned, pct, queryString } from './fuzz-sign.ts';

/** Which error format a request must be answered in; 'either' for paths neither dialect owns. */
export type Dialect = 'huawei' | 'ec2' | 'either';

export function fuzzRuns(bounded: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : bounded;
}

/** fc.assert with the run count and seed from the environment; fast-check prints the seed and the shrunk case. */
export async function fuzz<T>(arb: fc.Arbitrary<T>, bounded: number, check: (value: T) => Promise<void>): Promise<void> {
  const seed = Number(process.env.FUZZ_SEED);
  await fc.assert(fc.asyncProperty(arb, check), {
    numRuns: fuzzRuns(bounded),
    includeErrorInReport: true,
    ...(Number.isInteger(seed) ? { seed } : {}),
  });
}

export class FuzzHarness {
  readonly clock: ManualClock;
  readonly server: TestServer;
  readonly #db: Database.Database;
  /** Answers seen since the last takeStats(), by status and error code: proof the cases reach the handlers. */
  #stats = new Map<string, number>();

  private constructor(server: TestServer, clock: ManualClock) {
    this.server = server;
    this.clock = clock;
    this.#db = new Database(server.app.config.databaseFile, { readonly: true, fileMustExist: true });
  }

  static async start(overrides: Partial<SitevpnConfig> = {}): Promise<FuzzHarness> {
    const clock = new ManualClock(Date.now());
    const server = await startTestServer({ simulatedDelayMs: 5, ...overrides }, { clock });
    return new FuzzHarness(server, clock);
  }

  get endpoint(): string {
    return this.server.endpoint;
  }

  /**
   * Lets simulated time catch up with the wall clock (signatures are dated), a little past it so
   * that a negotiation just started (simulatedDelayMs 5) reports, and every report land.
   */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      this.clock.advance(Math.max(0, Date.now() - this.clock.now()) + 10);
      await this.server.app.reconciler.idle();
    }
  }

  /** Every row of every table, in rowid order, one JSON text per table. */
  dump(): Map<string, string> {
    const tables = this.#db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    const out = new Map<string, string>();
    out.set('user_version', String(this.#db.pragma('user_version', { simple: true })));
    for (const t of tables) out.set(t, JSON.stringify(this.#db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).raw().all()));
    return out;
  }

  /** e.g. "400 VPN.0001 x41, 201 x7, 401 APIGW.0301 x2", most frequent first. */
  takeStats(): string {
    const out = [...this.#stats]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} x${n}`)
      .join(', ');
    this.#stats = new Map();
    return out;
  }

  #count(r: RawResponse | undefined): void {
    let key = 'closed';
    if (r) {
      const text = r.body.toString('utf8');
      const code = /"error_code":"([^"]+)"/.exec(text)?.[1] ?? /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? '';
      key = `${r.status}${code ? ` ${code}` : ''}`;
    }
    this.#stats.set(key, (this.#stats.get(key) ?? 0) + 1);
  }

  async close(): Promise<void> {
    this.#db.close();
    await this.server.close();
  }

  /**
   * Sends one request and checks every invariant. allowClose: the request broke HTTP framing on
   * purpose, so the server may close the connection without answering.
   */
  async exercise(dialect: Dialect, req: RawRequest, opts: { allowClose?: boolean } = {}): Promise<RawResponse | undefined> {
    await this.settle();
    const before = this.dump();
    let outcome: RawOutcome;
    try {
      outcome = await sendRaw(this.endpoint, req);
    } catch (err) {
      if (err instanceof HungRequestError) assert.fail(`hung request: ${err.message}\n${describe(req)}`);
      throw err;
    }
    await this.server.app.reconciler.idle();
    this.#count(outcome.kind === 'answer' ? outcome.response : undefined);
    if (outcome.kind === 'closed') {
      assert.ok(opts.allowClose, `the connection closed without an answer (${outcome.error ?? 'no error'})\n${describe(req)}`);
      assertUnchanged(before, this.dump(), req, undefined);
      return undefined;
    }
    const r = outcome.response;
    const context = () => `${describe(req)}\n--- answer ---\n${describeResponse(r)}`;
    assert.ok(r.status < 500, `a ${r.status} answer\n${context()}`);
    if (r.status >= 400) {
      const problem = errorFormatProblem(dialect, r);
      assert.equal(problem, null, `${problem}\n${context()}`);
      assertUnchanged(before, this.dump(), req, r);
    } else if (r.body.length > 0) {
      const problem = successFormatProblem(dialect, r);
      assert.equal(problem, null, `${problem}\n${context()}`);
    }
    return r;
  }
}

function assertUnchanged(before: Map<string, string>, after: Map<string, string>, req: RawRequest, r: RawResponse | undefined): void {
  for (const [table, rows] of after) {
    if (before.get(table) === rows) continue;
    assert.fail(
      `a rejected request changed table ${table}\nbefore: ${clip(before.get(table) ?? '', 600)}\nafter:  ${clip(rows, 600)}\n${describe(req)}${r ? `\n--- answer ---\n${describeResponse(r)}` : ''}`,
    );
  }
}

export function errorFormatProblem(dialect: Dialect, r: RawResponse): string | null {
  if (dialect === 'huawei') return huaweiErrorProblem(r);
  if (dialect === 'ec2') return ec2ErrorProblem(r);
  const h = huaweiErrorProblem(r);
  const e = ec2ErrorProblem(r);
  return h && e ? `neither dialect's error format: ${h}; ${e}` : null;
}

/** A success: Huawei JSON carrying the X-Request-Id as request_id, or well-formed EC2 XML. */
function successFormatProblem(dialect: Dialect, r: RawResponse): string | null {
  const text = r.body.toString('utf8');
  if (dialect === 'ec2' || (dialect === 'either' && /^text\/xml\b/.test(r.headers['content-type'] ?? ''))) {
    return XMLValidator.validate(text) === true ? null : 'EC2 answer is not well-formed XML';
  }
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    return body.request_id === r.headers['x-request-id']
      ? null
      : `request_id ${String(body.request_id)} is not X-Request-Id ${r.headers['x-request-id']}`;
  } catch {
    return 'Huawei answer is not JSON';
  }
}

/** {"error_code","error_msg","request_id"} as application/json, the id also in X-Request-Id. */
export function huaweiErrorProblem(r: RawResponse): string | null {
  if (!/^application\/json\b/.test(r.headers['content-type'] ?? '')) return `Huawei error with content-type ${r.headers['content-type']}`;
  let body: unknown;
  try {
    body = JSON.parse(r.body.toString('utf8'));
  } catch {
    return 'Huawei error body is not JSON';
  }
  const b = body as Record<string, unknown>;
  if (typeof b !== 'object' || b === null) return 'Huawei error body is not an object';
  const keys = Object.keys(b).sort().join(',');
  if (keys !== 'error_code,error_msg,request_id') return `Huawei error body has keys ${keys}`;
  if (typeof b.error_code !== 'string' || !/^[A-Z]+\.\d{4}$/.test(b.error_code)) return `Huawei error_code ${JSON.stringify(b.error_code)}`;
  if (typeof b.error_msg !== 'string' || b.error_msg.length === 0) return 'Huawei error_msg is empty';
  if (typeof b.request_id !== 'string' || b.request_id.length === 0) return 'Huawei request_id is empty';
  if (r.headers['x-request-id'] !== b.request_id)
    return `X-Request-Id ${r.headers['x-request-id']} is not the body's request_id ${b.request_id}`;
  return null;
}

const EC2_ERROR =
  /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<Response><Errors><Error><Code>([A-Za-z0-9.]+)<\/Code><Message>([^<]*)<\/Message><\/Error><\/Errors><RequestID>([^<]+)<\/RequestID><\/Response>\s*$/;

/** <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response> as XML. */
export function ec2ErrorProblem(r: RawResponse): string | null {
  if (!/^text\/xml\b/.test(r.headers['content-type'] ?? '')) return `EC2 error with content-type ${r.headers['content-type']}`;
  const text = r.body.toString('utf8');
  if (XMLValidator.validate(text) !== true) return 'EC2 error body is not well-formed XML';
  const m = EC2_ERROR.exec(text);
  if (!m) return 'EC2 error body is not <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>';
  if (m[2].length === 0) return 'EC2 error Message is empty';
  return null;
}

export function describe(req: RawRequest): string {
  const body = req.body ?? Buffer.alloc(0);
  return [
    `${req.method} ${clip(req.target, 400)}`,
    ...req.headers.map(([k, v]) => `${k}: ${clip(v, 200)}`),
    `(body: ${body.length} bytes) ${clip(body.toString('utf8'), 400)}`,
  ].join('\n');
}

function describeResponse(r: RawResponse): string {
  return `${r.status} ${JSON.stringify(r.headers)}\n${clip(r.body.toString('utf8'), 600)}`;
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n)}… (${s.length} characters)`;
}
