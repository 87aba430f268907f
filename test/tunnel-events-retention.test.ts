// tunnel_events stays bounded under create/delete churn, on simulated time: at most
// maxPerTunnel rows per tunnel, the events of a deleted connection gone once the retention has
// passed, everything older than the maximum age gone, and the database's page count flat.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ManualClock } from '../src/domain/manual-clock.ts';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { eventually, startTestServer, type TestServer } from './support/server.ts';

const DELAY_MS = 1000;
const ROUND_MS = 10_000;
const POLICY = { maxPerTunnel: 30, maxAgeMs: 3600_000, deletedRetentionMs: 60_000 };
// Signatures carry the real time, so simulated time starts now and the churn stays within the
// 15 minutes of allowed skew.
const clock = new ManualClock(Date.now());
let server: TestServer;
let db: Database.Database;

before(async () => {
  // Deleted connections stay visible to EC2 for a minute too, so their rows are bounded the same way.
  server = await startTestServer(
    { simulatedDelayMs: DELAY_MS, events: POLICY, deletion: { retentionSeconds: 60, deletingSeconds: 5 } },
    { clock },
  );
  db = new Database(server.app.config.databaseFile, { readonly: true });
});
after(async () => {
  db.close();
  await server.close();
});

async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  await server.app.reconciler.idle();
}

const status = async (id: string) => (await server.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status;
const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;

async function activeConnection(pair?: Awaited<ReturnType<typeof gatewayPair>>): Promise<string> {
  const { gateway, cgw } = pair ?? (await gatewayPair(server));
  const r = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw));
  assert.equal(r.status, 201);
  const id = r.body.vpn_connection.id as string;
  await advance(DELAY_MS);
  await eventually(async () => (await status(id)) === 'ACTIVE');
  return id;
}

describe('tunnel event retention under churn', () => {
  it('keeps the event rows and the page count flat while connections are created, reset and deleted', async () => {
    const live = await activeConnection();
    const pairs = [await gatewayPair(server), await gatewayPair(server)];
    const samples: { round: number; rows: number; pages: number }[] = [];
    for (let round = 1; round <= 50; round++) {
      // Two short-lived connections per round, and a reset of the long-lived one.
      const gone = [await activeConnection(pairs[0]), await activeConnection(pairs[1])];
      for (const id of gone) assert.equal((await server.huawei.call('DELETE', `/vpn-connection/${id}`)).status, 204);
      assert.equal((await server.huawei.call('POST', `/vpn-connection/${live}/reset`, {})).status, 200);
      await advance(ROUND_MS - 2 * DELAY_MS);
      await eventually(async () => (await status(live)) === 'ACTIVE');
      if (round % 10 === 0) {
        samples.push({
          round,
          rows: count('SELECT count(*) AS n FROM tunnel_events'),
          pages: db.pragma('page_count', { simple: true }) as number,
        });
      }
    }
    const liveRows = count('SELECT count(*) AS n FROM tunnel_events WHERE connection_id = ?', live);
    assert.ok(liveRows <= POLICY.maxPerTunnel, `${liveRows} rows for the live tunnel`);
    assert.ok(liveRows > POLICY.maxPerTunnel / 2, 'the live tunnel keeps its recent history');
    // Only the connections deleted within the retention plus one purge interval (60 s + 30 s:
    // nine rounds of two) still have events; without the bound all hundred would.
    const deletedWithEvents = count('SELECT count(DISTINCT connection_id) AS n FROM tunnel_events WHERE connection_id <> ?', live);
    assert.ok(deletedWithEvents <= 18, `${deletedWithEvents} deleted connections still have events`);
    const [first, ...rest] = samples.slice(1);
    for (const s of rest) {
      assert.ok(s.rows <= first.rows * 1.25, `rows grew: ${JSON.stringify(samples)}`);
      // Freed pages are reused; other tables' churn may move a page or two.
      assert.ok(s.pages <= first.pages * 1.05, `pages grew: ${JSON.stringify(samples)}`);
    }
  });

  it('purges every event older than the maximum age, also of a tunnel that has gone quiet', async () => {
    const before = count('SELECT max(seq) AS n FROM tunnel_events');
    assert.ok(count('SELECT count(*) AS n FROM tunnel_events') > 0);
    // The simulated peers keep rekeying meanwhile, so newer events appear; the older ones must go.
    await advance(POLICY.maxAgeMs + 60_000);
    assert.equal(count('SELECT count(*) AS n FROM tunnel_events WHERE seq <= ?', before), 0);
    const cutoff = new Date(clock.now() - POLICY.maxAgeMs - 30_000).toISOString();
    assert.equal(count('SELECT count(*) AS n FROM tunnel_events WHERE at < ?', cutoff), 0);
    assert.equal(count('SELECT count(*) AS n FROM deleted_connections'), 0);
  });
});
