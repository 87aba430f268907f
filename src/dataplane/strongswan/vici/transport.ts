// VICI transport: a duplex byte stream (unix or tcp socket) carrying length-prefixed frames.
//
//   bytes in ──▶ FrameDecoder ──▶ decodePacket ──▶ 'packet'
//   send(packet) ──▶ encodePacket ──▶ encodeFrame ──▶ stream.write
//   u32be length | type | [nlen | name] | [message]      (see packet.ts)
//
// The transport reports exactly one 'close' event, with the reason (an Error) unless the peer
// or the owner closed it cleanly. A malformed frame or packet closes the stream: with no
// sequence numbers in the protocol, nothing after it could be trusted.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { ViciClosedError } from './errors.ts';
import { DEFAULT_MAX_FRAME_BYTES, decodePacket, encodeFrame, encodePacket, FrameDecoder, type ViciPacket } from './packet.ts';

export interface ViciTransportOptions {
  /** Largest frame accepted or sent; strongSwan's default is 512 KiB. */
  maxFrameBytes?: number;
}

export interface ViciTransportEvents {
  packet: [packet: ViciPacket];
  close: [reason: Error | undefined];
}

export class ViciTransport extends EventEmitter<ViciTransportEvents> {
  private readonly decoder: FrameDecoder;
  private readonly maxFrameBytes: number;
  private reason: Error | undefined;
  private done = false;

  constructor(
    readonly stream: Duplex,
    options: ViciTransportOptions = {},
  ) {
    super();
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.decoder = new FrameDecoder(this.maxFrameBytes);
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('error', (err: Error) => {
      this.reason ??= err;
    });
    stream.on('end', () => {
      // Half-close from the peer: nothing more will arrive, so the conversation is over.
      if (!this.done) stream.destroy();
    });
    stream.on('close', () => this.finish());
    if (stream.destroyed) queueMicrotask(() => this.finish());
  }

  get closed(): boolean {
    return this.done || this.stream.destroyed;
  }

  /** Frames and writes one packet. Throws ViciProtocolError if it cannot be encoded or is too
   *  large (nothing is written then), ViciClosedError if the stream is closed. */
  send(packet: ViciPacket): void {
    if (this.closed) throw new ViciClosedError('vici transport is closed', { cause: this.reason });
    const frame = encodeFrame(encodePacket(packet), this.maxFrameBytes);
    this.stream.write(frame);
  }

  /** Closes the stream; 'close' follows with `reason` (undefined for a deliberate close). */
  close(reason?: Error): void {
    this.reason ??= reason;
    if (!this.stream.destroyed) {
      this.stream.end();
      this.stream.destroy();
    }
  }

  private onData(chunk: Buffer): void {
    if (this.done) return;
    let packets: ViciPacket[];
    try {
      packets = this.decoder.push(chunk).map((frame) => decodePacket(frame));
    } catch (err) {
      this.close(err as Error);
      return;
    }
    for (const packet of packets) {
      if (this.done || this.stream.destroyed) return;
      this.emit('packet', packet);
    }
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.emit('close', this.reason);
  }
}

export interface ConnectOptions {
  /** Give up connecting after this many milliseconds (default 5000; 0 waits forever). */
  timeoutMs?: number;
}

/** Parses `unix:///path/to/charon.vici` or `tcp://host:port` into net.connect options. */
export function parseViciUri(uri: string): net.NetConnectOpts {
  if (uri.startsWith('unix://')) {
    const path = uri.slice('unix://'.length);
    if (!path) throw new TypeError(`vici uri ${uri} has no socket path`);
    return { path };
  }
  if (uri.startsWith('tcp://')) {
    const url = new URL(uri);
    const port = Number(url.port);
    if (!url.hostname || !Number.isInteger(port) || port <= 0) {
      throw new TypeError(`vici uri ${uri} needs a host and a port`);
    }
    return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
  }
  throw new TypeError(`vici uri ${uri} is neither unix:// nor tcp://`);
}

/** Connects a socket to a VICI service; rejects with ViciClosedError when that fails. */
export function connectVici(uri: string, options: ConnectOptions = {}): Promise<net.Socket> {
  const target = parseViciUri(uri);
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const socket = net.connect(target);
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            socket.destroy();
            reject(new ViciClosedError(`connecting to ${uri} timed out after ${timeoutMs} ms`));
          }, timeoutMs)
        : undefined;
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new ViciClosedError(`cannot connect to ${uri}: ${err.message}`, { cause: err }));
    });
  });
}
