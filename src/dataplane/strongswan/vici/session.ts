// VICI session: the conversation over one transport.
//
//   client                                  daemon
//   CMD_REQUEST name {msg}        ──▶
//                                 ◀──      CMD_RESPONSE {msg} | CMD_UNKNOWN
//   EVENT_REGISTER name           ──▶
//                                 ◀──      EVENT_CONFIRM | EVENT_UNKNOWN
//                                 ◀──      EVENT name {msg}      (any time while registered)
//
// Answers carry no sequence number, so exactly one exchange (command, register or unregister)
// is in flight at a time; further calls wait in a FIFO (queue.ts). A streamed request (register,
// command with events until its CMD_RESPONSE, unregister) runs as one queue job. Registrations
// are reference-counted per event name, shared by subscriptions and streams.
//
// A call that times out is rejected at once, but an exchange already on the wire keeps its slot
// until the daemon answers (the answer is then dropped), so later answers stay matched.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { ViciClosedError, ViciProtocolError, ViciUnknownCommandError, ViciUnknownEventError } from './errors.ts';
import type { ViciInputSection, ViciMessage } from './message.ts';
import { decodeMessage, encodeMessage, nameBytes } from './message.ts';
import { PacketType, packetTypeName, type ViciPacket } from './packet.ts';
import { SerialQueue } from './queue.ts';
import { type ConnectOptions, connectVici, ViciTransport, type ViciTransportOptions } from './transport.ts';

export interface ViciSessionOptions extends ViciTransportOptions {
  /** Default deadline of a call in milliseconds, queueing included; 0 means none. Default 30000. */
  timeoutMs?: number;
  /** Told about an event handler that threw or an event message that could not be decoded.
   *  Default: process.emitWarning. */
  onError?: (error: unknown, event: string) => void;
}

export interface CallOptions {
  /** Deadline for this call in milliseconds (0: none); defaults to the session's. */
  timeoutMs?: number;
}

export interface StreamOptions extends CallOptions {
  /** Called for each streamed event as it arrives (they are also returned at the end). */
  onEvent?: (message: ViciMessage) => void;
}

export interface StreamResult {
  response: ViciMessage;
  events: ViciMessage[];
}

export type ViciEventHandler = (message: ViciMessage, event: string) => void;

export interface ViciSubscription {
  readonly event: string;
  /** Stops delivery at once; unregisters from the daemon when no one else listens. */
  unsubscribe(): Promise<void>;
}

interface Waiter {
  expect: 'command' | 'event';
  resolve: (packet: ViciPacket) => void;
  reject: (error: unknown) => void;
}

type Listener = { handler: ViciEventHandler };

export class ViciSession extends EventEmitter<{ close: [reason: Error | undefined] }> {
  readonly transport: ViciTransport;
  private readonly queue: SerialQueue;
  private readonly onError: (error: unknown, event: string) => void;
  private waiter: Waiter | null = null;
  private closedError: ViciClosedError | null = null;
  private readonly refs = new Map<string, number>();
  private readonly handlers = new Map<string, Set<Listener>>();
  private readonly streams = new Map<string, (message: ViciMessage) => void>();

  constructor(stream: Duplex | ViciTransport, options: ViciSessionOptions = {}) {
    super();
    this.transport = stream instanceof ViciTransport ? stream : new ViciTransport(stream, options);
    this.queue = new SerialQueue(options.timeoutMs ?? 30_000);
    this.onError = options.onError ?? ((error, event) => process.emitWarning(`vici event ${event}: ${String(error)}`));
    this.transport.on('packet', (packet) => this.onPacket(packet));
    this.transport.on('close', (reason) => this.onClose(reason));
  }

  static async connect(uri: string, options: ViciSessionOptions & ConnectOptions = {}): Promise<ViciSession> {
    return new ViciSession(await connectVici(uri, options), options);
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  /** Sends a command and resolves with its response message (success=no is not an error here). */
  request(command: string, message?: ViciInputSection, options: CallOptions = {}): Promise<ViciMessage> {
    let body: Buffer;
    try {
      nameBytes(command, 'command');
      body = encodeMessage(message);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.queue.push(`command ${command}`, options.timeoutMs, () => this.command(command, body));
  }

  /** Registers for `event`, sends the command, collects the events until its response, and
   *  unregisters again (unless a subscription still needs the registration). */
  streamedRequest(command: string, event: string, message?: ViciInputSection, options: StreamOptions = {}): Promise<StreamResult> {
    let body: Buffer;
    try {
      nameBytes(command, 'command');
      nameBytes(event, 'event');
      body = encodeMessage(message);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.queue.push(`command ${command}`, options.timeoutMs, async (job) => {
      await this.acquire(event);
      const events: ViciMessage[] = [];
      this.streams.set(event, (msg) => {
        if (job.settled) return;
        events.push(msg);
        options.onEvent?.(msg);
      });
      try {
        return { response: await this.command(command, body), events };
      } finally {
        this.streams.delete(event);
        await this.release(event).catch((error) => this.closed || this.onError(error, event));
      }
    });
  }

  /** Registers `handler` for `event` (EVENT_REGISTER, answered by EVENT_CONFIRM). */
  subscribe(event: string, handler: ViciEventHandler, options: CallOptions = {}): Promise<ViciSubscription> {
    try {
      nameBytes(event, 'event');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.queue.push(`register ${event}`, options.timeoutMs, async (job) => {
      await this.acquire(event);
      if (job.settled) {
        await this.release(event); // the caller gave up waiting; do not leak the registration
        throw new ViciClosedError(`subscription to ${event} abandoned`);
      }
      const listener: Listener = { handler };
      const set = this.handlers.get(event) ?? new Set<Listener>();
      set.add(listener);
      this.handlers.set(event, set);
      let active = true;
      return {
        event,
        unsubscribe: async () => {
          if (!active) return;
          active = false;
          set.delete(listener);
          if (set.size === 0 && this.handlers.get(event) === set) this.handlers.delete(event);
          if (this.closed) return;
          await this.queue.push(`unregister ${event}`, options.timeoutMs, () => this.release(event));
        },
      };
    });
  }

  /** Closes the connection; pending and queued calls fail with ViciClosedError. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const closed = new Promise<void>((resolve) => this.once('close', () => resolve()));
    this.transport.close();
    return closed;
  }

  // ------------------------------------------------------------------------------ exchanges

  private async command(command: string, body: Buffer): Promise<ViciMessage> {
    const reply = await this.exchange({ type: PacketType.CMD_REQUEST, name: command, message: body }, 'command');
    if (reply.type === PacketType.CMD_UNKNOWN) throw new ViciUnknownCommandError(command);
    return decodeMessage((reply as { message: Buffer }).message);
  }

  private async acquire(event: string): Promise<void> {
    const count = this.refs.get(event) ?? 0;
    if (count === 0) {
      const reply = await this.exchange({ type: PacketType.EVENT_REGISTER, name: event }, 'event');
      if (reply.type === PacketType.EVENT_UNKNOWN) throw new ViciUnknownEventError(event);
    }
    this.refs.set(event, count + 1);
  }

  private async release(event: string): Promise<void> {
    const count = this.refs.get(event) ?? 0;
    if (count > 1) {
      this.refs.set(event, count - 1);
      return;
    }
    this.refs.delete(event);
    if (count === 0 || this.closed) return;
    const reply = await this.exchange({ type: PacketType.EVENT_UNREGISTER, name: event }, 'event');
    if (reply.type === PacketType.EVENT_UNKNOWN) throw new ViciUnknownEventError(event);
  }

  private exchange(packet: ViciPacket, expect: Waiter['expect']): Promise<ViciPacket> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      this.waiter = { expect, resolve, reject };
      try {
        this.transport.send(packet);
      } catch (error) {
        this.waiter = null;
        reject(error);
      }
    });
  }

  // ------------------------------------------------------------------------------ inbound

  private onPacket(packet: ViciPacket): void {
    if (packet.type === PacketType.EVENT) return this.dispatch(packet.name, packet.message);
    const waiter = this.waiter;
    const kind =
      packet.type === PacketType.CMD_RESPONSE || packet.type === PacketType.CMD_UNKNOWN
        ? 'command'
        : packet.type === PacketType.EVENT_CONFIRM || packet.type === PacketType.EVENT_UNKNOWN
          ? 'event'
          : null;
    if (!waiter || waiter.expect !== kind) {
      const waiting = waiter ? `an answer to an ${waiter.expect} exchange` : 'nothing';
      this.transport.close(
        new ViciProtocolError('unexpected-packet', `received ${packetTypeName(packet.type)} while waiting for ${waiting}`),
      );
      return;
    }
    this.waiter = null;
    waiter.resolve(packet);
  }

  private dispatch(event: string, body: Buffer): void {
    const stream = this.streams.get(event);
    const listeners = this.handlers.get(event);
    if (!stream && !listeners) return;
    let message: ViciMessage;
    try {
      message = decodeMessage(body);
    } catch (error) {
      this.onError(error, event);
      return;
    }
    const call = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        this.onError(error, event);
      }
    };
    if (stream) call(() => stream(message));
    for (const listener of [...(listeners ?? [])]) call(() => listener.handler(message, event));
  }

  private onClose(reason: Error | undefined): void {
    if (this.closedError) return;
    const error = new ViciClosedError(reason ? `vici connection closed: ${reason.message}` : 'vici connection closed', { cause: reason });
    this.closedError = error;
    this.waiter?.reject(error);
    this.waiter = null;
    this.queue.fail(error);
    this.handlers.clear();
    this.streams.clear();
    this.refs.clear();
    this.emit('close', reason);
  }
}
