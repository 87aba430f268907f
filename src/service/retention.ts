// What happens to a deleted VPN connection, VPN gateway or customer gateway: EC2 keeps it visible
// to Describe, `deleting` for a moment and then `deleted`, until it is purged. The state is
// derived from the deletion time and the clock, so it needs no timer and survives a restart; a
// periodic sweep on the injected clock only frees the rows.
import type { Clock } from '../domain/ports.ts';
import type { Retired, RetiredKind, Store } from '../store/store.ts';

export interface DeletionPolicy {
  /** How long a deleted resource stays visible to EC2's Describe, in ms. */
  retentionMs: number;
  /** How long of that it shows `deleting` before `deleted`, in ms. */
  deletingMs: number;
}

export const DEFAULT_DELETION_POLICY: DeletionPolicy = { retentionMs: 3_600_000, deletingMs: 5_000 };

/** The state a deleted resource shows now, or undefined once its retention is over. */
export function retiredState(deletedAt: string, nowMs: number, policy: DeletionPolicy): 'deleting' | 'deleted' | undefined {
  const age = nowMs - Date.parse(deletedAt);
  if (age >= policy.retentionMs) return undefined;
  return age < policy.deletingMs ? 'deleting' : 'deleted';
}

/** A deleted resource of the caller's project as it shows now, or undefined when gone. */
export function visibleRetired<K extends RetiredKind>(
  r: Retired<K> | undefined,
  projectId: string,
  nowMs: number,
  policy: DeletionPolicy,
): Retired<K>['item'] | undefined {
  if (!r || r.item.projectId !== projectId) return undefined;
  const state = retiredState(r.deletedAt, nowMs, policy);
  return state && { ...r.item, state };
}

/** Every deleted resource of a kind still visible in the caller's project. */
export async function listVisibleRetired<K extends RetiredKind>(
  store: Store,
  kind: K,
  tenantId: string,
  projectId: string,
  nowMs: number,
  policy: DeletionPolicy,
): Promise<Retired<K>['item'][]> {
  const all = await store.listRetired(kind, tenantId, projectId);
  return all.flatMap((r) => {
    const item = visibleRetired(r, projectId, nowMs, policy);
    return item ? [item] : [];
  });
}

export interface PurgeLogger {
  error(obj: object, msg: string): void;
}

/** Frees the rows of deleted resources whose retention is over, every `intervalMs` of the clock. */
export class DeletedResourcePurger {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #policy: DeletionPolicy;
  readonly #log: PurgeLogger;
  readonly #intervalMs: number;
  #cancel: (() => void) | undefined;

  constructor(store: Store, clock: Clock, policy: DeletionPolicy, log: PurgeLogger) {
    this.#store = store;
    this.#clock = clock;
    this.#policy = policy;
    this.#log = log;
    // Often enough that a row outlives its retention by at most a minute (reads hide it anyway).
    this.#intervalMs = Math.min(60_000, Math.max(1_000, policy.retentionMs));
  }

  start(): void {
    if (this.#cancel) return;
    const tick = () => {
      this.#cancel = this.#clock.setTimer(this.#intervalMs, tick);
      void this.sweep().catch((err) => this.#log.error({ err }, 'failed to purge deleted resources'));
    };
    this.#cancel = this.#clock.setTimer(this.#intervalMs, tick);
  }

  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  /** Purges now; returns how many rows went. */
  async sweep(): Promise<number> {
    const before = new Date(this.#clock.now() - this.#policy.retentionMs).toISOString();
    return this.#store.purgeRetired(before);
  }
}
