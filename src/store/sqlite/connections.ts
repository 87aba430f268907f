// VPN connections with their tunnels: written in one transaction, read through the frozen cache,
// listed with markers, counted per project.
import type { VpnConnection } from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import { connectionDoc, type TunnelRow, toTunnel, tunnelConfigDoc } from '../documents.ts';
import { stamp, versioned } from '../row-version.ts';
import type { ConnectionFilter, Page, PageRequest, QuotaGuard } from '../store.ts';
import type { ConnectionCache } from './connection-cache.ts';
import { connectionWhere, isProjectOnly } from './connection-filter.ts';
import type { SqliteContext } from './context.ts';
import type { ConnectionCounts } from './counts.ts';
import type { EventPruner } from './event-retention.ts';

export class SqliteConnections {
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

  insertConnection(c: VpnConnection, quota?: QuotaGuard): void {
    const { db, q, box } = this.#ctx;
    this.#cache.forget(c.id);
    db.transaction(() => {
      if (quota) this.#ctx.withinQuota('vpn_connections', c.tenantId, c.projectId, quota);
      q.insertConnection.run(c.id, c.tenantId, c.projectId, c.vgwId, c.cgwId, c.enterpriseProjectId, c.createdAt, connectionDoc(c));
      for (const t of c.tunnels) {
        q.insertTunnel.run(
          t.id,
          c.id,
          t.index,
          t.outsideIp,
          t.outsideIpId,
          t.generation,
          box.seal(t.psk),
          tunnelConfigDoc(t),
          JSON.stringify(t.observed),
        );
      }
    })();
    stamp(c, 1);
    this.#counts.recount(c.tenantId, c.projectId, +1);
  }

  getConnection(tenantId: string, id: string): VpnConnection | undefined {
    const cached = this.#cache.get(id);
    if (cached) return cached.tenantId === tenantId ? cached : undefined;
    // One round trip: the connection row repeated beside each of its tunnel rows.
    const rows = this.#ctx.q.getConnectionWithTunnels.all(id, tenantId) as (TunnelRow & { doc: string; row_version: number })[];
    if (rows.length === 0) return undefined;
    const c = versioned<VpnConnection>(rows[0].doc, rows[0].row_version);
    c.tunnels = rows.map((r) => toTunnel(r, (sealed) => this.#ctx.open(sealed)));
    return this.#cache.remember(c);
  }

  listConnections(tenantId: string, filter: ConnectionFilter, page?: PageRequest): Page<VpnConnection> {
    const { where, params } = connectionWhere(tenantId, filter);
    // Only a paged listing needs the total; a project's whole listing reads it from the counter.
    const total = !page
      ? -1
      : isProjectOnly(filter)
        ? this.#counts.count(tenantId, filter.projectId!)
        : (this.#ctx.prepared(`SELECT count(*) AS n FROM vpn_connections c WHERE ${where}`).get(params) as { n: number }).n;
    let pageWhere = where;
    if (page?.marker) {
      const anchor = this.#ctx.q.getConnectionAnchor.get(page.marker, tenantId) as { created_at: string; id: string } | undefined;
      if (!anchor) throw DomainError.invalid('marker', `invalid marker ${page.marker}`);
      pageWhere += ' AND (c.created_at, c.id) > (@anchorCreated, @anchorId)';
      params.anchorCreated = anchor.created_at;
      params.anchorId = anchor.id;
    }
    params.limit = page ? page.limit + 1 : -1;
    const sql = `SELECT c.id FROM vpn_connections c WHERE ${pageWhere} ORDER BY c.created_at, c.id LIMIT @limit`;
    const rows = this.#ctx.prepared(sql).all(params) as { id: string }[];
    const more = page !== undefined && rows.length > page.limit;
    const items: VpnConnection[] = [];
    // Each connection through the cache: a listing after the first costs one query.
    for (const r of more ? rows.slice(0, page!.limit) : rows) {
      const c = this.getConnection(tenantId, r.id);
      if (c) items.push(c);
    }
    return { items, total: total < 0 ? items.length : total, nextMarker: more ? items[items.length - 1].id : undefined };
  }

  updateConnection(c: VpnConnection): void {
    const { db, q, box } = this.#ctx;
    this.#cache.forget(c.id);
    db.transaction(() => {
      this.#ctx.versionedUpdate(q.updateConnection, 'vpn_connections', 'VpnConnection', c, { cgwId: c.cgwId, doc: connectionDoc(c) });
      for (const t of c.tunnels) {
        q.updateTunnelConfig.run({
          id: t.id,
          outsideIp: t.outsideIp,
          outsideIpId: t.outsideIpId,
          generation: t.generation,
          psk: box.seal(t.psk),
          config: tunnelConfigDoc(t),
          observed: JSON.stringify(t.observed),
        });
      }
    })();
  }

  deleteConnection(tenantId: string, id: string): void {
    this.#cache.forget(id);
    // The project is unknown here: its count is taken again on next use.
    this.#counts.forgetAll();
    this.#ctx.db.transaction(() => {
      if (this.#ctx.q.deleteConnection.run(id, tenantId).changes > 0) this.#events.connectionDeleted(id);
    })();
  }

  countConnections(tenantId: string, projectId: string): number {
    return this.#counts.count(tenantId, projectId);
  }
}
