// Tunnels as the reconciler sees them: every tunnel, an observation recorded with its events in
// one transaction, and the event history read back.
import type { Tunnel, TunnelEvent, TunnelObservation, VpnConnection } from '../../domain/entities.ts';
import { connectionDoc, type TunnelRow, toTunnel } from '../documents.ts';
import { stamp, versioned } from '../row-version.ts';
import type { ObservationWrite } from '../store.ts';
import type { ConnectionCache } from './connection-cache.ts';
import type { SqliteContext } from './context.ts';
import type { EventPruner } from './event-retention.ts';
import type { EventRow } from './rows.ts';

type TunnelOwner = { generation: number; tenant_id: string; connection_id: string; observed: string };

export class SqliteTunnels {
  readonly #ctx: SqliteContext;
  readonly #cache: ConnectionCache;
  readonly #events: EventPruner;
  readonly #open: (sealed: string) => string;

  constructor(ctx: SqliteContext, cache: ConnectionCache, events: EventPruner) {
    this.#ctx = ctx;
    this.#cache = cache;
    this.#events = events;
    this.#open = (sealed) => ctx.open(sealed);
  }

  listAllTunnels(): { tenantId: string; connectionId: string; tunnel: Tunnel }[] {
    return (this.#ctx.q.listAllTunnels.all() as (TunnelRow & { tenant_id: string })[]).map((r) => ({
      tenantId: r.tenant_id,
      connectionId: r.connection_id,
      tunnel: toTunnel(r, this.#open),
    }));
  }

  recordObservation(
    tunnelId: string,
    generation: number,
    next: (previous: TunnelObservation) => TunnelObservation,
    events: TunnelEvent[],
    settle?: (connection: VpnConnection) => VpnConnection | undefined,
  ): VpnConnection | undefined {
    const { db, q } = this.#ctx;
    return db.transaction(() => {
      const row = q.getTunnelOwner.get(tunnelId) as TunnelOwner | undefined;
      if (!row || row.generation !== generation) return undefined;
      this.#cache.forget(row.connection_id);
      q.updateObservation.run(JSON.stringify(next(JSON.parse(row.observed))), tunnelId);
      for (const e of events) q.insertEvent.run(tunnelId, row.connection_id, e.at, e.kind, e.detail);
      if (events.length > 0) this.#events.trim(tunnelId);
      const conn = q.getConnection.get(row.connection_id, row.tenant_id) as { doc: string; version: number };
      const recorded = this.#withTunnels(conn.doc, conn.version);
      const settled = settle?.(recorded);
      if (!settled) return recorded;
      const values = { cgwId: settled.cgwId, doc: connectionDoc(settled), id: settled.id, tenantId: settled.tenantId, expected: null };
      const { version } = q.updateConnection.get(values) as { version: number };
      stamp(settled, version);
      return settled;
    })();
  }

  /** One transaction around the batch; each item is a savepoint inside it, as alone. */
  recordObservations(batch: ObservationWrite[]): (VpnConnection | undefined)[] {
    return this.#ctx.db.transaction(() => batch.map((w) => this.recordObservation(w.tunnelId, w.generation, w.next, w.events, w.settle)))();
  }

  listTunnelEvents(tunnelId: string, limit: number, which: 'history' | 'log'): TunnelEvent[] {
    const { q } = this.#ctx;
    const rows = (which === 'log' ? q.listLogEvents : q.listHistoryEvents).all(tunnelId, limit) as EventRow[];
    return rows.reverse().map((r) => ({ tunnelId: r.tunnel_id, connectionId: r.connection_id, at: r.at, kind: r.kind, detail: r.detail }));
  }

  #withTunnels(doc: string, version: number): VpnConnection {
    const c = versioned<VpnConnection>(doc, version);
    c.tunnels = (this.#ctx.q.listTunnels.all(c.id) as TunnelRow[]).map((r) => toTunnel(r, this.#open));
    return c;
  }
}
