// Writes what the data plane reports into the store: for each event the observation (only for the
// tunnel's current config generation), a history line, and the end of a connection's PENDING_*
// phase once no tunnel is pending any more, together or not at all. Path observations (what a
// connection monitor shows) are stored beside them. Events are applied in arrival order; a run of
// queued events goes to the store as one batch (one commit) when the store can take batches.
import type { TunnelEvent, TunnelObservation, VpnConnection } from '../domain/entities.ts';
import type { ObservationWrite, Store } from '../store/store.ts';
import type { DataplaneEvent, PathEvent } from './driver.ts';

/** A connection's PENDING_* phase ends once no tunnel is pending any more (a delete ends elsewhere). */
function settle(connection: VpnConnection): VpnConnection | undefined {
  if (!connection.pendingOperation || connection.state === 'deleting') return undefined;
  if (connection.tunnels.some((t) => t.observed.provisioning === 'pending')) return undefined;
  return { ...connection, pendingOperation: null, state: 'available' };
}

/** Events applied between two turns of the event loop. */
const SLICE = 32;

/** A data-plane event to record, or other store work (a path observation), in arrival order. */
type Work = { tunnelId: string; event?: DataplaneEvent; work?: () => Promise<unknown> };

export type TunnelEventListener = (event: TunnelEvent, connection: VpnConnection) => void;

export interface ReconcilerLogger {
  error(obj: object, msg: string): void;
}

export class Reconciler {
  readonly #store: Store;
  readonly #log: ReconcilerLogger;
  readonly #listeners = new Set<TunnelEventListener>();
  #queue: Promise<void> = Promise.resolve();
  readonly #work: Work[] = [];
  #draining = false;
  #pending = 0;

  constructor(store: Store, log: ReconcilerLogger) {
    this.#store = store;
    this.#log = log;
  }

  /** The DataplaneListener to give to driver.start(). */
  readonly onEvent = (event: DataplaneEvent): void => this.#enqueue({ tunnelId: event.tunnelId, event });

  /** The PathListener to give to driver.start(): a path observation for the tunnel's generation. */
  readonly onPath = (event: PathEvent): void =>
    this.#enqueue({
      tunnelId: event.tunnelId,
      work: () =>
        this.#store.recordPath(event.tunnelId, event.generation, {
          status: event.status,
          detail: event.detail,
          at: new Date(event.at).toISOString(),
        }),
    });

  #enqueue(item: Work): void {
    this.#pending++;
    this.#work.push(item);
    if (!this.#draining) {
      this.#draining = true;
      this.#queue = this.#drain();
    }
  }

  /**
   * Applies queued work in arrival order, at most SLICE items between two turns of the event loop:
   * a synchronous store resolves every write at once, so without a yield a burst (10,000 tunnels
   * rekeying) would hold the event loop until the last one. Consecutive data-plane events of a
   * slice are recorded as one batch.
   */
  async #drain(): Promise<void> {
    // Start on the next turn: events the driver reports in this one (timers due together) go in one batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#work.length > 0) {
      const slice = this.#work.splice(0, SLICE);
      for (let i = 0; i < slice.length; ) {
        let j = i;
        while (j < slice.length && slice[j].event) j++;
        if (j > i) {
          await this.#applyEvents(slice.slice(i, j).map((w) => w.event!));
          i = j;
        } else {
          await this.#guarded(slice[i].tunnelId, slice[i].work!);
          i++;
        }
      }
      this.#pending -= slice.length;
      if (this.#work.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    this.#draining = false;
  }

  async #guarded(tunnelId: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.#log.error({ err, tunnelId }, 'failed to record a data plane event');
    }
  }

  /** A batch in one transaction; if it fails, one event at a time, so only the bad one is lost. */
  async #applyEvents(events: DataplaneEvent[]): Promise<void> {
    const writes = events.map((e) => this.#write(e));
    if (this.#store.recordObservations && events.length > 1) {
      let results: (VpnConnection | undefined)[] | undefined;
      try {
        results = await this.#store.recordObservations(writes.map((w) => w.write));
      } catch {
        // Nothing of the batch was written: record one by one below, each failure logged with its tunnel.
      }
      if (results) {
        for (const [k, connection] of results.entries()) this.#tell(writes[k].history, connection);
        return;
      }
    }
    for (const w of writes) {
      await this.#guarded(w.write.tunnelId, async () => {
        const { tunnelId, generation, next, events: lines, settle: settles } = w.write;
        this.#tell(w.history, await this.#store.recordObservation(tunnelId, generation, next, lines, settles));
      });
    }
  }

  subscribe(listener: TunnelEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once every event received so far is in the store. */
  async idle(): Promise<void> {
    while (this.#pending > 0) await this.#queue;
  }

  /** What recording one event writes, and the history line its listeners get. */
  #write(event: DataplaneEvent): { write: ObservationWrite; history: TunnelEvent } {
    const at = new Date(event.at).toISOString();
    const next = (previous: TunnelObservation): TunnelObservation => ({
      ...event.observation,
      generation: event.generation,
      lastStatusChange: previous.ikeStatus !== event.observation.ikeStatus ? at : previous.lastStatusChange,
    });
    const history: TunnelEvent = { tunnelId: event.tunnelId, connectionId: '', at, kind: event.kind, detail: event.detail };
    const logLines = (event.log ?? []).map((line): TunnelEvent => ({ ...history, kind: 'log', detail: line }));
    return { write: { tunnelId: event.tunnelId, generation: event.generation, next, events: [...logLines, history], settle }, history };
  }

  #tell(history: TunnelEvent, connection: VpnConnection | undefined): void {
    if (!connection) return;
    history.connectionId = connection.id;
    for (const listener of this.#listeners) {
      try {
        listener(history, connection);
      } catch (err) {
        this.#log.error({ err, tunnelId: history.tunnelId }, 'a tunnel event listener failed');
      }
    }
  }
}
