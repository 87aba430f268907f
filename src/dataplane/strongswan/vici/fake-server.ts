// Test helper: an in-memory VICI daemon on a unix socket in a temp dir, speaking the protocol
// with this client's own encoders (frames, packets, messages), like charon's vici plugin:
//
//   CMD_REQUEST name {msg}  ─▶ handler(request, ctx) ─▶ CMD_RESPONSE {reply} | CMD_UNKNOWN
//   EVENT_REGISTER name     ─▶ EVENT_CONFIRM (known event) | EVENT_UNKNOWN
//   EVENT_UNREGISTER name   ─▶ EVENT_CONFIRM (was registered) | EVENT_UNKNOWN
//   ctx.emit(event, msg)    ─▶ EVENT name {msg}, only to connections registered for it
//
// It records every packet it receives and the most commands it ever had unanswered at once.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessage, encodeMessage, type ViciInputSection, type ViciMessage } from './message.ts';
import { decodePacket, encodeFrame, encodePacket, FrameDecoder, PacketType, packetTypeName, type ViciPacket } from './packet.ts';

export interface FakeContext {
  /** Sends an EVENT if this connection registered for it; returns whether it was sent. */
  emit(event: string, message?: ViciInputSection): boolean;
  /** Sends any packet, bypassing the protocol rules (to test misbehaving daemons). */
  send(packet: ViciPacket): void;
  /** Writes raw bytes on the socket. */
  write(bytes: Uint8Array): void;
  /** Drops the connection abruptly. */
  destroy(): void;
}

/** What a command handler answers: a reply message, CMD_UNKNOWN, or nothing at all. */
export type FakeReply = ViciInputSection | 'unknown' | 'no-answer';
export type FakeHandler = (request: ViciMessage, ctx: FakeContext) => FakeReply | Promise<FakeReply>;

export interface ReceivedPacket {
  type: string;
  name?: string;
  message?: ViciMessage;
}

export interface FakeServerOptions {
  commands?: Record<string, FakeHandler>;
  /** Event names registration succeeds for. */
  events?: string[];
}

export class FakeConnection implements FakeContext {
  readonly registered = new Set<string>();
  private readonly decoder = new FrameDecoder();

  constructor(
    readonly socket: net.Socket,
    private readonly server: FakeViciServer,
  ) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) void this.onPacket(decodePacket(frame));
    });
    socket.on('error', () => {});
  }

  emit(event: string, message: ViciInputSection = {}): boolean {
    if (!this.registered.has(event)) return false;
    this.send({ type: PacketType.EVENT, name: event, message: encodeMessage(message) });
    return true;
  }

  send(packet: ViciPacket): void {
    this.write(encodeFrame(encodePacket(packet)));
  }

  write(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private async onPacket(packet: ViciPacket): Promise<void> {
    const s = this.server;
    const entry: ReceivedPacket = { type: packetTypeName(packet.type) };
    if ('name' in packet) entry.name = packet.name;
    if ('message' in packet) entry.message = decodeMessage(packet.message);
    s.received.push(entry);
    switch (packet.type) {
      case PacketType.CMD_REQUEST: {
        s.inFlight += 1;
        s.maxInFlight = Math.max(s.maxInFlight, s.inFlight);
        const handler = s.commands[packet.name];
        const reply = handler ? await handler(entry.message ?? new Map(), this) : 'unknown';
        if (reply === 'no-answer') return;
        s.inFlight -= 1;
        if (reply === 'unknown') this.send({ type: PacketType.CMD_UNKNOWN });
        else this.send({ type: PacketType.CMD_RESPONSE, message: encodeMessage(reply) });
        return;
      }
      case PacketType.EVENT_REGISTER: {
        const known = s.events.has(packet.name);
        if (known) this.registered.add(packet.name);
        this.send({ type: known ? PacketType.EVENT_CONFIRM : PacketType.EVENT_UNKNOWN });
        return;
      }
      case PacketType.EVENT_UNREGISTER: {
        const was = this.registered.delete(packet.name);
        this.send({ type: was ? PacketType.EVENT_CONFIRM : PacketType.EVENT_UNKNOWN });
        return;
      }
      default:
        this.destroy(); // a client never sends answers or events
    }
  }
}

export class FakeViciServer {
  readonly received: ReceivedPacket[] = [];
  readonly connections: FakeConnection[] = [];
  readonly commands: Record<string, FakeHandler>;
  readonly events: Set<string>;
  inFlight = 0;
  maxInFlight = 0;
  private readonly server = net.createServer((socket) => {
    const conn = new FakeConnection(socket, this);
    this.connections.push(conn);
    for (const wake of this.waiting.splice(0)) wake(conn);
  });
  private readonly waiting: Array<(conn: FakeConnection) => void> = [];

  private constructor(
    private readonly dir: string,
    options: FakeServerOptions,
  ) {
    this.commands = { ...options.commands };
    this.events = new Set(options.events ?? []);
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeViciServer> {
    const dir = await mkdtemp(join(tmpdir(), 'vici-fake-'));
    const fake = new FakeViciServer(dir, options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(fake.path, () => resolve());
    });
    return fake;
  }

  get path(): string {
    return join(this.dir, 'charon.vici');
  }

  get uri(): string {
    return `unix://${this.path}`;
  }

  /** The commands received so far, by name, in order. */
  get commandNames(): string[] {
    return this.received.filter((p) => p.type === 'CMD_REQUEST').map((p) => p.name ?? '');
  }

  /** Resolves with the n-th accepted connection (0-based), waiting for it if needed. */
  async connection(index = 0): Promise<FakeConnection> {
    while (this.connections.length <= index) {
      await new Promise<FakeConnection>((resolve) => this.waiting.push(resolve));
    }
    return this.connections[index];
  }

  /** Emits an event on every connection registered for it; returns how many got it. */
  emit(event: string, message: ViciInputSection = {}): number {
    return this.connections.filter((c) => c.emit(event, message)).length;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Resolves once `condition()` holds, polling each turn of the event loop; rejects after `ms`. */
export async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** A latch a test opens to let a fake handler proceed. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}
