// The embedded Store: better-sqlite3 (synchronous, so every method is atomic within this
// process). Entities are kept as JSON documents beside the columns that queries filter on;
// secrets are sealed by the SecretBox before they touch a row.
import type {
  AccessKey,
  ConnectionMonitor,
  PathObservation,
  CustomerGateway,
  Project,
  Tenant,
  Tunnel,
  TunnelEvent,
  TunnelObservation,
  VpnConnection,
  VpnGateway,
} from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import { systemClock, type Clock } from '../../domain/ports.ts';
import type { SecretBox } from '../secret-box.ts';
import { stamp, versioned, versionOf } from '../row-version.ts';
import { staleWrite, type ConnectionFilter, type Page, type PageRequest, type QuotaGuard, type Retired, type RetiredItems, type RetiredKind, type Store } from '../store.ts';
import { openSqlite, type SqliteDatabase } from './database.ts';
import { DEFAULT_EVENT_RETENTION, EventPruner, type EventRetention } from './event-retention.ts';
import { sealClearDevicePsks } from './sealed-columns.ts';
import { MonitorTables } from './monitor-tables.ts';
import { prepareStatements, type Statements } from './statements.ts';

interface TunnelRow {
  id: string;
  connection_id: string;
  idx: number;
  generation: number;
  psk_sealed: string;
  config: string;
  observed: string;
}

export interface SqliteStoreOptions {
  clock?: Clock;
  events?: EventRetention;
}

interface CgwRow {
  doc: string;
  version: number;
  device_psk_sealed: string | null;
}

export class SqliteStore implements Store {
  readonly #db: SqliteDatabase;
  readonly #box: SecretBox;
  readonly #q: Statements;
  /** Opening a sealed secret costs a cipher setup; reads would pay it on every request. */
  readonly #opened = new Map<string, string>();
  /**
   * Connections as last written or read, frozen. Only this process writes connections to this
   * file (the CLI touches keys only), so every write below keeps the cache true.
   */
  readonly #connections = new Map<string, VpnConnection>();
  readonly #dynamic = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  /**
   * Live connections per tenant and project, counted once and then kept by the writes below (the
   * quota check of every create and the total of every listing page would otherwise scan the index).
   */
  readonly #counts = new Map<string, number>();
  readonly #events: EventPruner;
  readonly #monitors: MonitorTables;
  /** The last data_version seen and the key revision read then; undefined after a key write here. */
  #dataVersion = -1;
  #keyRevision: number | undefined;

  constructor(file: string, box: SecretBox, options: SqliteStoreOptions = {}) {
    this.#db = openSqlite(file);
    this.#box = box;
    this.#q = prepareStatements(this.#db);
    sealClearDevicePsks(this.#db, box);
    this.#events = new EventPruner(this.#db, options.clock ?? systemClock, options.events ?? DEFAULT_EVENT_RETENTION);
    this.#events.start();
    this.#monitors = new MonitorTables(this.#db);
  }

  async close(): Promise<void> {
    this.#events.stop();
    this.#db.close();
  }

  // --- tenants, projects, keys -------------------------------------------------------------

  async createTenant(tenant: Tenant, project: Project, key: AccessKey): Promise<void> {
    this.#db.transaction(() => {
      this.#q.insertTenant.run(tenant.id, tenant.accountId, tenant.name, tenant.createdAt);
      this.#insertProject(project);
      this.#insertKey(key);
    })();
  }

  async countTenants(): Promise<number> {
    return (this.#q.countTenants.get() as { n: number }).n;
  }

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    const row = this.#q.getTenant.get(tenantId) as any;
    return row && { id: row.id, accountId: row.account_id, name: row.name, createdAt: row.created_at };
  }

  async listTenants(): Promise<Tenant[]> {
    return (this.#q.listTenants.all() as any[]).map((row) => ({ id: row.id, accountId: row.account_id, name: row.name, createdAt: row.created_at }));
  }

  async getProject(projectId: string): Promise<Project | undefined> {
    const row = this.#q.getProject.get(projectId) as any;
    return row && toProject(row);
  }

  async listProjects(tenantId: string): Promise<Project[]> {
    return (this.#q.listProjects.all(tenantId) as any[]).map(toProject);
  }

  async createProject(project: Project): Promise<void> {
    this.#insertProject(project);
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKey | undefined> {
    const row = this.#q.getKey.get(accessKeyId) as any;
    return row && this.#toKey(row);
  }

  async putAccessKey(key: AccessKey): Promise<void> {
    this.#insertKey(key);
  }

  async listAccessKeys(tenantId?: string): Promise<AccessKey[]> {
    const rows = (tenantId ? this.#q.listKeysOfTenant.all(tenantId) : this.#q.listKeys.all()) as any[];
    return rows.map((r) => this.#toKey(r));
  }

  async deleteAccessKey(accessKeyId: string): Promise<boolean> {
    this.#keyRevision = undefined;
    return this.#q.deleteKey.run(accessKeyId).changes > 0;
  }

  async accessKeyRevision(): Promise<number> {
    // data_version ignores this connection's own commits; key writes here reset #keyRevision.
    const version = this.#q.dataVersion.get() as number;
    if (version !== this.#dataVersion || this.#keyRevision === undefined) {
      this.#dataVersion = version;
      this.#keyRevision = this.#q.keyRevision.get() as number;
    }
    return this.#keyRevision;
  }

  #insertProject(p: Project): void {
    this.#q.insertProject.run(p.id, p.tenantId, p.name, p.region, p.createdAt);
  }

  #insertKey(k: AccessKey): void {
    this.#keyRevision = undefined;
    this.#q.upsertKey.run(k.accessKeyId, k.tenantId, this.#box.seal(k.secret), k.policy, k.description, k.createdAt);
  }

  #toKey(row: any): AccessKey {
    return {
      accessKeyId: row.access_key_id,
      tenantId: row.tenant_id,
      secret: this.#open(row.secret_sealed),
      policy: row.policy,
      description: row.description,
      createdAt: row.created_at,
    };
  }

  // --- VPN gateways ------------------------------------------------------------------------

  async insertGateway(g: VpnGateway, quota?: QuotaGuard): Promise<void> {
    try {
      this.#db.transaction(() => {
        if (quota) this.#withinQuota('vpn_gateways', g.tenantId, g.projectId, quota);
        this.#q.insertGateway.run(g.id, g.tenantId, g.projectId, g.createdAt, JSON.stringify(g));
        for (const ip of g.outsideIps) this.#q.insertGatewayIp.run(ip.ip, g.id);
      })();
      stamp(g, 1);
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw new DomainError('Duplicate', 'outside IP already allocated', { resource: 'VpnGateway', id: g.id });
      }
      throw err;
    }
  }

  async getGateway(tenantId: string, id: string): Promise<VpnGateway | undefined> {
    const row = this.#q.getGateway.get(id, tenantId) as { doc: string; version: number } | undefined;
    return row && versioned<VpnGateway>(row.doc, row.version);
  }

  async listGateways(tenantId: string, projectId?: string): Promise<VpnGateway[]> {
    const rows = (projectId ? this.#q.listGatewaysOfProject.all(tenantId, projectId) : this.#q.listGateways.all(tenantId)) as { doc: string; version: number }[];
    return rows.map((r) => versioned<VpnGateway>(r.doc, r.version));
  }

  async updateGateway(g: VpnGateway): Promise<void> {
    this.#versionedUpdate(this.#q.updateGateway, 'vpn_gateways', 'VpnGateway', g, { doc: JSON.stringify(g) });
  }

  async deleteGateway(tenantId: string, id: string): Promise<void> {
    this.#q.deleteGateway.run(id, tenantId);
  }

  async allocatedOutsideIps(): Promise<Set<string>> {
    return new Set((this.#q.listGatewayIps.all() as { ip: string }[]).map((r) => r.ip));
  }

  // --- customer gateways -------------------------------------------------------------------

  // The device profile's PSK is sealed into its own column; the document never holds it.
  async insertCustomerGateway(c: CustomerGateway, quota?: QuotaGuard): Promise<void> {
    const { doc, sealed } = this.#cgwDoc(c);
    this.#db.transaction(() => {
      if (quota) this.#withinQuota('customer_gateways', c.tenantId, c.projectId, quota);
      this.#q.insertCgw.run(c.id, c.tenantId, c.projectId, c.createdAt, doc, sealed);
    })();
    stamp(c, 1);
  }

  /** Inside the insert's transaction: this process's only writer makes count-then-insert atomic. */
  #withinQuota(table: 'vpn_gateways' | 'customer_gateways' | 'vpn_connections', tenantId: string, projectId: string, quota: QuotaGuard): void {
    const counted = table === 'vpn_connections' ? this.#q.countConnections.get(tenantId, projectId) : this.#prepared(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = @tenantId AND project_id = @projectId`).get({ tenantId, projectId });
    const n = (counted as { n: number }).n;
    if (n >= quota.limit) throw quota.exceeded();
  }

  async countCustomerGateways(tenantId: string, projectId: string): Promise<number> {
    return (this.#prepared('SELECT count(*) AS n FROM customer_gateways WHERE tenant_id = @tenantId AND project_id = @projectId').get({ tenantId, projectId }) as { n: number }).n;
  }

  async getCustomerGateway(tenantId: string, id: string): Promise<CustomerGateway | undefined> {
    const row = this.#q.getCgw.get(id, tenantId) as CgwRow | undefined;
    return row && this.#toCgw(row);
  }

  async listCustomerGateways(tenantId: string, projectId?: string): Promise<CustomerGateway[]> {
    const rows = (projectId ? this.#q.listCgwsOfProject.all(tenantId, projectId) : this.#q.listCgws.all(tenantId)) as CgwRow[];
    return rows.map((r) => this.#toCgw(r));
  }

  async updateCustomerGateway(c: CustomerGateway): Promise<void> {
    const { doc, sealed } = this.#cgwDoc(c);
    this.#versionedUpdate(this.#q.updateCgw, 'customer_gateways', 'CustomerGateway', c, { doc, sealed });
  }

  /**
   * Writes only if the row is still at the version the entity was read at (when it carries one);
   * otherwise another request's write came between this one's read and write.
   */
  #versionedUpdate(
    statement: Statements['updateGateway'],
    table: keyof Statements['liveRow'],
    resource: 'VpnGateway' | 'CustomerGateway' | 'VpnConnection',
    e: VpnGateway | CustomerGateway | VpnConnection,
    values: Record<string, unknown>,
  ): void {
    const expected = versionOf(e) ?? null;
    const row = statement.get({ ...values, id: e.id, tenantId: e.tenantId, expected }) as { version: number } | undefined;
    if (row) return stamp(e, row.version);
    if (expected !== null && this.#q.liveRow[table].get(e.id, e.tenantId)) throw staleWrite(resource, e.id);
  }

  #cgwDoc(c: CustomerGateway): { doc: string; sealed: string | null } {
    const psk = c.deviceProfile?.psk;
    if (psk === undefined) return { doc: JSON.stringify(c), sealed: null };
    return { doc: JSON.stringify({ ...c, deviceProfile: { ...c.deviceProfile, psk: undefined } }), sealed: this.#box.seal(psk) };
  }

  #toCgw(row: CgwRow): CustomerGateway {
    const c = versioned<CustomerGateway>(row.doc, row.version);
    if (row.device_psk_sealed !== null && c.deviceProfile) c.deviceProfile.psk = this.#open(row.device_psk_sealed);
    return c;
  }

  async deleteCustomerGateway(tenantId: string, id: string): Promise<void> {
    this.#q.deleteCgw.run(id, tenantId);
  }

  // --- connections and tunnels -------------------------------------------------------------

  async insertConnection(c: VpnConnection, quota?: QuotaGuard): Promise<void> {
    this.#connections.delete(c.id);
    this.#db.transaction(() => {
      if (quota) this.#withinQuota('vpn_connections', c.tenantId, c.projectId, quota);
      this.#q.insertConnection.run(c.id, c.tenantId, c.projectId, c.vgwId, c.cgwId, c.enterpriseProjectId, c.createdAt, connectionDoc(c));
      for (const t of c.tunnels) {
        this.#q.insertTunnel.run(t.id, c.id, t.index, t.outsideIp, t.outsideIpId, t.generation, this.#box.seal(t.psk), tunnelConfigDoc(t), JSON.stringify(t.observed));
      }
    })();
    stamp(c, 1);
    this.#recount(c.tenantId, c.projectId, +1);
  }

  #recount(tenantId: string, projectId: string, delta: number): void {
    const key = `${tenantId} ${projectId}`;
    const n = this.#counts.get(key);
    if (n !== undefined) this.#counts.set(key, n + delta);
  }

  async getConnection(tenantId: string, id: string): Promise<VpnConnection | undefined> {
    const cached = this.#connections.get(id);
    if (cached) return cached.tenantId === tenantId ? cached : undefined;
    // One round trip: the connection row repeated beside each of its tunnel rows.
    const rows = this.#q.getConnectionWithTunnels.all(id, tenantId) as (TunnelRow & { doc: string; row_version: number })[];
    if (rows.length === 0) return undefined;
    const c = versioned<VpnConnection>(rows[0].doc, rows[0].row_version);
    c.tunnels = rows.map((r) => this.#toTunnel(r));
    return this.#remember(c);
  }

  /** Filtered listings build their SQL from the filters given; each shape is prepared once. */
  #prepared(sql: string): ReturnType<SqliteDatabase['prepare']> {
    let statement = this.#dynamic.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      if (this.#dynamic.size >= 500) this.#dynamic.clear();
      this.#dynamic.set(sql, statement);
    }
    return statement;
  }

  #remember(c: VpnConnection): VpnConnection {
    if (this.#connections.size >= 100_000) this.#connections.clear();
    const frozen = deepFreeze(c);
    this.#connections.set(c.id, frozen);
    return frozen;
  }

  async listConnections(tenantId: string, filter: ConnectionFilter, page?: PageRequest): Promise<Page<VpnConnection>> {
    const { where, params } = connectionWhere(tenantId, filter);
    // Only a paged listing needs the total; a project's whole listing reads it from the counter.
    const total = !page ? -1 : isProjectOnly(filter) ? await this.countConnections(tenantId, filter.projectId!) : (this.#prepared(`SELECT count(*) AS n FROM vpn_connections c WHERE ${where}`).get(params) as { n: number }).n;
    let pageWhere = where;
    if (page?.marker) {
      const anchor = this.#q.getConnectionAnchor.get(page.marker, tenantId) as { created_at: string; id: string } | undefined;
      if (!anchor) throw DomainError.invalid('marker', `invalid marker ${page.marker}`);
      pageWhere += ' AND (c.created_at, c.id) > (@anchorCreated, @anchorId)';
      params.anchorCreated = anchor.created_at;
      params.anchorId = anchor.id;
    }
    params.limit = page ? page.limit + 1 : -1;
    const rows = this.#prepared(`SELECT c.id FROM vpn_connections c WHERE ${pageWhere} ORDER BY c.created_at, c.id LIMIT @limit`).all(params) as {
      id: string;
    }[];
    const more = page !== undefined && rows.length > page.limit;
    const items: VpnConnection[] = [];
    // Each connection through the cache: a listing after the first costs one query.
    for (const r of more ? rows.slice(0, page!.limit) : rows) {
      const c = await this.getConnection(tenantId, r.id);
      if (c) items.push(c);
    }
    return { items, total: total < 0 ? items.length : total, nextMarker: more ? items[items.length - 1].id : undefined };
  }

  async updateConnection(c: VpnConnection): Promise<void> {
    this.#connections.delete(c.id);
    this.#db.transaction(() => {
      this.#versionedUpdate(this.#q.updateConnection, 'vpn_connections', 'VpnConnection', c, { cgwId: c.cgwId, doc: connectionDoc(c) });
      for (const t of c.tunnels) {
        this.#q.updateTunnelConfig.run({
          id: t.id,
          outsideIp: t.outsideIp,
          outsideIpId: t.outsideIpId,
          generation: t.generation,
          psk: this.#box.seal(t.psk),
          config: tunnelConfigDoc(t),
          observed: JSON.stringify(t.observed),
        });
      }
    })();
  }

  async deleteConnection(tenantId: string, id: string): Promise<void> {
    this.#connections.delete(id);
    // The project is unknown here: its count is taken again on next use.
    this.#counts.clear();
    this.#db.transaction(() => {
      if (this.#q.deleteConnection.run(id, tenantId).changes > 0) this.#events.connectionDeleted(id);
    })();
  }

  async countConnections(tenantId: string, projectId: string): Promise<number> {
    const key = `${tenantId} ${projectId}`;
    let n = this.#counts.get(key);
    if (n === undefined) {
      n = (this.#q.countConnections.get(tenantId, projectId) as { n: number }).n;
      this.#counts.set(key, n);
    }
    return n;
  }

  // --- deleted resources --------------------------------------------------------------------

  async retire<K extends RetiredKind>(kind: K, item: RetiredItems[K], deletedAt: string): Promise<void> {
    const doc = kind === 'vpn-connection' ? retiredConnectionDoc(item as VpnConnection) : JSON.stringify(item);
    if (kind === 'vpn-connection') this.#connections.delete(item.id);
    const removed = this.#db.transaction(() => {
      const live = { 'vpn-gateway': this.#q.deleteGateway, 'customer-gateway': this.#q.deleteCgw, 'vpn-connection': this.#q.deleteConnection }[kind];
      const gone = live.run(item.id, item.tenantId).changes > 0;
      // Its tunnels' events are kept only for the event retention from now on.
      if (gone && kind === 'vpn-connection') this.#events.connectionDeleted(item.id);
      this.#q.insertRetired.run(item.id, kind, item.tenantId, item.projectId, deletedAt, doc);
      return gone;
    })();
    if (removed && kind === 'vpn-connection') this.#recount(item.tenantId, item.projectId, -1);
  }

  async getRetired<K extends RetiredKind>(kind: K, tenantId: string, id: string): Promise<Retired<K> | undefined> {
    const row = this.#q.getRetired.get(id, kind, tenantId) as { deleted_at: string; doc: string } | undefined;
    return row && { deletedAt: row.deleted_at, item: JSON.parse(row.doc) };
  }

  async listRetired<K extends RetiredKind>(kind: K, tenantId: string, projectId: string): Promise<Retired<K>[]> {
    const rows = this.#q.listRetired.all(tenantId, projectId, kind) as { deleted_at: string; doc: string }[];
    return rows.map((r) => ({ deletedAt: r.deleted_at, item: JSON.parse(r.doc) }));
  }

  async purgeRetired(deletedBefore: string): Promise<number> {
    return this.#q.purgeRetired.run(deletedBefore).changes;
  }

  async listAllTunnels(): Promise<{ tenantId: string; connectionId: string; tunnel: Tunnel }[]> {
    return (this.#q.listAllTunnels.all() as (TunnelRow & { tenant_id: string })[]).map((r) => ({
      tenantId: r.tenant_id,
      connectionId: r.connection_id,
      tunnel: this.#toTunnel(r),
    }));
  }

  async recordObservation(
    tunnelId: string,
    generation: number,
    next: (previous: TunnelObservation) => TunnelObservation,
    events: TunnelEvent[],
    settle?: (connection: VpnConnection) => VpnConnection | undefined,
  ): Promise<VpnConnection | undefined> {
    return this.#db.transaction(() => {
      const row = this.#q.getTunnelOwner.get(tunnelId) as
        | { generation: number; tenant_id: string; connection_id: string; observed: string }
        | undefined;
      if (!row || row.generation !== generation) return undefined;
      this.#connections.delete(row.connection_id);
      this.#q.updateObservation.run(JSON.stringify(next(JSON.parse(row.observed))), tunnelId);
      for (const e of events) this.#q.insertEvent.run(tunnelId, row.connection_id, e.at, e.kind, e.detail);
      if (events.length > 0) this.#events.trim(tunnelId);
      const conn = this.#q.getConnection.get(row.connection_id, row.tenant_id) as { doc: string; version: number };
      const recorded = this.#withTunnels(conn.doc, conn.version);
      const settled = settle?.(recorded);
      if (!settled) return recorded;
      const { version } = this.#q.updateConnection.get({ cgwId: settled.cgwId, doc: connectionDoc(settled), id: settled.id, tenantId: settled.tenantId, expected: null }) as {
        version: number;
      };
      stamp(settled, version);
      return settled;
    })();
  }

  async listTunnelEvents(tunnelId: string, limit: number, which: 'history' | 'log'): Promise<TunnelEvent[]> {
    const rows = (which === 'log' ? this.#q.listLogEvents : this.#q.listHistoryEvents).all(tunnelId, limit) as any[];
    return rows.reverse().map((r) => ({ tunnelId: r.tunnel_id, connectionId: r.connection_id, at: r.at, kind: r.kind, detail: r.detail }));
  }

  // --- connection monitors and tunnel paths ---------------------------------------------------

  async recordPath(tunnelId: string, generation: number, path: PathObservation): Promise<void> {
    this.#monitors.recordPath(tunnelId, generation, path);
  }

  async getPaths(tunnelIds: string[]): Promise<Map<string, PathObservation>> {
    return this.#monitors.getPaths(tunnelIds);
  }

  async insertMonitor(monitor: ConnectionMonitor): Promise<void> {
    this.#monitors.insertMonitor(monitor);
  }

  async getMonitor(tenantId: string, id: string): Promise<ConnectionMonitor | undefined> {
    return this.#monitors.getMonitor(tenantId, id);
  }

  async listMonitors(tenantId: string, projectId: string, connectionId?: string): Promise<ConnectionMonitor[]> {
    return this.#monitors.listMonitors(tenantId, projectId, connectionId);
  }

  async deleteMonitor(tenantId: string, id: string): Promise<void> {
    this.#monitors.deleteMonitor(tenantId, id);
  }

  #withTunnels(doc: string, version: number): VpnConnection {
    const c = versioned<VpnConnection>(doc, version);
    c.tunnels = (this.#q.listTunnels.all(c.id) as TunnelRow[]).map((r) => this.#toTunnel(r));
    return c;
  }

  #open(sealed: string): string {
    let plain = this.#opened.get(sealed);
    if (plain === undefined) {
      plain = this.#box.open(sealed);
      if (this.#opened.size >= 50_000) this.#opened.clear();
      this.#opened.set(sealed, plain);
    }
    return plain;
  }

  #toTunnel(r: TunnelRow): Tunnel {
    const t = JSON.parse(r.config) as Tunnel;
    t.psk = this.#open(r.psk_sealed);
    t.generation = r.generation;
    t.observed = JSON.parse(r.observed);
    return t;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function toProject(row: any): Project {
  return { id: row.id, tenantId: row.tenant_id, name: row.name, region: row.region, createdAt: row.created_at };
}

function connectionDoc(c: VpnConnection): string {
  return JSON.stringify({ ...c, tunnels: [] });
}

/** A deleted connection with its tunnels, none of them with its pre-shared key. */
function retiredConnectionDoc(c: VpnConnection): string {
  return JSON.stringify({ ...c, tunnels: c.tunnels.map((t) => ({ ...t, psk: '' })) });
}

/** A tunnel's config document: everything but the secret and the observation. */
function tunnelConfigDoc(t: Tunnel): string {
  return JSON.stringify({ ...t, psk: undefined, observed: undefined });
}

/** A filter that names the project and nothing else: its total is the kept count. */
function isProjectOnly(f: ConnectionFilter): boolean {
  return f.projectId !== undefined && !f.ids && !f.vgwId && !f.cgwId && !f.outsideIp && !f.outsideIpId && !f.enterpriseProjectId;
}

function connectionWhere(tenantId: string, f: ConnectionFilter): { where: string; params: Record<string, unknown> } {
  const clauses = ['c.tenant_id = @tenantId'];
  const params: Record<string, unknown> = { tenantId };
  if (f.projectId) (clauses.push('c.project_id = @projectId'), (params.projectId = f.projectId));
  if (f.vgwId) (clauses.push('c.vgw_id = @vgwId'), (params.vgwId = f.vgwId));
  if (f.cgwId) (clauses.push('c.cgw_id = @cgwId'), (params.cgwId = f.cgwId));
  if (f.enterpriseProjectId) (clauses.push('c.enterprise_project_id = @eps'), (params.eps = f.enterpriseProjectId));
  if (f.outsideIp) {
    clauses.push('EXISTS (SELECT 1 FROM tunnels t WHERE t.connection_id = c.id AND t.outside_ip = @outsideIp)');
    params.outsideIp = f.outsideIp;
  }
  if (f.outsideIpId) {
    clauses.push('EXISTS (SELECT 1 FROM tunnels t WHERE t.connection_id = c.id AND t.outside_ip_id = @outsideIpId)');
    params.outsideIpId = f.outsideIpId;
  }
  if (f.ids) {
    const names = f.ids.map((id, i) => ((params[`id${i}`] = id), `@id${i}`));
    clauses.push(names.length ? `c.id IN (${names.join(',')})` : '0');
  }
  return { where: clauses.join(' AND '), params };
}
