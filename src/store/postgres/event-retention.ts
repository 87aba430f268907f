// Keeps tunnel_events bounded on PostgreSQL with the same policy as the embedded store: a count
// per tunnel enforced as events are written, two ages by a periodic purge. Every instance purges;
// the purges are idempotent deletes, so overlapping ones only repeat work.
import type { Clock } from '../../domain/ports.ts';
import type { EventRetention } from '../sqlite/event-retention.ts';
import { inTransaction, type PgClient, type PgPool } from './database.ts';

export class PgEventPruner {
  readonly #pool: PgPool;
  readonly #clock: Clock;
  readonly #policy: EventRetention;
  #cancel?: () => void;
  #running?: Promise<unknown>;

  constructor(pool: PgPool, clock: Clock, policy: EventRetention) {
    this.#pool = pool;
    this.#clock = clock;
    this.#policy = policy;
  }

  /** Called inside the transaction that appended events to the tunnel. */
  async trim(db: PgClient, tunnelId: string): Promise<void> {
    await db.query(
      `DELETE FROM tunnel_events WHERE tunnel_id = $1 AND seq <= (
         SELECT seq FROM tunnel_events WHERE tunnel_id = $1 ORDER BY seq DESC LIMIT 1 OFFSET $2)`,
      [tunnelId, this.#policy.maxPerTunnel],
    );
  }

  /** Called inside the transaction that deletes the connection. */
  async connectionDeleted(db: PgClient, connectionId: string): Promise<void> {
    await db.query('INSERT INTO deleted_connections (id, deleted_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
      connectionId,
      this.#iso(0),
    ]);
  }

  /** Deletes aged events and those of connections deleted longer ago than the retention. */
  async purge(): Promise<number> {
    const ageCutoff = this.#iso(this.#policy.maxAgeMs);
    const deletedCutoff = this.#iso(this.#policy.deletedRetentionMs);
    return inTransaction(this.#pool, async (db) => {
      let n = (await db.query('DELETE FROM tunnel_events WHERE at < $1', [ageCutoff])).rowCount ?? 0;
      n +=
        (
          await db.query('DELETE FROM tunnel_events WHERE connection_id IN (SELECT id FROM deleted_connections WHERE deleted_at < $1)', [
            deletedCutoff,
          ])
        ).rowCount ?? 0;
      await db.query('DELETE FROM deleted_connections WHERE deleted_at < $1', [deletedCutoff]);
      return n;
    });
  }

  /** Purges now and then every interval of the clock until stop(). */
  start(): void {
    const every = Math.max(1000, Math.min(60_000, this.#policy.deletedRetentionMs / 2, this.#policy.maxAgeMs / 2));
    const tick = () => {
      // An unreachable database is purged at the next tick.
      this.#running = this.purge().catch(() => {});
      this.#cancel = this.#clock.setTimer(every, tick);
    };
    tick();
  }

  /** Stops the timer and waits for a purge under way, so the pool can close after it. */
  async stop(): Promise<void> {
    this.#cancel?.();
    this.#cancel = undefined;
    await this.#running;
  }

  #iso(agoMs: number): string {
    return new Date(this.#clock.now() - agoMs).toISOString();
  }
}
