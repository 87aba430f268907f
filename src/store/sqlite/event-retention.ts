// Keeps tunnel_events bounded: at most `maxPerTunnel` rows per tunnel (log lines included),
// none older than `maxAgeMs`, and the events of a deleted connection only for
// `deletedRetentionMs` after its deletion. The count is enforced as events are written, the
// two ages by a purge at open and then periodically on the store's clock.
import type { Clock } from '../../domain/ports.ts';
import type { SqliteDatabase } from './database.ts';

export interface EventRetention {
  maxPerTunnel: number;
  maxAgeMs: number;
  deletedRetentionMs: number;
}

export const DEFAULT_EVENT_RETENTION: EventRetention = {
  maxPerTunnel: 1000,
  maxAgeMs: 30 * 24 * 3600_000,
  deletedRetentionMs: 3600_000,
};

export class EventPruner {
  readonly #clock: Clock;
  readonly #policy: EventRetention;
  readonly #q;
  #cancel?: () => void;

  constructor(db: SqliteDatabase, clock: Clock, policy: EventRetention) {
    this.#clock = clock;
    this.#policy = policy;
    const p = (sql: string) => db.prepare(sql);
    this.#q = {
      trimTunnel: p(
        `DELETE FROM tunnel_events WHERE tunnel_id = @tunnel AND seq <= (
           SELECT seq FROM tunnel_events WHERE tunnel_id = @tunnel ORDER BY seq DESC LIMIT 1 OFFSET @keep)`,
      ),
      markDeleted: p('INSERT OR IGNORE INTO deleted_connections (id, deleted_at) VALUES (?, ?)'),
      purgeOld: p('DELETE FROM tunnel_events WHERE at < ?'),
      purgeDeleted: p(`DELETE FROM tunnel_events WHERE connection_id IN (SELECT id FROM deleted_connections WHERE deleted_at < ?)`),
      forgetDeleted: p('DELETE FROM deleted_connections WHERE deleted_at < ?'),
      purge: db.transaction((ageCutoff: string, deletedCutoff: string) => {
        let n = this.#q.purgeOld.run(ageCutoff).changes;
        n += this.#q.purgeDeleted.run(deletedCutoff).changes;
        this.#q.forgetDeleted.run(deletedCutoff);
        return n;
      }),
    };
  }

  /** Called inside the transaction that appended events to the tunnel. */
  trim(tunnelId: string): void {
    this.#q.trimTunnel.run({ tunnel: tunnelId, keep: this.#policy.maxPerTunnel });
  }

  /** Called inside the transaction that deletes the connection. */
  connectionDeleted(connectionId: string): void {
    this.#q.markDeleted.run(connectionId, this.#iso(0));
  }

  /** Deletes aged events and those of connections deleted longer ago than the retention. */
  purge(): number {
    return this.#q.purge(this.#iso(this.#policy.maxAgeMs), this.#iso(this.#policy.deletedRetentionMs));
  }

  /** Purges now and then every interval of the clock until stop(). */
  start(): void {
    // Often enough that nothing outlives its bound by more than half of it.
    const every = Math.max(1000, Math.min(60_000, this.#policy.deletedRetentionMs / 2, this.#policy.maxAgeMs / 2));
    const tick = () => {
      try {
        this.purge();
      } catch {
        // A busy database (another process writing) is purged at the next tick.
      }
      this.#cancel = this.#clock.setTimer(every, tick);
    };
    tick();
  }

  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  #iso(agoMs: number): string {
    return new Date(this.#clock.now() - agoMs).toISOString();
  }
}
