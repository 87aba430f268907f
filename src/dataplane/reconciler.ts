// Writes what the data plane reports into the store, in one transaction per event: the observation (only for the tunnel's
// current config generation), a history line, and the end of a connection's PENDING_* phase once
// no tunnel is pending any more. Path observations (what a connection monitor shows) are stored
// beside them. Events are applied one at a time, in arrival order.
import type { TunnelEvent, TunnelObservation, VpnConnection } from '../domain/entities.ts';
import type { Store } from '../store/store.ts';
import type { DataplaneEvent, PathEvent } from './driver.ts';

/** A connection's PENDING_* phase ends once no tunnel is pending any more (a delete ends elsewhere). */
function settle(connection: VpnConnection): VpnConnection | undefined {
  if (!connection.pendingOperation || connection.state === 'deleting') return undefined;
  if (connection.tunnels.some((t) => t.observed.provisioning === 'pending')) return undefined;
  return { ...connection, pendingOperation: null, state: 'available' };
}

/** Events applied between two turns of the event loop. */
const SLICE = 32;

export type TunnelEventListener = (event: TunnelEvent, connection: VpnConnection) => void;

export interface ReconcilerLogger {
  error(obj: object, msg: string): void;
}

export class Reconciler {
  readonly #store: Store;
  readonly #log: ReconcilerLogger;
  readonly #listeners = new Set<TunnelEventListener>();
  #queue: Promise<void> = Promise.resolve();
  readonly #work: { tunnelId: string; work: () => Promise<unknown> }[] = [];
  #draining = false;
  #pending = 0;

  constructor(store: Store, log: ReconcilerLogger) {
    this.#store = store;
    this.#log = log;
  }

  /** The DataplaneListener to give to driver.start(). */
  readonly onEvent = (event: DataplaneEvent): void => this.#enqueue(event.tunnelId, () => this.#apply(event));

  /** The PathListener to give to driver.start(): a path observation for the tunnel's generation. */
  readonly onPath = (event: PathEvent): void =>
    this.#enqueue(event.tunnelId, () =>
      this.#store.recordPath(event.tunnelId, event.generation, { status: event.status, detail: event.detail, at: new Date(event.at).toISOString() }),
    );

  #enqueue(tunnelId: string, work: () => Promise<unknown>): void {
    this.#pending++;
    this.#work.push({ tunnelId, work });
    if (!this.#draining) {
      this.#draining = true;
      this.#queue = this.#drain();
    }
  }

  /**
   * Applies queued events in arrival order. A synchronous store resolves every write at once, so
   * without a yield a burst of events (10,000 tunnels rekeying) would hold the event loop until
   * the last one; every SLICE events, requests get their turn.
   */
  async #drain(): Promise<void> {
    let next = 0;
    while (next < this.#work.length) {
      const { tunnelId, work } = this.#work[next++];
      try {
        await work();
      } catch (err) {
        this.#log.error({ err, tunnelId }, 'failed to record a data plane event');
      }
      this.#pending--;
      if (next % SLICE === 0) {
        this.#work.splice(0, next);
        next = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    this.#work.length = 0;
    this.#draining = false;
  }

  subscribe(listener: TunnelEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once every event received so far is in the store. */
  async idle(): Promise<void> {
    while (this.#pending > 0) await this.#queue;
  }

  async #apply(event: DataplaneEvent): Promise<void> {
    const at = new Date(event.at).toISOString();
    const next = (previous: TunnelObservation): TunnelObservation => ({
      ...event.observation,
      generation: event.generation,
      lastStatusChange: previous.ikeStatus !== event.observation.ikeStatus ? at : previous.lastStatusChange,
    });
    const history: TunnelEvent = { tunnelId: event.tunnelId, connectionId: '', at, kind: event.kind, detail: event.detail };
    const logLines = (event.log ?? []).map((line): TunnelEvent => ({ ...history, kind: 'log', detail: line }));
    const connection = await this.#store.recordObservation(event.tunnelId, event.generation, next, [...logLines, history], settle);
    if (!connection) return;
    history.connectionId = connection.id;
    for (const listener of this.#listeners) listener(history, connection);
  }
}
