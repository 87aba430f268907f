import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { ViciClosedError, ViciProtocolError, ViciTimeoutError, ViciUnknownCommandError, ViciUnknownEventError } from './errors.ts';
import { type FakeHandler, type FakeServerOptions, FakeViciServer, gate, waitFor } from './fake-server.ts';
import { getString, type ViciMessage } from './message.ts';
import { PacketType } from './packet.ts';
import { ViciSession, type ViciSessionOptions } from './session.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(options: FakeServerOptions, sessionOptions: ViciSessionOptions = {}) {
  const server = await FakeViciServer.start(options);
  const session = await ViciSession.connect(server.uri, sessionOptions);
  cleanup.push(
    () => server.close(),
    () => session.close(),
  );
  return { server, session };
}

const echo = (request: ViciMessage) => ({ echo: getString(request, 'n') ?? '' });

describe('session requests', () => {
  it('sends a command and resolves with the decoded response', { timeout: 5_000 }, async () => {
    const { session, server } = await setup({ commands: { echo } });
    const response = await session.request('echo', { n: 'hello' });
    assert.equal(getString(response, 'echo'), 'hello');
    assert.deepEqual(server.commandNames, ['echo']);
  });

  it('serialises concurrent requests so only one is ever in flight, answering each in order', { timeout: 5_000 }, async () => {
    const { session, server } = await setup({
      commands: {
        slow: async (req) => {
          await sleep(Number(getString(req, 'ms')));
          return echo(req);
        },
      },
    });
    const calls = [30, 1, 10, 0, 5].map((ms, i) => session.request('slow', { n: String(i), ms }));
    const answers = (await Promise.all(calls)).map((r) => getString(r, 'echo'));
    assert.deepEqual(answers, ['0', '1', '2', '3', '4']);
    assert.equal(server.maxInFlight, 1);
  });

  it('rejects with ViciUnknownCommandError when the daemon answers CMD_UNKNOWN, and carries on', { timeout: 5_000 }, async () => {
    const { session } = await setup({ commands: { echo } });
    await assert.rejects(
      session.request('no-such-command'),
      (e: unknown) => e instanceof ViciUnknownCommandError && e.command === 'no-such-command',
    );
    assert.equal(getString(await session.request('echo', { n: 'still here' }), 'echo'), 'still here');
  });

  it('rejects a request it cannot encode without sending anything', { timeout: 5_000 }, async () => {
    const { session, server } = await setup({ commands: { echo } });
    await assert.rejects(session.request('echo', { n: 'x'.repeat(70_000) }), ViciProtocolError);
    await assert.rejects(session.request('c'.repeat(256)), ViciProtocolError);
    assert.deepEqual(server.commandNames, []);
  });
});

describe('session streamed requests', () => {
  const listSas: FakeHandler = (_req, ctx) => {
    ctx.emit('list-sa', { gw1: { uniqueid: '1', state: 'ESTABLISHED' } });
    ctx.emit('list-sa', { gw2: { uniqueid: '2', state: 'CONNECTING' } });
    return {};
  };

  it('registers for the event, collects the events until the response, then unregisters', { timeout: 5_000 }, async () => {
    const { session, server } = await setup({ commands: { 'list-sas': listSas }, events: ['list-sa'] });
    const seen: string[] = [];
    const { events } = await session.streamedRequest('list-sas', 'list-sa', {}, { onEvent: (m) => seen.push([...m.keys()][0]) });
    assert.deepEqual(
      events.map((m) => [...m.keys()][0]),
      ['gw1', 'gw2'],
    );
    assert.deepEqual(seen, ['gw1', 'gw2']);
    assert.deepEqual(
      server.received.map((p) => `${p.type} ${p.name ?? ''}`),
      ['EVENT_REGISTER list-sa', 'CMD_REQUEST list-sas', 'EVENT_UNREGISTER list-sa'],
    );
    const conn = await server.connection();
    assert.equal(conn.registered.size, 0);
  });

  it('fails with ViciUnknownEventError when the daemon does not know the stream event', { timeout: 5_000 }, async () => {
    const { session, server } = await setup({ commands: { 'list-sas': listSas } });
    await assert.rejects(session.streamedRequest('list-sas', 'list-sa'), ViciUnknownEventError);
    assert.deepEqual(server.commandNames, []);
  });

  it('stops passing events to a timed-out stream but finishes it before the next call', { timeout: 5_000 }, async () => {
    const proceed = gate();
    const { session, server } = await setup({
      commands: {
        'list-sas': async (_req, ctx) => {
          ctx.emit('list-sa', { early: {} });
          await proceed.wait;
          ctx.emit('list-sa', { late: {} });
          return {};
        },
        echo,
      },
      events: ['list-sa'],
    });
    const seen: string[] = [];
    const onEvent = (m: ViciMessage) => seen.push([...m.keys()][0]);
    const stream = session.streamedRequest('list-sas', 'list-sa', {}, { timeoutMs: 300, onEvent });
    const next = session.request('echo', { n: 'after' });
    await assert.rejects(stream, ViciTimeoutError);
    proceed.open();
    assert.equal(getString(await next, 'echo'), 'after');
    assert.deepEqual(seen, ['early']);
    assert.deepEqual(
      server.received.map((p) => p.type),
      ['EVENT_REGISTER', 'CMD_REQUEST', 'EVENT_UNREGISTER', 'CMD_REQUEST'],
    );
  });

  it('keeps a subscription registered when a stream for the same event ends', { timeout: 5_000 }, async () => {
    const { session, server } = await setup({ commands: { 'list-sas': listSas }, events: ['list-sa'] });
    const got: ViciMessage[] = [];
    await session.subscribe('list-sa', (m) => got.push(m));
    await session.streamedRequest('list-sas', 'list-sa');
    assert.equal(got.length, 2);
    assert.equal(server.emit('list-sa', { later: {} }), 1);
    await waitFor(() => got.length === 3);
    assert.equal(server.received.filter((p) => p.type === 'EVENT_REGISTER').length, 1);
  });
});

describe('session event subscriptions', () => {
  it('delivers events to every subscriber and unregisters after the last one leaves', { timeout: 5_000 }, async () => {
    const { session, server } = await setup({ events: ['ike-updown'] });
    const a: string[] = [];
    const b: string[] = [];
    const subA = await session.subscribe('ike-updown', (m, name) => a.push(`${name}:${getString(m, 'up')}`));
    const subB = await session.subscribe('ike-updown', (m) => b.push(getString(m, 'up') ?? ''));
    server.emit('ike-updown', { up: 'yes' });
    await waitFor(() => a.length === 1 && b.length === 1);
    await subA.unsubscribe();
    server.emit('ike-updown', { up: 'no' });
    await waitFor(() => b.length === 2); // the same packet would have reached a, synchronously
    assert.deepEqual(a, ['ike-updown:yes']);
    assert.deepEqual(b, ['yes', 'no']);
    assert.equal(server.received.filter((p) => p.type === 'EVENT_UNREGISTER').length, 0);
    await subB.unsubscribe();
    await subB.unsubscribe();
    assert.deepEqual(
      server.received.map((p) => p.type),
      ['EVENT_REGISTER', 'EVENT_UNREGISTER'],
    );
  });

  it('rejects with ViciUnknownEventError when the daemon answers EVENT_UNKNOWN', { timeout: 5_000 }, async () => {
    const { session } = await setup({ events: [] });
    await assert.rejects(
      session.subscribe('no-such-event', () => {}),
      (e: unknown) => e instanceof ViciUnknownEventError && e.event === 'no-such-event',
    );
  });

  it('reports a throwing handler or an undecodable event to onError and keeps delivering', { timeout: 5_000 }, async () => {
    const errors: unknown[] = [];
    const { session, server } = await setup({ events: ['log'] }, { onError: (e) => errors.push(e) });
    let calls = 0;
    await session.subscribe('log', () => {
      calls++;
      throw new Error('handler bug');
    });
    const conn = await server.connection();
    conn.emit('log', { msg: 'one' });
    conn.send({ type: PacketType.EVENT, name: 'log', message: Buffer.from([2]) });
    conn.emit('log', { msg: 'two' });
    await waitFor(() => errors.length === 3);
    assert.equal(calls, 2);
    assert.equal(errors.length, 3);
    assert.ok(errors[1] instanceof ViciProtocolError);
    assert.equal(session.closed, false);
  });
});

describe('session failures', () => {
  it('fails the in-flight and every queued call with ViciClosedError when the socket closes mid-request', { timeout: 5_000 }, async () => {
    const { session } = await setup({ commands: { hang: (_r, ctx) => (setTimeout(() => ctx.destroy(), 10), 'no-answer'), echo } });
    const closed = once(session, 'close');
    const calls = [session.request('hang'), session.request('echo'), session.subscribe('x', () => {})];
    for (const call of calls) await assert.rejects(call, ViciClosedError);
    await closed;
    assert.equal(session.closed, true);
    await assert.rejects(session.request('echo'), ViciClosedError);
  });

  it('times out a call with no answer, drops the late answer, and matches the next answer to the next call', {
    timeout: 5_000,
  }, async () => {
    const answer = gate();
    const { session, server } = await setup({
      commands: {
        late: async () => (await answer.wait, { who: 'late' }),
        echo,
      },
    });
    const late = session.request('late', {}, { timeoutMs: 20 });
    const next = session.request('echo', { n: 'next' });
    await assert.rejects(late, (e: unknown) => e instanceof ViciTimeoutError && e.timeoutMs === 20);
    answer.open();
    assert.equal(getString(await next, 'echo'), 'next');
    assert.equal(server.maxInFlight, 1);
  });

  it('times out a call still waiting in the queue and never sends it', { timeout: 5_000 }, async () => {
    const answer = gate();
    const { session, server } = await setup({ commands: { late: async () => (await answer.wait, {}), echo } });
    const first = session.request('late');
    const queued = session.request('echo', { n: 'q' }, { timeoutMs: 10 });
    await assert.rejects(queued, ViciTimeoutError);
    answer.open();
    await first;
    await session.request('echo', { n: 'after' });
    assert.deepEqual(
      server.received.map((p) => getString(p.message ?? new Map(), 'n') ?? p.name),
      ['late', 'after'],
    );
  });

  it('applies the session default timeout', { timeout: 5_000 }, async () => {
    const { session } = await setup({ commands: { never: () => 'no-answer' } }, { timeoutMs: 15 });
    await assert.rejects(session.request('never'), ViciTimeoutError);
  });

  it('closes with an unexpected-packet error when the daemon answers a command with EVENT_CONFIRM', { timeout: 5_000 }, async () => {
    const { session } = await setup({ commands: { odd: (_r, ctx) => (ctx.send({ type: PacketType.EVENT_CONFIRM }), 'no-answer') } });
    const closed = once(session, 'close');
    await assert.rejects(
      session.request('odd'),
      (e: unknown) => e instanceof ViciClosedError && e.cause instanceof ViciProtocolError && e.cause.code === 'unexpected-packet',
    );
    const [reason] = await closed;
    assert.ok(reason instanceof ViciProtocolError);
  });

  it('fails the pending call when the daemon sends a malformed response message', { timeout: 5_000 }, async () => {
    const { session } = await setup({
      commands: { bad: (_r, ctx) => (ctx.send({ type: PacketType.CMD_RESPONSE, message: Buffer.from([9]) }), 'no-answer'), echo },
    });
    await assert.rejects(session.request('bad'), (e: unknown) => e instanceof ViciProtocolError && e.code === 'unknown-element');
  });

  it('resolves close once the connection is down and rejects later calls', { timeout: 5_000 }, async () => {
    const { session } = await setup({ commands: { echo } });
    await session.close();
    assert.equal(session.closed, true);
    await assert.rejects(session.request('echo'), ViciClosedError);
    await session.close();
  });
});
