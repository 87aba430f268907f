// The driver's one VICI connection to charon: connect, register for the events the driver reads
// (ike-updown, child-updown, ike-rekey, child-rekey, log), and when the connection drops, tell the
// driver and reconnect with back-off (reconnectMs, doubling, at most 30 s) until charon answers.
//
//   start() ──connect──▶ subscribe ──▶ onConnected(client)     (the driver reconciles)
//      ▲                                     │ socket closes
//      └──── timer (backoff) ◀── onDisconnected(reason) ◀──┘
import type { Clock } from '../../domain/ports.ts';
import { ViciClient } from './vici/commands.ts';
import type { ViciMessage } from './vici/message.ts';

export const LINK_EVENTS = ['ike-updown', 'child-updown', 'ike-rekey', 'child-rekey', 'log'] as const;
export type LinkEvent = (typeof LINK_EVENTS)[number];

export interface LinkHandlers {
  onConnected(client: ViciClient): Promise<void>;
  onDisconnected(reason: string): void;
  onEvent(event: LinkEvent, message: ViciMessage): void;
  onError(error: unknown, context: string): void;
}

const MAX_BACKOFF_MS = 30_000;

export class CharonLink {
  #client: ViciClient | null = null;
  #cancelTimer: (() => void) | null = null;
  #failures = 0;
  #stopped = false;
  #connecting: Promise<void> | null = null;

  constructor(
    readonly uri: string,
    private readonly clock: Clock,
    private readonly reconnectMs: number,
    private readonly handlers: LinkHandlers,
  ) {}

  /** The connected client, or null while charon is unreachable. */
  get client(): ViciClient | null {
    return this.#client;
  }

  /** Connects once; on failure reports it and keeps retrying in the background. */
  start(): Promise<void> {
    this.#stopped = false;
    return this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    await this.#connecting?.catch(() => {});
    const client = this.#client;
    this.#client = null;
    await client?.close();
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#attempt().finally(() => (this.#connecting = null));
    return this.#connecting;
  }

  async #attempt(): Promise<void> {
    let client: ViciClient | null = null;
    try {
      client = await ViciClient.connect(this.uri, {
        timeoutMs: 10_000,
        onError: (error, event) => this.handlers.onError(error, `vici event ${event}`),
      });
      for (const event of LINK_EVENTS) {
        await client.session.subscribe(event, (message) => this.handlers.onEvent(event, message));
      }
    } catch (error) {
      await client?.close().catch(() => {});
      this.#failed(error instanceof Error ? error.message : String(error));
      return;
    }
    if (this.#stopped) {
      await client.close();
      return;
    }
    this.#client = client;
    this.#failures = 0;
    client.session.once('close', (reason) => {
      if (this.#client !== client) return;
      this.#client = null;
      this.#failed(reason?.message ?? 'the VICI connection was closed');
    });
    try {
      await this.handlers.onConnected(client);
    } catch (error) {
      this.handlers.onError(error, 'reconciling with charon');
    }
  }

  #failed(reason: string): void {
    if (this.#stopped) return;
    this.handlers.onDisconnected(reason);
    const delay = Math.min(MAX_BACKOFF_MS, this.reconnectMs * 2 ** Math.min(this.#failures, 10));
    this.#failures++;
    this.#cancelTimer?.();
    this.#cancelTimer = this.clock.setTimer(delay, () => {
      this.#cancelTimer = null;
      if (!this.#stopped) void this.#connect();
    });
  }
}
