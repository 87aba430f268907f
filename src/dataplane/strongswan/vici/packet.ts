// VICI transport frames and the packets inside them.
//
//   frame:   len:u32be | data[len]                  len counts data only; at most 512 KiB
//   packet:  type:u8 | [nlen:u8 | name] | [message]  (data of one frame)
//
//   type                named  message
//   0 CMD_REQUEST         x      x
//   1 CMD_RESPONSE               x
//   2 CMD_UNKNOWN
//   3 EVENT_REGISTER      x
//   4 EVENT_UNREGISTER    x
//   5 EVENT_CONFIRM
//   6 EVENT_UNKNOWN
//   7 EVENT               x      x
//
// The message is the rest of the frame after the type and the optional name (see message.ts).
import { ViciProtocolError } from './errors.ts';
import { nameBytes } from './message.ts';

export const PacketType = {
  CMD_REQUEST: 0,
  CMD_RESPONSE: 1,
  CMD_UNKNOWN: 2,
  EVENT_REGISTER: 3,
  EVENT_UNREGISTER: 4,
  EVENT_CONFIRM: 5,
  EVENT_UNKNOWN: 6,
  EVENT: 7,
} as const;
export type PacketType = (typeof PacketType)[keyof typeof PacketType];

/** strongSwan's VICI_MESSAGE_SIZE_MAX: the largest frame data charon sends or accepts. */
export const DEFAULT_MAX_FRAME_BYTES = 512 * 1024;
const HEADER_BYTES = 4;

type T = typeof PacketType;
export type ViciPacket =
  | { type: T['CMD_REQUEST'] | T['EVENT']; name: string; message: Buffer }
  | { type: T['CMD_RESPONSE']; message: Buffer }
  | { type: T['EVENT_REGISTER'] | T['EVENT_UNREGISTER']; name: string }
  | { type: T['CMD_UNKNOWN'] | T['EVENT_CONFIRM'] | T['EVENT_UNKNOWN'] };

const NAMES = Object.fromEntries(Object.entries(PacketType).map(([k, v]) => [v, k]));

export function packetTypeName(type: number): string {
  return NAMES[type] ?? `type ${type}`;
}

function isNamed(type: number): boolean {
  return type === 0 || type === 3 || type === 4 || type === 7;
}

function hasMessage(type: number): boolean {
  return type === 0 || type === 1 || type === 7;
}

/** Encodes a packet (the data of one frame, without the length header). */
export function encodePacket(packet: ViciPacket): Buffer {
  const parts: Buffer[] = [Buffer.from([packet.type])];
  if ('name' in packet) {
    const name = nameBytes(packet.name, packetTypeName(packet.type));
    parts.push(Buffer.from([name.length]), name);
  }
  if ('message' in packet) parts.push(packet.message);
  return Buffer.concat(parts);
}

/** Decodes the data of one frame. Strict: unknown types, short names, stray bytes all throw. */
export function decodePacket(data: Uint8Array): ViciPacket {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < 1) throw new ViciProtocolError('truncated', 'empty packet', 0);
  const type = buf[0];
  if (type > PacketType.EVENT) {
    throw new ViciProtocolError('unknown-packet-type', `packet type ${type}`, 0);
  }
  let pos = 1;
  let name = '';
  if (isNamed(type)) {
    if (buf.length < 2) throw new ViciProtocolError('truncated', 'packet name length missing', 1);
    const len = buf[1];
    if (buf.length < 2 + len) {
      throw new ViciProtocolError('truncated', `packet name needs ${len} bytes`, 1);
    }
    name = buf.toString('utf8', 2, 2 + len);
    pos = 2 + len;
  }
  const rest = Buffer.from(buf.subarray(pos));
  if (!hasMessage(type) && rest.length > 0) {
    throw new ViciProtocolError('trailing-bytes', `${packetTypeName(type)} carries no message but has ${rest.length} more bytes`, pos);
  }
  switch (type) {
    case PacketType.CMD_REQUEST:
    case PacketType.EVENT:
      return { type, name, message: rest };
    case PacketType.CMD_RESPONSE:
      return { type, message: rest };
    case PacketType.EVENT_REGISTER:
    case PacketType.EVENT_UNREGISTER:
      return { type, name };
    default:
      return { type: type as T['CMD_UNKNOWN'] | T['EVENT_CONFIRM'] | T['EVENT_UNKNOWN'] };
  }
}

/** Prefixes frame data with its 4-byte big-endian length; refuses data over the limit. */
export function encodeFrame(data: Uint8Array, maxBytes = DEFAULT_MAX_FRAME_BYTES): Buffer {
  if (data.byteLength > maxBytes) {
    throw new ViciProtocolError('frame-too-large', `frame of ${data.byteLength} bytes exceeds the ${maxBytes} bytes limit`);
  }
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(data.byteLength);
  return Buffer.concat([header, data]);
}

/**
 * Reassembles frames from a byte stream: push chunks as they arrive (split or coalesced in any
 * way), get back the data of every frame completed so far. A header announcing more than the
 * limit throws 'frame-too-large' and poisons the decoder (the stream cannot be resynchronised).
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1; // data length of the frame being read, -1 while reading a header
  private failure: ViciProtocolError | null = null;

  constructor(readonly maxBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Bytes received (headers included) but not yet returned as part of a frame. */
  get pending(): number {
    return this.buffered + (this.expected < 0 ? 0 : HEADER_BYTES);
  }

  push(chunk: Uint8Array): Buffer[] {
    if (this.failure) throw this.failure;
    if (chunk.byteLength > 0) {
      this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.buffered += chunk.byteLength;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < HEADER_BYTES) break;
        const length = this.take(HEADER_BYTES).readUInt32BE(0);
        if (length > this.maxBytes) {
          this.failure = new ViciProtocolError('frame-too-large', `frame announces ${length} bytes, the limit is ${this.maxBytes}`);
          this.chunks = [];
          this.buffered = 0;
          throw this.failure;
        }
        this.expected = length;
      }
      if (this.buffered < this.expected) break;
      frames.push(this.take(this.expected));
      this.expected = -1;
    }
    return frames;
  }

  /** Removes and returns the first n buffered bytes as one (copied) Buffer. */
  private take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0];
      const used = Math.min(head.length, n - filled);
      head.copy(out, filled, 0, used);
      filled += used;
      if (used === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(used);
    }
    this.buffered -= n;
    return out;
  }
}
