// The live event source of an API instance (role api): the events the data-plane instances relay,
// each with its connection read from the store, so EventService scopes them as it scopes the
// reconciler's events in a single process.
import type { TunnelEvent } from '../domain/entities.ts';
import type { Store } from '../store/store.ts';
import type { TunnelEventListener, TunnelEventSource } from './events.ts';

export class RelayedEventSource implements TunnelEventSource {
  readonly #store: Store;
  readonly #listeners = new Set<TunnelEventListener>();
  /** Deliveries one after the other, in the order the events were relayed. */
  #queue: Promise<void> = Promise.resolve();

  constructor(store: Store) {
    this.#store = store;
  }

  subscribe(listener: TunnelEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Queues one relayed event; `onError` hears a failed read of its connection. */
  relay(tenantId: string, event: TunnelEvent, onError: (err: unknown) => void): void {
    this.#queue = this.#queue.then(() => this.#deliver(tenantId, event)).catch(onError);
  }

  /** Resolves once every event relayed so far was delivered. */
  idle(): Promise<void> {
    return this.#queue;
  }

  /** Delivered once its connection is read (nothing when it is gone or nobody listens). */
  async #deliver(tenantId: string, event: TunnelEvent): Promise<void> {
    if (this.#listeners.size === 0) return;
    const connection = await this.#store.getConnection(tenantId, event.connectionId);
    if (!connection) return;
    for (const listener of this.#listeners) listener(event, connection);
  }
}
