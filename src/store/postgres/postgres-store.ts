// The PostgreSQL Store: several sitevpn processes share one database through a pool. Entities
// are JSON documents beside the columns queries filter on, as in the embedded store; secrets
// are sealed by the same SecretBox. No entity is cached between requests (another instance may
// have written it); mutable rows carry a version so stale read-modify-writes fail.
import type {
  AccessKey,
  ConnectionMonitor,
  CustomerGateway,
  PathObservation,
  Project,
  Tenant,
  Tunnel,
  TunnelEvent,
  TunnelObservation,
  VpnConnection,
  VpnGateway,
} from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import { type Clock, systemClock } from '../../domain/ports.ts';
import { stamp, versioned, versionOf } from '../row-version.ts';
import type { SecretBox } from '../secret-box.ts';
import { DEFAULT_EVENT_RETENTION, type EventRetention } from '../sqlite/event-retention.ts';
import type { ConnectionFilter, Page, PageRequest, QuotaGuard, Retired, RetiredItems, RetiredKind, Store } from '../store.ts';
import { staleWrite } from '../store.ts';
import { PgConnections, withinQuota } from './connections.ts';
import { inTransaction, openPostgres, type PgPool, type Queryable, UNIQUE_VIOLATION, withSessionLock } from './database.ts';
import { PgEventRelay } from './event-relay.ts';
import { PgEventPruner } from './event-retention.ts';
import { KeyRevision } from './key-revision.ts';
import { PgLeases } from './leases.ts';
import { PgMonitors } from './monitors.ts';
import { PgRetired } from './retired.ts';
import { OpenedSecrets } from './rows.ts';

export interface PostgresStoreOptions {
  clock?: Clock;
  events?: EventRetention;
  /** Pool size (default 10). */
  poolSize?: number;
}

export class PostgresStore implements Store {
  readonly #pool: PgPool;
  readonly #secrets: OpenedSecrets;
  readonly #events: PgEventPruner;
  readonly #connections: PgConnections;
  readonly #monitors: PgMonitors;
  readonly #retired: PgRetired;
  readonly #keys: KeyRevision;
  readonly #clock: Clock;
  /** Gateway leases of the data-plane instances (issue 13); not part of the Store contract. */
  readonly leases: PgLeases;
  /** Live tunnel events relayed between instances (issue 13); not part of the Store contract. */
  readonly events: PgEventRelay;

  private constructor(pool: PgPool, url: string, box: SecretBox, options: PostgresStoreOptions) {
    this.#pool = pool;
    this.#secrets = new OpenedSecrets(box);
    this.#events = new PgEventPruner(pool, options.clock ?? systemClock, options.events ?? DEFAULT_EVENT_RETENTION);
    this.#connections = new PgConnections(pool, this.#secrets, this.#events);
    this.#monitors = new PgMonitors(pool);
    this.#retired = new PgRetired(pool, this.#connections);
    this.#keys = new KeyRevision(pool, url);
    this.#clock = options.clock ?? systemClock;
    this.leases = new PgLeases(pool, url);
    this.events = new PgEventRelay(pool, url);
  }

  /** Connects, migrates (once, whichever instance comes first) and starts the event purge. */
  static async open(url: string, box: SecretBox, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(await openPostgres(url, { max: options.poolSize }), url, box, options);
    store.#events.start();
    return store;
  }

  async close(): Promise<void> {
    await this.#events.stop();
    await this.#keys.close();
    await this.#pool.end();
  }

  exclusively<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return withSessionLock(this.#pool, `sitevpn:${name}`, fn);
  }

  // --- tenants, projects, keys -------------------------------------------------------------

  async createTenant(tenant: Tenant, project: Project, key: AccessKey): Promise<void> {
    await inTransaction(this.#pool, async (db) => {
      await db.query('INSERT INTO tenants (id, account_id, name, created_at) VALUES ($1, $2, $3, $4)', [
        tenant.id,
        tenant.accountId,
        tenant.name,
        tenant.createdAt,
      ]);
      await this.#insertProject(db, project);
      await this.#insertKey(db, key);
    });
    this.#keys.forget();
  }

  async countTenants(): Promise<number> {
    return Number((await this.#pool.query('SELECT count(*) AS n FROM tenants')).rows[0].n);
  }

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    const { rows } = await this.#pool.query('SELECT * FROM tenants WHERE id = $1', [tenantId]);
    return rows[0] && toTenant(rows[0]);
  }

  async listTenants(): Promise<Tenant[]> {
    return (await this.#pool.query('SELECT * FROM tenants ORDER BY created_at, id')).rows.map(toTenant);
  }

  async getProject(projectId: string): Promise<Project | undefined> {
    const { rows } = await this.#pool.query('SELECT * FROM projects WHERE id = $1', [projectId]);
    return rows[0] && toProject(rows[0]);
  }

  async listProjects(tenantId: string): Promise<Project[]> {
    return (await this.#pool.query('SELECT * FROM projects WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId])).rows.map(toProject);
  }

  async createProject(project: Project): Promise<void> {
    await this.#insertProject(this.#pool, project);
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKey | undefined> {
    const { rows } = await this.#pool.query('SELECT * FROM access_keys WHERE access_key_id = $1', [accessKeyId]);
    return rows[0] && this.#toKey(rows[0]);
  }

  async putAccessKey(key: AccessKey): Promise<void> {
    await this.#insertKey(this.#pool, key);
    this.#keys.forget();
  }

  async listAccessKeys(tenantId?: string): Promise<AccessKey[]> {
    const { rows } = tenantId
      ? await this.#pool.query('SELECT * FROM access_keys WHERE tenant_id = $1 ORDER BY created_at, access_key_id', [tenantId])
      : await this.#pool.query('SELECT * FROM access_keys ORDER BY created_at, access_key_id');
    return rows.map((r) => this.#toKey(r));
  }

  async deleteAccessKey(accessKeyId: string): Promise<boolean> {
    this.#keys.forget();
    const deleted = ((await this.#pool.query('DELETE FROM access_keys WHERE access_key_id = $1', [accessKeyId])).rowCount ?? 0) > 0;
    this.#keys.forget();
    return deleted;
  }

  async #insertProject(db: Queryable, p: Project): Promise<void> {
    await db.query('INSERT INTO projects (id, tenant_id, name, region, created_at) VALUES ($1, $2, $3, $4, $5)', [
      p.id,
      p.tenantId,
      p.name,
      p.region,
      p.createdAt,
    ]);
  }

  accessKeyRevision(): Promise<number> {
    return this.#keys.current();
  }

  async #insertKey(db: Queryable, k: AccessKey): Promise<void> {
    this.#keys.forget();
    await db.query(
      `INSERT INTO access_keys (access_key_id, tenant_id, secret_sealed, policy, description, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (access_key_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, policy = excluded.policy, description = excluded.description`,
      [k.accessKeyId, k.tenantId, this.#secrets.seal(k.secret), k.policy, k.description, k.createdAt],
    );
  }

  #toKey(row: any): AccessKey {
    const { access_key_id: accessKeyId, tenant_id: tenantId, policy, description, created_at: createdAt } = row;
    return { accessKeyId, tenantId, secret: this.#secrets.open(row.secret_sealed), policy, description, createdAt };
  }

  // --- VPN gateways ------------------------------------------------------------------------

  async insertGateway(g: VpnGateway, quota?: QuotaGuard): Promise<void> {
    try {
      await inTransaction(this.#pool, async (db) => {
        if (quota) await withinQuota(db, 'vpn_gateways', g.tenantId, g.projectId, quota);
        await db.query('INSERT INTO vpn_gateways (id, tenant_id, project_id, created_at, doc) VALUES ($1, $2, $3, $4, $5)', [
          g.id,
          g.tenantId,
          g.projectId,
          g.createdAt,
          JSON.stringify(g),
        ]);
        for (const ip of g.outsideIps) await db.query('INSERT INTO gateway_ips (ip, gateway_id) VALUES ($1, $2)', [ip.ip, g.id]);
      });
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new DomainError('Duplicate', 'outside IP already allocated', { resource: 'VpnGateway', id: g.id });
      }
      throw err;
    }
    stamp(g, 1);
  }

  async getGateway(tenantId: string, id: string): Promise<VpnGateway | undefined> {
    const { rows } = await this.#pool.query('SELECT doc, version FROM vpn_gateways WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
    return rows[0] && versioned<VpnGateway>(rows[0].doc, rows[0].version);
  }

  async listGateways(tenantId: string, projectId?: string): Promise<VpnGateway[]> {
    const { rows } = projectId
      ? await this.#pool.query('SELECT doc, version FROM vpn_gateways WHERE tenant_id = $1 AND project_id = $2 ORDER BY created_at, id', [
          tenantId,
          projectId,
        ])
      : await this.#pool.query('SELECT doc, version FROM vpn_gateways WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId]);
    return rows.map((r) => versioned<VpnGateway>(r.doc, r.version));
  }

  async updateGateway(g: VpnGateway): Promise<void> {
    await this.#updateVersioned('vpn_gateways', 'VpnGateway', g, [JSON.stringify(g)], 'doc = $4');
  }

  async deleteGateway(tenantId: string, id: string): Promise<void> {
    await this.#pool.query('DELETE FROM vpn_gateways WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
  }

  async allocatedOutsideIps(): Promise<Set<string>> {
    return new Set((await this.#pool.query('SELECT ip FROM gateway_ips')).rows.map((r) => r.ip as string));
  }

  // --- customer gateways -------------------------------------------------------------------

  // The device profile's PSK is sealed into its own column; the document never holds it.
  async insertCustomerGateway(c: CustomerGateway, quota?: QuotaGuard): Promise<void> {
    const { doc, sealed } = this.#cgwDoc(c);
    await inTransaction(this.#pool, async (db) => {
      if (quota) await withinQuota(db, 'customer_gateways', c.tenantId, c.projectId, quota);
      await db.query(
        'INSERT INTO customer_gateways (id, tenant_id, project_id, created_at, doc, device_psk_sealed) VALUES ($1, $2, $3, $4, $5, $6)',
        [c.id, c.tenantId, c.projectId, c.createdAt, doc, sealed],
      );
    });
    stamp(c, 1);
  }

  async getCustomerGateway(tenantId: string, id: string): Promise<CustomerGateway | undefined> {
    const { rows } = await this.#pool.query(
      'SELECT doc, version, device_psk_sealed FROM customer_gateways WHERE id = $1 AND tenant_id = $2',
      [id, tenantId],
    );
    return rows[0] && this.#toCgw(rows[0]);
  }

  async listCustomerGateways(tenantId: string, projectId?: string): Promise<CustomerGateway[]> {
    const { rows } = projectId
      ? await this.#pool.query(
          'SELECT doc, version, device_psk_sealed FROM customer_gateways WHERE tenant_id = $1 AND project_id = $2 ORDER BY created_at, id',
          [tenantId, projectId],
        )
      : await this.#pool.query(
          'SELECT doc, version, device_psk_sealed FROM customer_gateways WHERE tenant_id = $1 ORDER BY created_at, id',
          [tenantId],
        );
    return rows.map((r) => this.#toCgw(r));
  }

  async updateCustomerGateway(c: CustomerGateway): Promise<void> {
    const { doc, sealed } = this.#cgwDoc(c);
    await this.#updateVersioned('customer_gateways', 'CustomerGateway', c, [doc, sealed], 'doc = $4, device_psk_sealed = $5');
  }

  async deleteCustomerGateway(tenantId: string, id: string): Promise<void> {
    await this.#pool.query('DELETE FROM customer_gateways WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
  }

  #cgwDoc(c: CustomerGateway): { doc: string; sealed: string | null } {
    const psk = c.deviceProfile?.psk;
    if (psk === undefined) return { doc: JSON.stringify(c), sealed: null };
    return { doc: JSON.stringify({ ...c, deviceProfile: { ...c.deviceProfile, psk: undefined } }), sealed: this.#secrets.seal(psk) };
  }

  #toCgw(row: { doc: string; version: string; device_psk_sealed: string | null }): CustomerGateway {
    const c = versioned<CustomerGateway>(row.doc, row.version);
    if (row.device_psk_sealed !== null && c.deviceProfile) c.deviceProfile.psk = this.#secrets.open(row.device_psk_sealed);
    return c;
  }

  /** An update checked against the version the entity was read at, when it carries one. */
  async #updateVersioned(
    table: string,
    resource: 'VpnGateway' | 'CustomerGateway',
    e: VpnGateway | CustomerGateway,
    values: unknown[],
    set: string,
  ): Promise<void> {
    const expected = versionOf(e);
    const r = await this.#pool.query(
      `UPDATE ${table} SET ${set}, version = version + 1 WHERE id = $1 AND tenant_id = $2 AND ($3::bigint IS NULL OR version = $3) RETURNING version`,
      [e.id, e.tenantId, expected ?? null, ...values],
    );
    if (r.rowCount === 1) return stamp(e, Number(r.rows[0].version));
    if (expected === undefined) return;
    const live = await this.#pool.query(`SELECT 1 FROM ${table} WHERE id = $1 AND tenant_id = $2`, [e.id, e.tenantId]);
    if (live.rows.length > 0) throw staleWrite(resource, e.id);
  }

  // --- connections and tunnels -------------------------------------------------------------

  insertConnection(c: VpnConnection, quota?: QuotaGuard): Promise<void> {
    return this.#connections.insert(c, quota);
  }

  async getConnection(tenantId: string, id: string): Promise<VpnConnection | undefined> {
    const connection = await this.#connections.get(tenantId, id);
    if (connection) await this.#markStale([connection]);
    return connection;
  }

  async listConnections(tenantId: string, filter: ConnectionFilter, page?: PageRequest): Promise<Page<VpnConnection>> {
    const result = await this.#connections.list(tenantId, filter, page);
    await this.#markStale(result.items);
    return result;
  }

  /**
   * A tunnel whose gateway's lease expired (its data-plane owner is gone, nobody took over yet)
   * says so instead of showing its last observation as current.
   */
  async #markStale(connections: VpnConnection[]): Promise<void> {
    if (connections.length === 0) return;
    const stale = await this.leases.expired([...new Set(connections.map((c) => c.vgwId))], this.#clock.now());
    for (const c of connections) {
      const lease = stale.get(c.vgwId);
      if (!lease) continue;
      const since = new Date(lease.expiresAt).toISOString();
      const reason = `status stale: the data plane instance owning ${c.vgwId} stopped renewing its lease at ${since}; showing the last observation until another instance takes over`;
      c.tunnels = c.tunnels.map((t) => ({ ...t, observed: { ...t.observed, stale: reason } }));
    }
  }

  updateConnection(c: VpnConnection): Promise<void> {
    return this.#connections.update(c);
  }

  async deleteConnection(tenantId: string, id: string): Promise<void> {
    await inTransaction(this.#pool, (db) => this.#connections.deleteIn(db, tenantId, id));
  }

  async countCustomerGateways(tenantId: string, projectId: string): Promise<number> {
    return Number(
      (
        await this.#pool.query('SELECT count(*) AS n FROM customer_gateways WHERE tenant_id = $1 AND project_id = $2', [
          tenantId,
          projectId,
        ])
      ).rows[0].n,
    );
  }

  countConnections(tenantId: string, projectId: string): Promise<number> {
    return this.#connections.count(tenantId, projectId);
  }

  retire<K extends RetiredKind>(kind: K, item: RetiredItems[K], deletedAt: string): Promise<void> {
    return this.#retired.retire(kind, item, deletedAt);
  }

  getRetired<K extends RetiredKind>(kind: K, tenantId: string, id: string): Promise<Retired<K> | undefined> {
    return this.#retired.get(kind, tenantId, id);
  }

  listRetired<K extends RetiredKind>(kind: K, tenantId: string, projectId: string): Promise<Retired<K>[]> {
    return this.#retired.list(kind, tenantId, projectId);
  }

  purgeRetired(deletedBefore: string): Promise<number> {
    return this.#retired.purge(deletedBefore);
  }

  listAllTunnels(): Promise<{ tenantId: string; connectionId: string; tunnel: Tunnel }[]> {
    return this.#connections.listAllTunnels();
  }

  recordObservation(
    tunnelId: string,
    generation: number,
    next: (previous: TunnelObservation) => TunnelObservation,
    events: TunnelEvent[],
    settle?: (connection: VpnConnection) => VpnConnection | undefined,
  ): Promise<VpnConnection | undefined> {
    return this.#connections.recordObservation(tunnelId, generation, next, events, settle);
  }

  async listTunnelEvents(tunnelId: string, limit: number, which: 'history' | 'log'): Promise<TunnelEvent[]> {
    const kind = which === 'log' ? `kind = 'log'` : `kind <> 'log'`;
    const { rows } = await this.#pool.query(`SELECT * FROM tunnel_events WHERE tunnel_id = $1 AND ${kind} ORDER BY seq DESC LIMIT $2`, [
      tunnelId,
      limit,
    ]);
    return rows.reverse().map((r) => ({ tunnelId: r.tunnel_id, connectionId: r.connection_id, at: r.at, kind: r.kind, detail: r.detail }));
  }

  // --- connection monitors and tunnel paths ---------------------------------------------------

  recordPath(tunnelId: string, generation: number, path: PathObservation): Promise<void> {
    return this.#monitors.recordPath(tunnelId, generation, path);
  }

  getPaths(tunnelIds: string[]): Promise<Map<string, PathObservation>> {
    return this.#monitors.getPaths(tunnelIds);
  }

  insertMonitor(monitor: ConnectionMonitor): Promise<void> {
    return this.#monitors.insertMonitor(monitor);
  }

  getMonitor(tenantId: string, id: string): Promise<ConnectionMonitor | undefined> {
    return this.#monitors.getMonitor(tenantId, id);
  }

  listMonitors(tenantId: string, projectId: string, connectionId?: string): Promise<ConnectionMonitor[]> {
    return this.#monitors.listMonitors(tenantId, projectId, connectionId);
  }

  deleteMonitor(tenantId: string, id: string): Promise<void> {
    return this.#monitors.deleteMonitor(tenantId, id);
  }
}

function toTenant(row: any): Tenant {
  return { id: row.id, accountId: row.account_id, name: row.name, createdAt: row.created_at };
}

function toProject(row: any): Project {
  return { id: row.id, tenantId: row.tenant_id, name: row.name, region: row.region, createdAt: row.created_at };
}
