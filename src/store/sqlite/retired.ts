// Deleted resources EC2 keeps visible for a while: the live row goes and a copy stays, in one
// transaction. A connection's copy never holds its tunnels' pre-shared keys.
import type { VpnConnection } from '../../domain/entities.ts';
import { retiredConnectionDoc } from '../documents.ts';
import type { Retired, RetiredItems, RetiredKind } from '../store.ts';
import type { ConnectionCache } from './connection-cache.ts';
import type { SqliteContext } from './context.ts';
import type { ConnectionCounts } from './counts.ts';
import type { EventPruner } from './event-retention.ts';

type RetiredRow = { deleted_at: string; doc: string };

export class SqliteRetired {
  readonly #ctx: SqliteContext;
  readonly #cache: ConnectionCache;
  readonly #counts: ConnectionCounts;
  readonly #events: EventPruner;

  constructor(ctx: SqliteContext, cache: ConnectionCache, counts: ConnectionCounts, events: EventPruner) {
    this.#ctx = ctx;
    this.#cache = cache;
    this.#counts = counts;
    this.#events = events;
  }

  retire<K extends RetiredKind>(kind: K, item: RetiredItems[K], deletedAt: string): void {
    const { db, q } = this.#ctx;
    const doc = kind === 'vpn-connection' ? retiredConnectionDoc(item as VpnConnection) : JSON.stringify(item);
    if (kind === 'vpn-connection') this.#cache.forget(item.id);
    const removed = db.transaction(() => {
      const live = { 'vpn-gateway': q.deleteGateway, 'customer-gateway': q.deleteCgw, 'vpn-connection': q.deleteConnection }[kind];
      const gone = live.run(item.id, item.tenantId).changes > 0;
      // Its tunnels' events are kept only for the event retention from now on.
      if (gone && kind === 'vpn-connection') this.#events.connectionDeleted(item.id);
      q.insertRetired.run(item.id, kind, item.tenantId, item.projectId, deletedAt, doc);
      return gone;
    })();
    if (removed && kind === 'vpn-connection') this.#counts.recount(item.tenantId, item.projectId, -1);
  }

  getRetired<K extends RetiredKind>(kind: K, tenantId: string, id: string): Retired<K> | undefined {
    const row = this.#ctx.q.getRetired.get(id, kind, tenantId) as RetiredRow | undefined;
    return row && { deletedAt: row.deleted_at, item: JSON.parse(row.doc) };
  }

  listRetired<K extends RetiredKind>(kind: K, tenantId: string, projectId: string): Retired<K>[] {
    const rows = this.#ctx.q.listRetired.all(tenantId, projectId, kind) as RetiredRow[];
    return rows.map((r) => ({ deletedAt: r.deleted_at, item: JSON.parse(r.doc) }));
  }

  purgeRetired(deletedBefore: string): number {
    return this.#ctx.q.purgeRetired.run(deletedBefore).changes;
  }
}
