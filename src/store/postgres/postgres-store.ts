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
import { type Clock, systemClock } from '../../domain/ports.ts';
import type { SecretBox } from '../secret-box.ts';
import { DEFAULT_EVENT_RETENTION, type EventRetention } from '../sqlite/event-retention.ts';
import type { ConnectionFilter, Page, PageRequest, QuotaGuard, Retired, RetiredItems, RetiredKind, Store } from '../store.ts';
import { PgConnections } from './connections.ts';
import { inTransaction, openPostgres, type PgPool, withSessionLock } from './database.ts';
import { PgEventRelay } from './event-relay.ts';
import { PgEventPruner } from './event-retention.ts';
import { PgGateways } from './gateways.ts';
import { KeyRevision } from './key-revision.ts';
import { PgLeases } from './leases.ts';
import { PgMonitors } from './monitors.ts';
import { PgRetired } from './retired.ts';
import { OpenedSecrets } from './rows.ts';
import { PgTenants } from './tenants.ts';

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
  readonly #tenants: PgTenants;
  readonly #gateways: PgGateways;
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
    this.#tenants = new PgTenants(pool, this.#secrets, this.#keys);
    this.#gateways = new PgGateways(pool, this.#secrets);
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

  // --- tenants, projects, keys (tenants.ts) ---------------------------------------------------

  createTenant(tenant: Tenant, project: Project, key: AccessKey): Promise<void> {
    return this.#tenants.createTenant(tenant, project, key);
  }

  countTenants(): Promise<number> {
    return this.#tenants.countTenants();
  }

  getTenant(tenantId: string): Promise<Tenant | undefined> {
    return this.#tenants.getTenant(tenantId);
  }

  listTenants(): Promise<Tenant[]> {
    return this.#tenants.listTenants();
  }

  getProject(projectId: string): Promise<Project | undefined> {
    return this.#tenants.getProject(projectId);
  }

  listProjects(tenantId: string): Promise<Project[]> {
    return this.#tenants.listProjects(tenantId);
  }

  createProject(project: Project): Promise<void> {
    return this.#tenants.createProject(project);
  }

  getAccessKey(accessKeyId: string): Promise<AccessKey | undefined> {
    return this.#tenants.getAccessKey(accessKeyId);
  }

  putAccessKey(key: AccessKey): Promise<void> {
    return this.#tenants.putAccessKey(key);
  }

  listAccessKeys(tenantId?: string): Promise<AccessKey[]> {
    return this.#tenants.listAccessKeys(tenantId);
  }

  deleteAccessKey(accessKeyId: string): Promise<boolean> {
    return this.#tenants.deleteAccessKey(accessKeyId);
  }

  accessKeyRevision(): Promise<number> {
    return this.#tenants.accessKeyRevision();
  }

  // --- VPN gateways and customer gateways (gateways.ts) -----------------------------------------

  insertGateway(g: VpnGateway, quota?: QuotaGuard): Promise<void> {
    return this.#gateways.insertGateway(g, quota);
  }

  getGateway(tenantId: string, id: string): Promise<VpnGateway | undefined> {
    return this.#gateways.getGateway(tenantId, id);
  }

  listGateways(tenantId: string, projectId?: string): Promise<VpnGateway[]> {
    return this.#gateways.listGateways(tenantId, projectId);
  }

  updateGateway(g: VpnGateway): Promise<void> {
    return this.#gateways.updateGateway(g);
  }

  deleteGateway(tenantId: string, id: string): Promise<void> {
    return this.#gateways.deleteGateway(tenantId, id);
  }

  allocatedOutsideIps(): Promise<Set<string>> {
    return this.#gateways.allocatedOutsideIps();
  }

  insertCustomerGateway(c: CustomerGateway, quota?: QuotaGuard): Promise<void> {
    return this.#gateways.insertCustomerGateway(c, quota);
  }

  getCustomerGateway(tenantId: string, id: string): Promise<CustomerGateway | undefined> {
    return this.#gateways.getCustomerGateway(tenantId, id);
  }

  listCustomerGateways(tenantId: string, projectId?: string): Promise<CustomerGateway[]> {
    return this.#gateways.listCustomerGateways(tenantId, projectId);
  }

  updateCustomerGateway(c: CustomerGateway): Promise<void> {
    return this.#gateways.updateCustomerGateway(c);
  }

  deleteCustomerGateway(tenantId: string, id: string): Promise<void> {
    return this.#gateways.deleteCustomerGateway(tenantId, id);
  }

  countCustomerGateways(tenantId: string, projectId: string): Promise<number> {
    return this.#gateways.countCustomerGateways(tenantId, projectId);
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
