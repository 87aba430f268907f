// The reconciler against a real SQLite file: an event's observation, its history lines and the
// end of a PENDING_* phase are one transaction. Failures are forced with SQLite triggers added
// through a second connection to the same file.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { type Harness, harness } from '../service/test-support.ts';

let h: Harness;
afterEach(() => h?.close());

function failOn(file: string, table: string, op: 'INSERT' | 'UPDATE'): void {
  const db = new Database(file);
  db.exec(`CREATE TRIGGER fail_${table} BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, 'forced ${op} failure'); END;`);
  db.close();
}

async function stored(id: string) {
  return (await h.store.getConnection(h.tenantId, id))!;
}

describe('Reconciler', () => {
  it('records the observation, the history line and the end of PENDING_CREATE together', async () => {
    h = await harness();
    const created = await h.connection();
    assert.deepEqual([created.state, created.pendingOperation], ['pending', 'create']);
    await h.settle();
    const c = await stored(created.id);
    assert.deepEqual([c.state, c.pendingOperation], ['available', null]);
    assert.deepEqual([c.tunnels[0].observed.provisioning, c.tunnels[0].observed.ikeStatus], ['available', 'UP']);
    const history = await h.store.listTunnelEvents(c.tunnels[0].id, 10, 'history');
    assert.deepEqual(
      history.map((e) => [e.kind, e.connectionId]),
      [['ike-up', created.id]],
    );
    assert.deepEqual(h.errors, []);
  });

  it('leaves the observation and the connection as they were when appending the event fails', async () => {
    h = await harness();
    const created = await h.connection();
    failOn(h.file, 'tunnel_events', 'INSERT');
    await h.settle();
    const c = await stored(created.id);
    assert.deepEqual([c.state, c.pendingOperation], ['pending', 'create']);
    assert.deepEqual([c.tunnels[0].observed.provisioning, c.tunnels[0].observed.ikeStatus], ['pending', 'DOWN']);
    assert.deepEqual(
      h.errors.map((e) => e.msg),
      ['failed to record a data plane event'],
    );
    assert.match(String((h.errors[0].obj as { err: Error }).err.message), /forced INSERT failure/);
  });

  it('leaves the observation and its events unwritten when ending the pending phase fails', async () => {
    h = await harness();
    const created = await h.connection();
    failOn(h.file, 'vpn_connections', 'UPDATE');
    await h.settle();
    const c = await stored(created.id);
    assert.deepEqual([c.state, c.pendingOperation], ['pending', 'create']);
    assert.equal(c.tunnels[0].observed.provisioning, 'pending');
    assert.deepEqual(await h.store.listTunnelEvents(c.tunnels[0].id, 10, 'history'), []);
    assert.deepEqual(
      h.errors.map((e) => e.msg),
      ['failed to record a data plane event'],
    );
  });

  it('ignores an event for an older generation and tells no listener', async () => {
    h = await harness();
    const created = await h.connection();
    await h.settle();
    const heard: string[] = [];
    h.reconciler.subscribe((e) => heard.push(e.kind));
    const tunnel = (await stored(created.id)).tunnels[0];
    h.reconciler.onEvent({
      tunnelId: tunnel.id,
      generation: tunnel.generation - 1,
      at: h.clock.now(),
      observation: { provisioning: 'failed', ikeStatus: 'DOWN', statusMessage: 'stale' },
      kind: 'negotiation-failed',
      detail: 'stale',
    });
    await h.reconciler.idle();
    assert.equal((await stored(created.id)).tunnels[0].observed.provisioning, 'available');
    assert.deepEqual(heard, []);
  });

  it('tells listeners each history line with the connection as stored after it', async () => {
    h = await harness();
    const heard: [string, string, string | null][] = [];
    h.reconciler.subscribe((e, c) => heard.push([e.kind, c.state, c.pendingOperation]));
    await h.connection();
    await h.settle();
    assert.deepEqual(heard, [['ike-up', 'available', null]]);
  });

  it('records a burst of events as one batch, and when one of them fails loses only that one', async () => {
    h = await harness();
    const first = await h.connection(7);
    const second = await h.connection(8);
    const bad = (await stored(second.id)).tunnels[0].id;
    const db = new Database(h.file);
    db.exec(
      `CREATE TRIGGER fail_one BEFORE INSERT ON tunnel_events WHEN NEW.tunnel_id = '${bad}' BEGIN SELECT RAISE(ABORT, 'forced failure'); END;`,
    );
    db.close();
    const heard: string[] = [];
    h.reconciler.subscribe((_e, c) => heard.push(c.id));
    await h.settle();
    assert.deepEqual([(await stored(first.id)).state, (await stored(second.id)).state], ['available', 'pending']);
    assert.deepEqual(heard, [first.id]);
    assert.deepEqual(
      h.errors.map((e) => [e.msg, (e.obj as { tunnelId: string }).tunnelId]),
      [['failed to record a data plane event', bad]],
    );
  });

  it('keeps recording after a listener throws', async () => {
    h = await harness();
    h.reconciler.subscribe(() => {
      throw new Error('listener bug');
    });
    const created = await h.connection();
    await h.settle();
    assert.equal((await stored(created.id)).state, 'available');
    assert.deepEqual(
      h.errors.map((e) => e.msg),
      ['a tunnel event listener failed'],
    );
  });

  it('hands queued events to the store as one batch', async () => {
    h = await harness();
    const batches: number[] = [];
    const store = h.store as { recordObservations?: (b: unknown[]) => Promise<unknown[]> };
    const original = store.recordObservations!.bind(h.store);
    store.recordObservations = (b) => (batches.push(b.length), original(b));
    await h.connection(7);
    await h.connection(8);
    await h.settle();
    assert.deepEqual(batches, [2]);
  });
});
