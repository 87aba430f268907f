// Connections and their tunnels on PostgreSQL. Nothing is cached between requests: another
// instance may have written any row since, so every read goes to the database. A connection
// carries its row version; an update from a stale read fails instead of overwriting.
import type { Tunnel, TunnelEvent, TunnelObservation, VpnConnection } from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import { connectionDoc, type TunnelRow, toTunnel, tunnelConfigDoc } from '../documents.ts';
import { stamp, versioned, versionOf } from '../row-version.ts';
import type { ConnectionFilter, Page, PageRequest, QuotaGuard } from '../store.ts';
import { isProjectOnly, staleWrite } from '../store.ts';
import { inTransaction, lockName, type PgClient, type PgPool, type Queryable } from './database.ts';
import type { PgEventPruner } from './event-retention.ts';
import type { OpenedSecrets } from './rows.ts';

type JoinedRow = TunnelRow & { doc: string; version: string };

const SELECT_WITH_TUNNELS = `SELECT c.doc, c.version, t.* FROM vpn_connections c JOIN tunnels t ON t.connection_id = c.id`;

export class PgConnections {
  readonly #pool: PgPool;
  readonly #secrets: OpenedSecrets;
  readonly #open = (sealed: string) => this.#secrets.open(sealed);
  readonly #events: PgEventPruner;

  constructor(pool: PgPool, secrets: OpenedSecrets, events: PgEventPruner) {
    this.#pool = pool;
    this.#secrets = secrets;
    this.#events = events;
  }

  async insert(c: VpnConnection, quota?: QuotaGuard): Promise<void> {
    await inTransaction(this.#pool, async (db) => {
      if (quota) await withinQuota(db, 'vpn_connections', c.tenantId, c.projectId, quota);
      await db.query(
        `INSERT INTO vpn_connections (id, tenant_id, project_id, vgw_id, cgw_id, enterprise_project_id, created_at, doc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [c.id, c.tenantId, c.projectId, c.vgwId, c.cgwId, c.enterpriseProjectId, c.createdAt, connectionDoc(c)],
      );
      for (const t of c.tunnels) {
        await db.query(
          `INSERT INTO tunnels (id, connection_id, idx, outside_ip, outside_ip_id, generation, psk_sealed, config, observed)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            t.id,
            c.id,
            t.index,
            t.outsideIp,
            t.outsideIpId,
            t.generation,
            this.#secrets.seal(t.psk),
            tunnelConfigDoc(t),
            JSON.stringify({ ...t.observed, stale: undefined }),
          ],
        );
      }
    });
    stamp(c, 1);
  }

  async get(tenantId: string, id: string, db: Queryable = this.#pool): Promise<VpnConnection | undefined> {
    const { rows } = await db.query(`${SELECT_WITH_TUNNELS} WHERE c.id = $1 AND c.tenant_id = $2 ORDER BY t.idx`, [id, tenantId]);
    return rows.length === 0 ? undefined : this.#assemble(rows as JoinedRow[]);
  }

  /**
   * Keyset paging: the marker (the last item's id, opaque to clients) is looked up by its primary
   * key and the page starts after its (created_at, id), so a page costs an index range scan of
   * `limit` rows wherever it is. A project's total is its counter row; other filters count.
   */
  async list(tenantId: string, filter: ConnectionFilter, page?: PageRequest): Promise<Page<VpnConnection>> {
    const { where, params } = connectionWhere(tenantId, filter);
    const total = !page
      ? -1
      : isProjectOnly(filter)
        ? await this.count(tenantId, filter.projectId!)
        : Number((await this.#pool.query(`SELECT count(*) AS n FROM vpn_connections c WHERE ${where}`, params)).rows[0].n);
    let pageWhere = where;
    const pageParams = [...params];
    if (page?.marker) {
      const anchor = await this.#pool.query('SELECT created_at, id FROM vpn_connections WHERE id = $1 AND tenant_id = $2', [
        page.marker,
        tenantId,
      ]);
      if (anchor.rows.length === 0) throw DomainError.invalid('marker', `invalid marker ${page.marker}`);
      pageParams.push(anchor.rows[0].created_at, anchor.rows[0].id);
      pageWhere += ` AND (c.created_at, c.id) > ($${pageParams.length - 1}, $${pageParams.length})`;
    }
    let limit = '';
    if (page) pageParams.push(page.limit + 1), (limit = `LIMIT $${pageParams.length}`);
    // The page's connections first, then all their tunnels in one more query.
    const { rows } = await this.#pool.query(
      `SELECT c.id, c.doc, c.version FROM vpn_connections c WHERE ${pageWhere} ORDER BY c.created_at, c.id ${limit}`,
      pageParams,
    );
    const more = page !== undefined && rows.length > page.limit;
    const kept = more ? rows.slice(0, page!.limit) : rows;
    const items = kept.map((r) => versioned<VpnConnection>(r.doc, r.version));
    const tunnels = await this.#tunnelsOf(items.map((c) => c.id));
    for (const c of items) c.tunnels = tunnels.get(c.id) ?? [];
    return { items, total: total < 0 ? items.length : total, nextMarker: more ? items[items.length - 1].id : undefined };
  }

  async update(c: VpnConnection): Promise<void> {
    const expected = versionOf(c);
    const version = await inTransaction(this.#pool, async (db) => {
      const r = await db.query(
        `UPDATE vpn_connections SET cgw_id = $1, doc = $2, version = version + 1
         WHERE id = $3 AND tenant_id = $4 AND ($5::bigint IS NULL OR version = $5) RETURNING version`,
        [c.cgwId, connectionDoc(c), c.id, c.tenantId, expected ?? null],
      );
      if (r.rowCount === 0) {
        if (expected !== undefined && (await this.#exists(db, c))) throw staleWrite('VpnConnection', c.id);
        return undefined;
      }
      for (const t of c.tunnels) {
        // The observation is replaced only when the config generation moves on, so a write of
        // names or tags never clobbers what the reconciler recorded meanwhile.
        await db.query(
          `UPDATE tunnels SET outside_ip = $2, outside_ip_id = $3, psk_sealed = $4, config = $5,
             observed = CASE WHEN generation = $6 THEN observed ELSE $7 END, generation = $6
           WHERE id = $1`,
          [
            t.id,
            t.outsideIp,
            t.outsideIpId,
            this.#secrets.seal(t.psk),
            tunnelConfigDoc(t),
            t.generation,
            JSON.stringify({ ...t.observed, stale: undefined }),
          ],
        );
      }
      return Number(r.rows[0].version);
    });
    if (version !== undefined) stamp(c, version);
  }

  async #exists(db: Queryable, c: VpnConnection): Promise<boolean> {
    return (await db.query('SELECT 1 FROM vpn_connections WHERE id = $1 AND tenant_id = $2', [c.id, c.tenantId])).rows.length > 0;
  }

  /** Deletes inside the caller's transaction; the events start their retention. */
  async deleteIn(db: PgClient, tenantId: string, id: string): Promise<boolean> {
    const r = await db.query('DELETE FROM vpn_connections WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
    if (r.rowCount === 0) return false;
    await this.#events.connectionDeleted(db, id);
    return true;
  }

  async count(tenantId: string, projectId: string): Promise<number> {
    const r = await this.#pool.query(
      'SELECT coalesce((SELECT n FROM connection_counts WHERE tenant_id = $1 AND project_id = $2), 0) AS n',
      [tenantId, projectId],
    );
    return Number(r.rows[0].n);
  }

  async listAllTunnels(): Promise<{ tenantId: string; connectionId: string; tunnel: Tunnel }[]> {
    const { rows } = await this.#pool.query(
      'SELECT t.*, c.tenant_id FROM tunnels t JOIN vpn_connections c ON c.id = t.connection_id ORDER BY c.created_at, c.id, t.idx',
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, connectionId: r.connection_id, tunnel: toTunnel(r, this.#open) }));
  }

  /**
   * The tunnel and its connection are locked (FOR UPDATE) for the whole transaction, so the
   * observations of two instances, and what they settle, serialize instead of interleaving.
   */
  async recordObservation(
    tunnelId: string,
    generation: number,
    next: (previous: TunnelObservation) => TunnelObservation,
    events: TunnelEvent[],
    settle?: (connection: VpnConnection) => VpnConnection | undefined,
  ): Promise<VpnConnection | undefined> {
    return inTransaction(this.#pool, async (db) => {
      const owner = await db.query(
        `SELECT t.generation, t.connection_id, t.observed, c.tenant_id FROM tunnels t
         JOIN vpn_connections c ON c.id = t.connection_id WHERE t.id = $1 FOR UPDATE OF c, t`,
        [tunnelId],
      );
      const row = owner.rows[0];
      if (!row || row.generation !== generation) return undefined;
      await db.query('UPDATE tunnels SET observed = $1 WHERE id = $2', [JSON.stringify(next(JSON.parse(row.observed))), tunnelId]);
      for (const e of events) {
        await db.query('INSERT INTO tunnel_events (tunnel_id, connection_id, at, kind, detail) VALUES ($1, $2, $3, $4, $5)', [
          tunnelId,
          row.connection_id,
          e.at,
          e.kind,
          e.detail,
        ]);
      }
      if (events.length > 0) await this.#events.trim(db, tunnelId);
      const recorded = (await this.get(row.tenant_id, row.connection_id, db))!;
      const settled = settle?.(recorded);
      if (!settled) return recorded;
      const r = await db.query(
        'UPDATE vpn_connections SET cgw_id = $1, doc = $2, version = version + 1 WHERE id = $3 AND tenant_id = $4 RETURNING version',
        [settled.cgwId, connectionDoc(settled), settled.id, settled.tenantId],
      );
      stamp(settled, Number(r.rows[0].version));
      return settled;
    });
  }

  async #tunnelsOf(ids: string[]): Promise<Map<string, Tunnel[]>> {
    const out = new Map<string, Tunnel[]>();
    if (ids.length === 0) return out;
    const { rows } = await this.#pool.query('SELECT * FROM tunnels WHERE connection_id = ANY($1) ORDER BY connection_id, idx', [ids]);
    for (const r of rows as TunnelRow[]) {
      const list = out.get(r.connection_id) ?? [];
      list.push(toTunnel(r, this.#open));
      out.set(r.connection_id, list);
    }
    return out;
  }

  #assemble(rows: JoinedRow[]): VpnConnection {
    const c = versioned<VpnConnection>(rows[0].doc, rows[0].version);
    c.tunnels = rows.map((r) => toTunnel(r, this.#open));
    return c;
  }
}

/**
 * Counts the project's rows of a table under a per-project lock held until commit, so two
 * instances' creates racing for the last slot serialize and only one gets it.
 */
export async function withinQuota(db: PgClient, table: string, tenantId: string, projectId: string, quota: QuotaGuard): Promise<void> {
  await lockName(db, `quota:${table}:${tenantId}:${projectId}`);
  const sql =
    table === 'vpn_connections'
      ? 'SELECT coalesce((SELECT n FROM connection_counts WHERE tenant_id = $1 AND project_id = $2), 0) AS n'
      : `SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1 AND project_id = $2`;
  const r = await db.query(sql, [tenantId, projectId]);
  if (Number(r.rows[0].n) >= quota.limit) throw quota.exceeded();
}

function connectionWhere(tenantId: string, f: ConnectionFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [tenantId];
  const clauses = ['c.tenant_id = $1'];
  const add = (sql: (n: string) => string, value: unknown) => (params.push(value), clauses.push(sql(`$${params.length}`)));
  if (f.projectId) add((n) => `c.project_id = ${n}`, f.projectId);
  if (f.vgwId) add((n) => `c.vgw_id = ${n}`, f.vgwId);
  if (f.cgwId) add((n) => `c.cgw_id = ${n}`, f.cgwId);
  if (f.enterpriseProjectId) add((n) => `c.enterprise_project_id = ${n}`, f.enterpriseProjectId);
  if (f.outsideIp) add((n) => `EXISTS (SELECT 1 FROM tunnels t WHERE t.connection_id = c.id AND t.outside_ip = ${n})`, f.outsideIp);
  if (f.outsideIpId) add((n) => `EXISTS (SELECT 1 FROM tunnels t WHERE t.connection_id = c.id AND t.outside_ip_id = ${n})`, f.outsideIpId);
  if (f.ids) add((n) => `c.id = ANY(${n})`, f.ids);
  return { where: clauses.join(' AND '), params };
}
