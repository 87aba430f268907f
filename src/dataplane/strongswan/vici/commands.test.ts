import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { type ControlLogEntry, isUpEvent, ViciClient } from './commands.ts';
import { ViciCommandError, ViciTimeoutError, ViciUnknownEventError } from './errors.ts';
import { type FakeContext, type FakeHandler, FakeViciServer, waitFor } from './fake-server.ts';
import { getSection, getString, toPlain, type ViciMessage } from './message.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ok = { success: 'yes' };
const fail = (errmsg: string) => ({ success: 'no', errmsg });
const log = (ctx: FakeContext, msg: string) =>
  ctx.emit('control-log', { group: 'IKE', level: '1', 'ikesa-name': 'gw1', 'ikesa-uniqueid': '7', msg });

const commands: Record<string, FakeHandler> = {
  version: () => ({ daemon: 'charon-systemd', version: '5.9.8', sysname: 'Linux', release: '6.1', machine: 'x86_64' }),
  'load-conn': (req) => (req.has('broken') ? fail('parsing proposal failed') : ok),
  'unload-conn': (req) => (getString(req, 'name') === 'gw1' ? ok : fail("connection 'x' not found")),
  'get-conns': () => ({ conns: ['gw1', 'gw2'] }),
  'list-conns': (_req, ctx) => (ctx.emit('list-conn', { gw1: { version: 'IKEv2' } }), {}),
  'load-shared': () => ok,
  'unload-shared': (req) => (getString(req, 'id') === 'psk-1' ? ok : fail('shared key not found')),
  initiate: (req, ctx) => {
    log(ctx, 'initiating IKE_SA gw1[7] to 192.0.2.2');
    if (getString(req, 'child') === 'net') return ok;
    log(ctx, 'received NO_PROPOSAL_CHOSEN notify error');
    return fail('establishing CHILD_SA failed');
  },
  terminate: (req, ctx) => {
    log(ctx, 'deleting IKE_SA gw1[7]');
    return getString(req, 'ike') === 'gw1' ? { success: 'yes', matches: '1', terminated: '1' } : fail('no matching SAs to terminate found');
  },
  'list-sas': (_req, ctx) => {
    ctx.emit('list-sa', { gw1: { uniqueid: '7', state: 'ESTABLISHED', 'child-sas': { 'net-3': { state: 'INSTALLED' } } } });
    ctx.emit('list-sa', { gw2: { uniqueid: '8', state: 'CONNECTING' } });
    return {};
  },
  rekey: () => ({ success: 'yes', matches: '2' }),
};
const events = ['control-log', 'list-sa', 'list-conn', 'ike-updown', 'child-updown', 'ike-rekey', 'child-rekey'];

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup() {
  const server = await FakeViciServer.start({ commands, events });
  const client = await ViciClient.connect(server.uri);
  cleanup.push(
    () => server.close(),
    () => client.close(),
  );
  return { server, client };
}

function lastRequest(server: FakeViciServer, name: string): ViciMessage {
  const found = server.received.filter((p) => p.type === 'CMD_REQUEST' && p.name === name).at(-1);
  assert.ok(found?.message, `no ${name} request received`);
  return found.message;
}

describe('vici commands', () => {
  it('reads the daemon version', { timeout: 5_000 }, async () => {
    const { client } = await setup();
    assert.deepEqual(await client.version(), {
      daemon: 'charon-systemd',
      version: '5.9.8',
      sysname: 'Linux',
      release: '6.1',
      machine: 'x86_64',
    });
  });

  it('loads a connection as one section named after it, with lists, sub-sections and yes/no', { timeout: 5_000 }, async () => {
    const { client, server } = await setup();
    await client.loadConn('gw1', {
      version: 2,
      local_addrs: ['192.0.2.1'],
      proposals: ['aes256-sha256-modp2048'],
      local: { auth: 'psk', id: '192.0.2.1' },
      children: { net: { local_ts: ['10.0.0.0/24'], start_action: 'none', mobike: false } },
    });
    assert.deepEqual(toPlain(lastRequest(server, 'load-conn')), {
      gw1: {
        version: '2',
        local_addrs: ['192.0.2.1'],
        proposals: ['aes256-sha256-modp2048'],
        local: { auth: 'psk', id: '192.0.2.1' },
        children: { net: { local_ts: ['10.0.0.0/24'], start_action: 'none', mobike: 'no' } },
      },
    });
  });

  it('turns success=no into a ViciCommandError carrying the errmsg', { timeout: 5_000 }, async () => {
    const { client } = await setup();
    await assert.rejects(
      client.loadConn('broken', {}),
      (e: unknown) => e instanceof ViciCommandError && e.command === 'load-conn' && e.errmsg === 'parsing proposal failed',
    );
    await assert.rejects(client.unloadConn('x'), (e: unknown) => e instanceof ViciCommandError && e.errmsg === "connection 'x' not found");
    await client.unloadConn('gw1');
  });

  it('lists connection names and streams loaded connections', { timeout: 5_000 }, async () => {
    const { client, server } = await setup();
    assert.deepEqual(await client.getConns(), ['gw1', 'gw2']);
    const conns = await client.listConns({ ike: 'gw1' });
    assert.deepEqual(
      conns.map((c) => toPlain(c)),
      [{ gw1: { version: 'IKEv2' } }],
    );
    assert.deepEqual(toPlain(lastRequest(server, 'list-conns')), { ike: 'gw1' });
  });

  it('loads and unloads a shared IKE secret with its id and owners', { timeout: 5_000 }, async () => {
    const { client, server } = await setup();
    await client.loadShared({ id: 'psk-1', type: 'IKE', data: 's3cret', owners: ['192.0.2.1', '192.0.2.2'] });
    assert.deepEqual(toPlain(lastRequest(server, 'load-shared')), {
      id: 'psk-1',
      type: 'IKE',
      data: 's3cret',
      owners: ['192.0.2.1', '192.0.2.2'],
    });
    await client.unloadShared('psk-1');
    await assert.rejects(client.unloadShared('psk-2'), ViciCommandError);
  });

  it('initiates with control-log streamed, returning success and the log', { timeout: 5_000 }, async () => {
    const { client, server } = await setup();
    const live: ControlLogEntry[] = [];
    const result = await client.initiate({ child: 'net', ike: 'gw1', timeout: 3000, 'init-limits': false }, { onLog: (e) => live.push(e) });
    assert.equal(result.success, true);
    assert.equal(result.errmsg, '');
    assert.deepEqual(result.log, [{ group: 'IKE', level: 1, ikeName: 'gw1', ikeId: 7, msg: 'initiating IKE_SA gw1[7] to 192.0.2.2' }]);
    assert.deepEqual(live, result.log);
    assert.deepEqual(toPlain(lastRequest(server, 'initiate')), { child: 'net', ike: 'gw1', timeout: '3000', 'init-limits': 'no' });
    const conn = await server.connection();
    assert.equal(conn.registered.has('control-log'), false);
  });

  it('returns a failed initiate as data with the errmsg and the log lines that explain it', { timeout: 5_000 }, async () => {
    const { client } = await setup();
    const result = await client.initiate({ child: 'other' });
    assert.equal(result.success, false);
    assert.equal(result.errmsg, 'establishing CHILD_SA failed');
    assert.deepEqual(
      result.log.map((e) => e.msg),
      ['initiating IKE_SA gw1[7] to 192.0.2.2', 'received NO_PROPOSAL_CHOSEN notify error'],
    );
  });

  it('terminates an IKE_SA and reports the counts, or throws when nothing matched', { timeout: 5_000 }, async () => {
    const { client } = await setup();
    const result = await client.terminate({ ike: 'gw1', timeout: 1000 });
    assert.equal(result.matches, 1);
    assert.equal(result.terminated, 1);
    assert.equal(result.log.length, 1);
    await assert.rejects(
      client.terminate({ ike: 'nope' }),
      (e: unknown) => e instanceof ViciCommandError && e.errmsg === 'no matching SAs to terminate found',
    );
  });

  it('lists SAs from the streamed list-sa events', { timeout: 5_000 }, async () => {
    const { client, server } = await setup();
    const sas = await client.listSas({ ike: 'gw1', noblock: true });
    assert.equal(sas.length, 2);
    const gw1 = getSection(sas[0], 'gw1')!;
    assert.equal(getString(gw1, 'state'), 'ESTABLISHED');
    assert.equal(getString(getSection(getSection(gw1, 'child-sas')!, 'net-3')!, 'state'), 'INSTALLED');
    assert.deepEqual(toPlain(lastRequest(server, 'list-sas')), { ike: 'gw1', noblock: 'yes' });
  });

  it('rekeys and reports how many SAs matched', { timeout: 5_000 }, async () => {
    const { client, server } = await setup();
    assert.deepEqual(await client.rekey({ 'ike-id': 7, reauth: true }), { matches: 2 });
    assert.deepEqual(toPlain(lastRequest(server, 'rekey')), { 'ike-id': '7', reauth: 'yes' });
  });

  it('subscribes to ike-updown and tells up from down', { timeout: 5_000 }, async () => {
    const { client, server } = await setup();
    const seen: boolean[] = [];
    const sub = await client.subscribe('ike-updown', (m) => seen.push(isUpEvent(m)));
    server.emit('ike-updown', { up: 'yes', gw1: { state: 'ESTABLISHED' } });
    server.emit('ike-updown', { gw1: { state: 'DELETING' } });
    await waitFor(() => seen.length === 2);
    assert.deepEqual(seen, [true, false]);
    await sub.unsubscribe();
    assert.equal(server.emit('ike-updown', { up: 'yes' }), 0);
  });

  it('waits the daemon-side initiate timeout plus a margin before timing out itself', { timeout: 5_000 }, async () => {
    const server = await FakeViciServer.start({ commands: { initiate: async () => (await sleep(60), ok) }, events });
    const client = await ViciClient.connect(server.uri, { timeoutMs: 20 });
    cleanup.push(
      () => server.close(),
      () => client.close(),
    );
    assert.equal((await client.initiate({ child: 'net', timeout: 100 })).success, true);
    await assert.rejects(client.initiate({ child: 'net' }), ViciTimeoutError);
  });

  it('reports an unknown stream event from an older daemon as ViciUnknownEventError', { timeout: 5_000 }, async () => {
    const server = await FakeViciServer.start({ commands, events: [] });
    const client = await ViciClient.connect(server.uri);
    cleanup.push(
      () => server.close(),
      () => client.close(),
    );
    await assert.rejects(client.listSas(), ViciUnknownEventError);
  });
});
