// A data-plane instance's side of the gateway leases (issue 13): a heartbeat a few times per lease
// period renews, claims and takes over leases, then the owned gateways' intents are synced into
// the driver. An announcement of changed intents (LISTEN) brings the next beat forward; the
// periodic beat is the safety net when an announcement is missed or the listener is down.
import type { Clock } from '../domain/ports.ts';

export interface OwnedGateway {
  gatewayId: string;
  tenantId: string;
}

export interface LeaseRegistry {
  heartbeat(holder: { id: string; host?: string }, now: number, ttlMs: number): Promise<OwnedGateway[]>;
  release(holderId: string): Promise<void>;
  listen(onChange: () => void, onDown: () => void): Promise<() => Promise<void>>;
}

export interface OwnerLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface GatewayOwnerOptions {
  id: string;
  host?: string;
  leaseMs: number;
  clock: Clock;
  logger: OwnerLogger;
  /** Brings the driver in line with the owned gateways. */
  sync(owned: OwnedGateway[]): Promise<unknown>;
}

export class GatewayOwner {
  readonly #leases: LeaseRegistry;
  readonly #o: GatewayOwnerOptions;
  #timer?: NodeJS.Timeout;
  #running?: Promise<void>;
  #again = false;
  #stopped = false;
  #unlisten?: () => Promise<void>;
  #owned = new Set<string>();

  constructor(leases: LeaseRegistry, options: GatewayOwnerOptions) {
    this.#leases = leases;
    this.#o = options;
  }

  /** The gateways owned after the last beat. */
  get owned(): ReadonlySet<string> {
    return this.#owned;
  }

  async start(): Promise<void> {
    await this.beat();
    await this.#listen();
    // Three beats per lease: one lost beat never loses the lease.
    this.#timer = setInterval(() => void this.beat(), Math.max(100, Math.floor(this.#o.leaseMs / 3)));
    this.#timer.unref();
  }

  /** One heartbeat and sync; calls while one runs are folded into one more after it. */
  beat(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        try {
          await this.#beatOnce();
        } catch (err) {
          this.#o.logger.error({ err }, 'gateway lease heartbeat failed');
        }
      } while (this.#again && !this.#stopped);
      this.#running = undefined;
    })();
    return this.#running;
  }

  async #beatOnce(): Promise<void> {
    if (this.#stopped) return;
    const owned = await this.#leases.heartbeat({ id: this.#o.id, host: this.#o.host }, this.#o.clock.now(), this.#o.leaseMs);
    const ids = new Set(owned.map((g) => g.gatewayId));
    const gained = [...ids].filter((id) => !this.#owned.has(id));
    const lost = [...this.#owned].filter((id) => !ids.has(id));
    if (gained.length || lost.length)
      this.#o.logger.info({ instance: this.#o.id, gained, lost, owned: ids.size }, 'gateway leases changed');
    this.#owned = ids;
    await this.#o.sync(owned);
  }

  async #listen(): Promise<void> {
    if (this.#stopped) return;
    try {
      this.#unlisten = await this.#leases.listen(
        () => void this.beat(),
        () => {
          this.#unlisten = undefined;
          // Retried at the next beat's pace; until then the periodic beat covers.
          if (!this.#stopped) setTimeout(() => void this.#listen(), this.#o.leaseMs).unref();
        },
      );
    } catch (err) {
      this.#o.logger.error({ err }, 'listening for intent changes failed; relying on the periodic resync');
      if (!this.#stopped) setTimeout(() => void this.#listen(), this.#o.leaseMs).unref();
    }
  }

  /** A clean stop: the leases are released so other instances take the gateways at their next beat. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
    await this.#unlisten?.();
    await this.#leases.release(this.#o.id).catch((err) => this.#o.logger.error({ err }, 'releasing gateway leases failed'));
  }
}
