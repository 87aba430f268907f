// The persistence contract. Every method is tenant-scoped where a tenant is involved, so a key can
// never reach another tenant's rows. Implementations: sqlite/ (the embedded default) and
// postgres/ (several processes on one database).
import type {
  AccessKey,
  ConnectionMonitor,
  CustomerGateway,
  PathObservation,
  Project,
  Tenant,
  Tunnel,
  TunnelConfig,
  TunnelEvent,
  TunnelObservation,
  VpnConnection,
  VpnGateway,
} from '../domain/entities.ts';
import { DomainError } from '../domain/errors.ts';

export interface ConnectionFilter {
  projectId?: string;
  ids?: string[];
  vgwId?: string;
  cgwId?: string;
  /** Matches any tunnel outside IP. */
  outsideIp?: string;
  outsideIpId?: string;
  enterpriseProjectId?: string;
  includeDeleted?: boolean;
}

/** A filter on the project alone: its total is the project's connection counter. */
export function isProjectOnly(f: ConnectionFilter): boolean {
  return (
    f.projectId !== undefined && Object.entries(f).every(([k, v]) => k === 'projectId' || v === undefined || (k === 'includeDeleted' && !v))
  );
}

export interface Page<T> {
  items: T[];
  /** Opaque marker of the last item when more remain, else undefined. */
  nextMarker?: string;
  /**
   * Every match, not only this page: one counter row for a project's whole listing; any other
   * filter counts its matches (an index scan of them, per page).
   */
  total: number;
}

export interface PageRequest {
  limit: number;
  marker?: string;
}

/** Resources EC2 keeps visible for a while after deletion. */
export type RetiredKind = 'vpn-gateway' | 'customer-gateway' | 'vpn-connection';

export interface RetiredItems {
  'vpn-gateway': VpnGateway;
  'customer-gateway': CustomerGateway;
  'vpn-connection': VpnConnection;
}

export interface Retired<K extends RetiredKind> {
  deletedAt: string;
  item: RetiredItems[K];
}

/**
 * A per-project quota an insert must stay within: the store counts and inserts atomically (two
 * creates racing for the last slot never both succeed) and throws `exceeded()` when it is used up.
 */
export interface QuotaGuard {
  limit: number;
  exceeded: () => Error;
}

/**
 * The row version an entity was read at, kept on the object under this symbol (copied by object
 * spread, never serialized). An update of an object carrying it succeeds only if the row is still
 * at that version, so two conflicting read-modify-writes never both win silently; an object
 * without it is written unconditionally.
 */
export const ROW_VERSION: unique symbol = Symbol.for('sitevpn.rowVersion');

/** The error a stale update gets: the dialects render it as a state conflict the client retries. */
export class StaleWriteError extends DomainError {}

export function staleWrite(resource: 'VpnGateway' | 'CustomerGateway' | 'VpnConnection', id: string): DomainError {
  return new StaleWriteError('IncorrectState', `${id} was changed by another request meanwhile; retry the request`, { resource, id });
}

/**
 * Runs a read-modify-write again from its read when another write overtook it (a few times): for
 * changes that commute with any other, such as tags, where the caller need not see the conflict.
 */
export async function retryStale<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof StaleWriteError) || i >= attempts) throw err;
    }
  }
}

/** One recordObservation call's arguments, for recordObservations. */
export interface ObservationWrite {
  tunnelId: string;
  generation: number;
  next: (previous: TunnelObservation) => TunnelObservation;
  events: TunnelEvent[];
  settle?: (connection: VpnConnection) => VpnConnection | undefined;
}

export interface Store {
  close(): Promise<void>;

  // tenants, projects, keys
  createTenant(tenant: Tenant, project: Project, key: AccessKey): Promise<void>;
  countTenants(): Promise<number>;
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  /** Every tenant, oldest first. */
  listTenants(): Promise<Tenant[]>;
  getProject(projectId: string): Promise<Project | undefined>;
  listProjects(tenantId: string): Promise<Project[]>;
  createProject(project: Project): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<AccessKey | undefined>;
  putAccessKey(key: AccessKey): Promise<void>;
  listAccessKeys(tenantId?: string): Promise<AccessKey[]>;
  deleteAccessKey(accessKeyId: string): Promise<boolean>;
  /**
   * A number that changes whenever an access key is created, changed or deleted, by this process
   * or any other sharing the store (the CLI, other server instances). Asked on every signed
   * request, so it must cost next to nothing while nothing changed.
   */
  accessKeyRevision(): Promise<number>;

  // VPN gateways
  insertGateway(gateway: VpnGateway, quota?: QuotaGuard): Promise<void>;
  getGateway(tenantId: string, id: string): Promise<VpnGateway | undefined>;
  listGateways(tenantId: string, projectId?: string): Promise<VpnGateway[]>;
  updateGateway(gateway: VpnGateway): Promise<void>;
  deleteGateway(tenantId: string, id: string): Promise<void>;
  /** Every outside IP currently held by any gateway of any tenant. */
  allocatedOutsideIps(): Promise<Set<string>>;

  // customer gateways
  insertCustomerGateway(cgw: CustomerGateway, quota?: QuotaGuard): Promise<void>;
  getCustomerGateway(tenantId: string, id: string): Promise<CustomerGateway | undefined>;
  listCustomerGateways(tenantId: string, projectId?: string): Promise<CustomerGateway[]>;
  /** Live customer gateways of a project (the quota check), without reading them. */
  countCustomerGateways(tenantId: string, projectId: string): Promise<number>;
  updateCustomerGateway(cgw: CustomerGateway): Promise<void>;
  deleteCustomerGateway(tenantId: string, id: string): Promise<void>;

  // connections and their tunnels (a connection is read and written with its tunnels)
  insertConnection(connection: VpnConnection, quota?: QuotaGuard): Promise<void>;
  getConnection(tenantId: string, id: string): Promise<VpnConnection | undefined>;
  listConnections(tenantId: string, filter: ConnectionFilter, page?: PageRequest): Promise<Page<VpnConnection>>;
  /** Writes the connection's own fields and its tunnels' config (never their observations). */
  updateConnection(connection: VpnConnection): Promise<void>;
  deleteConnection(tenantId: string, id: string): Promise<void>;
  countConnections(tenantId: string, projectId: string): Promise<number>;

  // deleted resources (kept apart from the live ones until purged)
  /**
   * Removes the live resource and keeps a copy of it, in one transaction. A connection's copy
   * never holds its tunnels' pre-shared keys.
   */
  retire<K extends RetiredKind>(kind: K, item: RetiredItems[K], deletedAt: string): Promise<void>;
  getRetired<K extends RetiredKind>(kind: K, tenantId: string, id: string): Promise<Retired<K> | undefined>;
  /** Oldest deletion first. */
  listRetired<K extends RetiredKind>(kind: K, tenantId: string, projectId: string): Promise<Retired<K>[]>;
  /** Forgets every copy deleted before the given ISO time; returns how many went. */
  purgeRetired(deletedBefore: string): Promise<number>;

  /** Every tunnel of every live connection, for the data plane to converge on at start. */
  listAllTunnels(): Promise<{ tenantId: string; connectionId: string; tunnel: Tunnel }[]>;
  /**
   * Records an observation if it is for the tunnel's current generation: `next` maps the stored
   * observation to the new one inside the same transaction. Returns the updated connection, or
   * undefined when the tunnel is gone or the generation is stale. The events (history lines and
   * log lines) are appended in order. `settle` sees the connection with the new observation and
   * may return it with new own fields (the end of a PENDING_* phase), written in the same
   * transaction: an observation, its events and what it settles are stored together or not at all.
   */
  recordObservation(
    tunnelId: string,
    generation: number,
    next: (previous: TunnelObservation) => TunnelObservation,
    events: TunnelEvent[],
    settle?: (connection: VpnConnection) => VpnConnection | undefined,
  ): Promise<VpnConnection | undefined>;
  /**
   * Several recordObservation calls in one transaction, in order, with the same result for each
   * (a burst of data-plane events costs one commit). All or nothing: when it throws, nothing of the
   * batch is written. Optional: without it the reconciler records one event at a time.
   */
  recordObservations?(batch: ObservationWrite[]): Promise<(VpnConnection | undefined)[]>;
  /**
   * Runs fn while holding a lock named `name` that every process sharing this store respects (the
   * first start's bootstrap, which two API instances may run at once). Optional: a store only one
   * process opens has no one to exclude.
   */
  exclusively?<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** The newest events of a tunnel, oldest first: 'history' is everything but log lines. */
  listTunnelEvents(tunnelId: string, limit: number, which: 'history' | 'log'): Promise<TunnelEvent[]>;

  /** Records what the data plane saw of a tunnel's path, if for its current generation. */
  recordPath(tunnelId: string, generation: number, path: PathObservation): Promise<void>;
  /** The last path observation of each tunnel that has one (any generation's newest). */
  getPaths(tunnelIds: string[]): Promise<Map<string, PathObservation>>;

  // connection monitors (they go with their connection)
  insertMonitor(monitor: ConnectionMonitor): Promise<void>;
  getMonitor(tenantId: string, id: string): Promise<ConnectionMonitor | undefined>;
  listMonitors(tenantId: string, projectId: string, connectionId?: string): Promise<ConnectionMonitor[]>;
  deleteMonitor(tenantId: string, id: string): Promise<void>;
}

export type { TunnelConfig };
