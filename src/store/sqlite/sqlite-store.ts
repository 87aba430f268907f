// The embedded Store: better-sqlite3 (synchronous, so every method is atomic within this
// process). Entities are kept as JSON documents beside the columns that queries filter on;
// secrets are sealed by the SecretBox before they touch a row. This class wires the parts
// (tenants.ts, gateways.ts, connections.ts, tunnels.ts, retired.ts, monitor-tables.ts) and
// answers the Store interface through them.
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
import type {
  ConnectionFilter,
  ObservationWrite,
  Page,
  PageRequest,
  QuotaGuard,
  Retired,
  RetiredItems,
  RetiredKind,
  Store,
} from '../store.ts';
import { ConnectionCache } from './connection-cache.ts';
import { SqliteConnections } from './connections.ts';
import { SqliteContext } from './context.ts';
import { ConnectionCounts } from './counts.ts';
import { openSqlite, type SqliteDatabase } from './database.ts';
import { DEFAULT_EVENT_RETENTION, EventPruner, type EventRetention } from './event-retention.ts';
import { SqliteGateways } from './gateways.ts';
import { MonitorTables } from './monitor-tables.ts';
import { SqliteRetired } from './retired.ts';
import { sealClearDevicePsks } from './sealed-columns.ts';
import { SqliteTenants } from './tenants.ts';
import { SqliteTunnels } from './tunnels.ts';

export interface SqliteStoreOptions {
  clock?: Clock;
  events?: EventRetention;
}

export class SqliteStore implements Store {
  readonly #db: SqliteDatabase;
  readonly #events: EventPruner;
  readonly #tenants: SqliteTenants;
  readonly #gateways: SqliteGateways;
  readonly #connections: SqliteConnections;
  readonly #tunnels: SqliteTunnels;
  readonly #retired: SqliteRetired;
  readonly #monitors: MonitorTables;

  constructor(file: string, box: SecretBox, options: SqliteStoreOptions = {}) {
    this.#db = openSqlite(file);
    const ctx = new SqliteContext(this.#db, box);
    sealClearDevicePsks(this.#db, box);
    this.#events = new EventPruner(this.#db, options.clock ?? systemClock, options.events ?? DEFAULT_EVENT_RETENTION);
    this.#events.start();
    this.#monitors = new MonitorTables(this.#db);
    const cache = new ConnectionCache();
    const counts = new ConnectionCounts(ctx.q);
    this.#tenants = new SqliteTenants(ctx);
    this.#gateways = new SqliteGateways(ctx);
    this.#connections = new SqliteConnections(ctx, cache, counts, this.#events);
    this.#tunnels = new SqliteTunnels(ctx, cache, this.#events);
    this.#retired = new SqliteRetired(ctx, cache, counts, this.#events);
  }

  async close(): Promise<void> {
    this.#events.stop();
    this.#db.close();
  }

  // --- tenants, projects, keys (tenants.ts) ---------------------------------------------------

  async createTenant(tenant: Tenant, project: Project, key: AccessKey): Promise<void> {
    this.#tenants.createTenant(tenant, project, key);
  }

  async countTenants(): Promise<number> {
    return this.#tenants.countTenants();
  }

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    return this.#tenants.getTenant(tenantId);
  }

  async listTenants(): Promise<Tenant[]> {
    return this.#tenants.listTenants();
  }

  async getProject(projectId: string): Promise<Project | undefined> {
    return this.#tenants.getProject(projectId);
  }

  async listProjects(tenantId: string): Promise<Project[]> {
    return this.#tenants.listProjects(tenantId);
  }

  async createProject(project: Project): Promise<void> {
    this.#tenants.insertProject(project);
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKey | undefined> {
    return this.#tenants.getAccessKey(accessKeyId);
  }

  async putAccessKey(key: AccessKey): Promise<void> {
    this.#tenants.putAccessKey(key);
  }

  async listAccessKeys(tenantId?: string): Promise<AccessKey[]> {
    return this.#tenants.listAccessKeys(tenantId);
  }

  async deleteAccessKey(accessKeyId: string): Promise<boolean> {
    return this.#tenants.deleteAccessKey(accessKeyId);
  }

  async accessKeyRevision(): Promise<number> {
    return this.#tenants.accessKeyRevision();
  }

  // --- VPN gateways and customer gateways (gateways.ts) ----------------------------------------

  async insertGateway(g: VpnGateway, quota?: QuotaGuard): Promise<void> {
    this.#gateways.insertGateway(g, quota);
  }

  async getGateway(tenantId: string, id: string): Promise<VpnGateway | undefined> {
    return this.#gateways.getGateway(tenantId, id);
  }

  async listGateways(tenantId: string, projectId?: string): Promise<VpnGateway[]> {
    return this.#gateways.listGateways(tenantId, projectId);
  }

  async updateGateway(g: VpnGateway): Promise<void> {
    this.#gateways.updateGateway(g);
  }

  async deleteGateway(tenantId: string, id: string): Promise<void> {
    this.#gateways.deleteGateway(tenantId, id);
  }

  async allocatedOutsideIps(): Promise<Set<string>> {
    return this.#gateways.allocatedOutsideIps();
  }

  async insertCustomerGateway(c: CustomerGateway, quota?: QuotaGuard): Promise<void> {
    this.#gateways.insertCustomerGateway(c, quota);
  }

  async countCustomerGateways(tenantId: string, projectId: string): Promise<number> {
    return this.#gateways.countCustomerGateways(tenantId, projectId);
  }

  async getCustomerGateway(tenantId: string, id: string): Promise<CustomerGateway | undefined> {
    return this.#gateways.getCustomerGateway(tenantId, id);
  }

  async listCustomerGateways(tenantId: string, projectId?: string): Promise<CustomerGateway[]> {
    return this.#gateways.listCustomerGateways(tenantId, projectId);
  }

  async updateCustomerGateway(c: CustomerGateway): Promise<void> {
    this.#gateways.updateCustomerGateway(c);
  }

  async deleteCustomerGateway(tenantId: string, id: string): Promise<void> {
    this.#gateways.deleteCustomerGateway(tenantId, id);
  }

  // --- connections (connections.ts) ------------------------------------------------------------

  async insertConnection(c: VpnConnection, quota?: QuotaGuard): Promise<void> {
    this.#connections.insertConnection(c, quota);
  }

  async getConnection(tenantId: string, id: string): Promise<VpnConnection | undefined> {
    return this.#connections.getConnection(tenantId, id);
  }

  async listConnections(tenantId: string, filter: ConnectionFilter, page?: PageRequest): Promise<Page<VpnConnection>> {
    return this.#connections.listConnections(tenantId, filter, page);
  }

  async updateConnection(c: VpnConnection): Promise<void> {
    this.#connections.updateConnection(c);
  }

  async deleteConnection(tenantId: string, id: string): Promise<void> {
    this.#connections.deleteConnection(tenantId, id);
  }

  async countConnections(tenantId: string, projectId: string): Promise<number> {
    return this.#connections.countConnections(tenantId, projectId);
  }

  // --- deleted resources (retired.ts) ----------------------------------------------------------

  async retire<K extends RetiredKind>(kind: K, item: RetiredItems[K], deletedAt: string): Promise<void> {
    this.#retired.retire(kind, item, deletedAt);
  }

  async getRetired<K extends RetiredKind>(kind: K, tenantId: string, id: string): Promise<Retired<K> | undefined> {
    return this.#retired.getRetired(kind, tenantId, id);
  }

  async listRetired<K extends RetiredKind>(kind: K, tenantId: string, projectId: string): Promise<Retired<K>[]> {
    return this.#retired.listRetired(kind, tenantId, projectId);
  }

  async purgeRetired(deletedBefore: string): Promise<number> {
    return this.#retired.purgeRetired(deletedBefore);
  }

  // --- tunnels, observations and events (tunnels.ts) ---------------------------------------------

  async listAllTunnels(): Promise<{ tenantId: string; connectionId: string; tunnel: Tunnel }[]> {
    return this.#tunnels.listAllTunnels();
  }

  async recordObservation(
    tunnelId: string,
    generation: number,
    next: (previous: TunnelObservation) => TunnelObservation,
    events: TunnelEvent[],
    settle?: (connection: VpnConnection) => VpnConnection | undefined,
  ): Promise<VpnConnection | undefined> {
    return this.#tunnels.recordObservation(tunnelId, generation, next, events, settle);
  }

  async recordObservations(batch: ObservationWrite[]): Promise<(VpnConnection | undefined)[]> {
    return this.#tunnels.recordObservations(batch);
  }

  async listTunnelEvents(tunnelId: string, limit: number, which: 'history' | 'log'): Promise<TunnelEvent[]> {
    return this.#tunnels.listTunnelEvents(tunnelId, limit, which);
  }

  // --- connection monitors and tunnel paths (monitor-tables.ts) ---------------------------------

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
}
