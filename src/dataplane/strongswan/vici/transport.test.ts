import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ViciClosedError, ViciProtocolError } from './errors.ts';
import { waitFor } from './fake-server.ts';
import { PacketType, type ViciPacket } from './packet.ts';
import { connectVici, parseViciUri, ViciTransport } from './transport.ts';

let dir: string;
let server: net.Server;
let path: string;
const accepted: net.Socket[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vici-transport-'));
  path = join(dir, 'sock');
  server = net.createServer((s) => accepted.push(s));
  await new Promise<void>((resolve) => server.listen(path, resolve));
});

after(async () => {
  for (const s of accepted) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

/** A connected pair: the transport under test and the raw socket on the far side. */
async function pair(options = {}): Promise<{ transport: ViciTransport; peer: net.Socket }> {
  const count = accepted.length;
  const socket = await connectVici(`unix://${path}`);
  while (accepted.length === count) await new Promise((r) => setImmediate(r));
  return { transport: new ViciTransport(socket, options), peer: accepted[accepted.length - 1] };
}

function collect(transport: ViciTransport, n: number): Promise<ViciPacket[]> {
  const packets: ViciPacket[] = [];
  return new Promise((resolve) => {
    transport.on('packet', (p) => {
      packets.push(p);
      if (packets.length === n) resolve(packets);
    });
  });
}

describe('transport', () => {
  it('writes a packet as one length-prefixed frame', { timeout: 5_000 }, async () => {
    const { transport, peer } = await pair();
    transport.send({ type: PacketType.EVENT_REGISTER, name: 'log' });
    const [chunk] = await once(peer, 'data');
    assert.deepEqual(chunk, Buffer.from([0, 0, 0, 5, 3, 3, 0x6c, 0x6f, 0x67]));
    transport.close();
  });

  it('emits the packets of frames that arrive split and coalesced', { timeout: 5_000 }, async () => {
    const { transport, peer } = await pair();
    const got = collect(transport, 3);
    const bytes = Buffer.from([0, 0, 0, 1, 5, 0, 0, 0, 1, 2, 0, 0, 0, 4, 7, 2, 0x68, 0x69]);
    peer.write(bytes.subarray(0, 3));
    await new Promise((r) => setTimeout(r, 5));
    peer.write(bytes.subarray(3, 11));
    await new Promise((r) => setTimeout(r, 5));
    peer.write(bytes.subarray(11));
    assert.deepEqual(await got, [
      { type: PacketType.EVENT_CONFIRM },
      { type: PacketType.CMD_UNKNOWN },
      { type: PacketType.EVENT, name: 'hi', message: Buffer.alloc(0) },
    ]);
    transport.close();
  });

  it('closes with a frame-too-large reason when the peer announces an oversized frame', { timeout: 5_000 }, async () => {
    const { transport, peer } = await pair({ maxFrameBytes: 8 });
    const closed = once(transport, 'close');
    peer.write(Buffer.from([0, 0, 0, 9]));
    const [reason] = await closed;
    assert.ok(reason instanceof ViciProtocolError && reason.code === 'frame-too-large');
    assert.equal(transport.closed, true);
  });

  it('closes with a protocol error when a frame holds an unknown packet type', { timeout: 5_000 }, async () => {
    const { transport, peer } = await pair();
    const closed = once(transport, 'close');
    peer.write(Buffer.from([0, 0, 0, 1, 42]));
    const [reason] = await closed;
    assert.ok(reason instanceof ViciProtocolError && reason.code === 'unknown-packet-type');
  });

  it('refuses to send a frame over the limit without writing anything', { timeout: 5_000 }, async () => {
    const { transport, peer } = await pair({ maxFrameBytes: 8 });
    let received = 0;
    peer.on('data', (c: Buffer) => (received += c.length));
    assert.throws(
      () => transport.send({ type: PacketType.CMD_REQUEST, name: 'too-long', message: Buffer.alloc(0) }),
      (e: unknown) => e instanceof ViciProtocolError && e.code === 'frame-too-large',
    );
    transport.send({ type: PacketType.CMD_UNKNOWN });
    await waitFor(() => received >= 5); // anything written before would arrive first
    assert.equal(received, 5);
    transport.close();
  });

  it('reports a clean close without a reason when the peer hangs up', { timeout: 5_000 }, async () => {
    const { transport, peer } = await pair();
    const closed = once(transport, 'close');
    peer.end();
    const [reason] = await closed;
    assert.equal(reason, undefined);
    assert.throws(() => transport.send({ type: PacketType.CMD_UNKNOWN }), ViciClosedError);
  });

  it('reports close exactly once even when closed twice', { timeout: 5_000 }, async () => {
    const { transport } = await pair();
    let closes = 0;
    transport.on('close', () => closes++);
    const closed = once(transport, 'close');
    transport.close();
    transport.close();
    await closed;
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(closes, 1);
  });
});

describe('connecting', () => {
  it('parses unix and tcp URIs, IPv6 included', () => {
    assert.deepEqual(parseViciUri('unix:///var/run/charon.vici'), { path: '/var/run/charon.vici' });
    assert.deepEqual(parseViciUri('tcp://127.0.0.1:4502'), { host: '127.0.0.1', port: 4502 });
    assert.deepEqual(parseViciUri('tcp://[::1]:4502'), { host: '::1', port: 4502 });
  });

  it('rejects URIs it cannot connect to by construction', () => {
    assert.throws(() => parseViciUri('http://x'), TypeError);
    assert.throws(() => parseViciUri('tcp://host'), TypeError);
    assert.throws(() => parseViciUri('unix://'), TypeError);
  });

  it('connects over tcp', { timeout: 5_000 }, async () => {
    const tcp = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const { port } = tcp.address() as net.AddressInfo;
    const socket = await connectVici(`tcp://127.0.0.1:${port}`);
    assert.equal(socket.remotePort, port);
    socket.destroy();
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
  });

  it('rejects with ViciClosedError when nothing listens on the socket path', { timeout: 5_000 }, async () => {
    await assert.rejects(
      connectVici(`unix://${join(dir, 'missing')}`),
      (e: unknown) => e instanceof ViciClosedError && /ENOENT/.test(e.message),
    );
  });
});
