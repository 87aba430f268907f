import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ViciProtocolError } from './errors.ts';
import { DEFAULT_MAX_FRAME_BYTES, decodePacket, encodeFrame, encodePacket, FrameDecoder, PacketType, type ViciPacket } from './packet.ts';

const ascii = (s: string) => [...Buffer.from(s)];
const frame = (data: number[]) => [data.length >>> 24, (data.length >> 16) & 0xff, (data.length >> 8) & 0xff, data.length & 0xff, ...data];
const MSG = [3, 1, 0x6b, 0, 1, 0x76]; // k = v

function protocolError(code: string) {
  return (err: unknown) => err instanceof ViciProtocolError && err.code === code;
}

describe('packets', () => {
  const fixtures: Array<[string, ViciPacket, number[]]> = [
    ['CMD_REQUEST', { type: PacketType.CMD_REQUEST, name: 'version', message: Buffer.alloc(0) }, [0, 7, ...ascii('version')]],
    ['CMD_REQUEST with a message', { type: PacketType.CMD_REQUEST, name: 'x', message: Buffer.from(MSG) }, [0, 1, 0x78, ...MSG]],
    ['CMD_RESPONSE', { type: PacketType.CMD_RESPONSE, message: Buffer.from(MSG) }, [1, ...MSG]],
    ['CMD_UNKNOWN', { type: PacketType.CMD_UNKNOWN }, [2]],
    ['EVENT_REGISTER', { type: PacketType.EVENT_REGISTER, name: 'list-sa' }, [3, 7, ...ascii('list-sa')]],
    ['EVENT_UNREGISTER', { type: PacketType.EVENT_UNREGISTER, name: 'list-sa' }, [4, 7, ...ascii('list-sa')]],
    ['EVENT_CONFIRM', { type: PacketType.EVENT_CONFIRM }, [5]],
    ['EVENT_UNKNOWN', { type: PacketType.EVENT_UNKNOWN }, [6]],
    ['EVENT', { type: PacketType.EVENT, name: 'ike-updown', message: Buffer.from(MSG) }, [7, 10, ...ascii('ike-updown'), ...MSG]],
  ];
  for (const [what, packet, bytes] of fixtures) {
    it(`encodes and decodes a ${what} packet as its exact bytes`, () => {
      assert.deepEqual(encodePacket(packet), Buffer.from(bytes));
      assert.deepEqual(decodePacket(Buffer.from(bytes)), packet);
    });
  }

  it('frames data with a 4-byte big-endian length that excludes the header', () => {
    assert.deepEqual(encodeFrame(Buffer.from([2])), Buffer.from([0, 0, 0, 1, 2]));
    const big = encodeFrame(Buffer.alloc(0x010203));
    assert.deepEqual([...big.subarray(0, 4)], [0, 1, 2, 3]);
  });

  it('refuses to frame more than 512 KiB, and accepts exactly 512 KiB', () => {
    assert.equal(DEFAULT_MAX_FRAME_BYTES, 524288);
    assert.throws(() => encodeFrame(Buffer.alloc(524289)), protocolError('frame-too-large'));
    assert.equal(encodeFrame(Buffer.alloc(524288)).length, 524292);
  });

  it('refuses a packet name longer than 255 bytes', () => {
    assert.throws(
      () => encodePacket({ type: PacketType.CMD_REQUEST, name: 'n'.repeat(256), message: Buffer.alloc(0) }),
      protocolError('key-too-long'),
    );
  });

  const malformed: Array<[string, number[], string]> = [
    ['an empty packet', [], 'truncated'],
    ['a named packet with no name length', [0], 'truncated'],
    ['a name longer than the packet', [7, 5, 0x61, 0x62], 'truncated'],
    ['packet type 8', [8], 'unknown-packet-type'],
    ['packet type 255', [255, 1, 2], 'unknown-packet-type'],
    ['CMD_UNKNOWN with trailing bytes', [2, 0], 'trailing-bytes'],
    ['EVENT_CONFIRM with trailing bytes', [5, 1, 2], 'trailing-bytes'],
    ['EVENT_REGISTER with bytes after its name', [3, 1, 0x61, 0], 'trailing-bytes'],
  ];
  for (const [what, bytes, code] of malformed) {
    it(`rejects ${what} with ${code}`, () => {
      assert.throws(() => decodePacket(Buffer.from(bytes)), protocolError(code));
    });
  }
});

describe('frame decoder', () => {
  const one = frame([1, ...MSG]);
  const two = frame([0, 7, ...ascii('version')]);

  it('reassembles a frame delivered one byte at a time', () => {
    const d = new FrameDecoder();
    const out: Buffer[] = [];
    for (const b of one) out.push(...d.push(Buffer.from([b])));
    assert.deepEqual(out, [Buffer.from([1, ...MSG])]);
    assert.equal(d.pending, 0);
  });

  it('reassembles a frame whose header itself is split across chunks', () => {
    const d = new FrameDecoder();
    assert.deepEqual(d.push(Buffer.from(one.slice(0, 2))), []);
    assert.deepEqual(d.push(Buffer.from(one.slice(2, 5))), []);
    assert.deepEqual(d.push(Buffer.from(one.slice(5))), [Buffer.from([1, ...MSG])]);
  });

  it('returns both frames when two arrive in one chunk', () => {
    const d = new FrameDecoder();
    assert.deepEqual(d.push(Buffer.from([...one, ...two])), [Buffer.from([1, ...MSG]), Buffer.from([0, 7, ...ascii('version')])]);
  });

  it('returns one frame and keeps the start of the next for later', () => {
    const d = new FrameDecoder();
    const bytes = [...one, ...two];
    assert.deepEqual(d.push(Buffer.from(bytes.slice(0, one.length + 6))), [Buffer.from([1, ...MSG])]);
    assert.equal(d.pending, 6);
    assert.deepEqual(d.push(Buffer.from(bytes.slice(one.length + 6))), [Buffer.from([0, 7, ...ascii('version')])]);
  });

  it('passes a zero-length frame through for the packet layer to reject', () => {
    const d = new FrameDecoder();
    const [empty] = d.push(Buffer.from([0, 0, 0, 0]));
    assert.equal(empty.length, 0);
    assert.throws(() => decodePacket(empty), protocolError('truncated'));
  });

  it('reassembles a large frame split into many chunks', () => {
    const data = Buffer.alloc(300_000, 0xab);
    const bytes = encodeFrame(data);
    const d = new FrameDecoder();
    const out: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 1000) out.push(...d.push(bytes.subarray(i, i + 1000)));
    assert.equal(out.length, 1);
    assert.deepEqual(out[0], data);
  });

  it('refuses a header announcing more than the limit, before any data arrives, and stays failed', () => {
    const d = new FrameDecoder(16);
    assert.deepEqual(d.push(Buffer.from(frame(new Array(16).fill(1)))).length, 1);
    assert.throws(() => d.push(Buffer.from([0, 0, 0, 17])), protocolError('frame-too-large'));
    assert.throws(() => d.push(Buffer.from(frame([1]))), protocolError('frame-too-large'));
  });

  it('refuses a frame larger than 512 KiB by default', () => {
    assert.throws(() => new FrameDecoder().push(Buffer.from([0, 8, 0, 1])), protocolError('frame-too-large'));
  });
});
