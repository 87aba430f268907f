// The live tunnel event stream, scoped here rather than in a dialect: a caller hears only the
// events of its own tenant and project (and of one connection when it names one).
import type { TunnelEvent, VpnConnection } from '../domain/entities.ts';
import type { Store } from '../store/store.ts';
import { authorize, type RequestContext } from './context.ts';
import { connectionOf } from './scoped.ts';

export type TunnelEventListener = (event: TunnelEvent, connection: VpnConnection) => void;

/** Where live events come from: the reconciler, once each history line is in the store. */
export interface TunnelEventSource {
  subscribe(listener: TunnelEventListener): () => void;
}

export interface EventFilter {
  connectionId?: string;
}

/** A checked subscription: `open` starts delivering and returns what stops it. */
export interface EventFeed {
  open(listener: TunnelEventListener): () => void;
}

export class EventService {
  readonly #store: Store;
  readonly #source: TunnelEventSource;

  constructor(store: Store, source: TunnelEventSource) {
    this.#store = store;
    this.#source = source;
  }

  /** Authorizes the caller and checks the named connection before anything is delivered. */
  async stream(ctx: RequestContext, filter: EventFilter = {}): Promise<EventFeed> {
    authorize(ctx, 'read', 'ListTunnelEvents');
    const { connectionId } = filter;
    if (connectionId !== undefined) await connectionOf(this.#store, ctx, connectionId);
    const { tenantId, projectId } = ctx;
    return {
      open: (listener) =>
        this.#source.subscribe((event, connection) => {
          if (connection.tenantId !== tenantId || connection.projectId !== projectId) return;
          if (connectionId !== undefined && connection.id !== connectionId) return;
          listener(event, connection);
        }),
    };
  }
}
