// Connection monitors (Huawei connection-monitors): a health check of a connection's path. The
// monitor's status is what the data plane last observed of the path through the connection's
// tunnels (recorded by the reconciler), never the connection's own status.
import type { ConnectionMonitor, PathObservation, VpnConnection } from '../domain/entities.ts';
import { DomainError } from '../domain/errors.ts';
import type { Clock, IdGenerator } from '../domain/ports.ts';
import type { Store } from '../store/store.ts';
import { authorize, type RequestContext } from './context.ts';
import { connectionOf } from './scoped.ts';

export interface MonitorView {
  monitor: ConnectionMonitor;
  /** The path as last observed; undefined until the data plane has reported it. */
  path?: PathObservation;
}

export class MonitorService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #ids: IdGenerator;

  constructor(store: Store, clock: Clock, ids: IdGenerator) {
    this.#store = store;
    this.#clock = clock;
    this.#ids = ids;
  }

  async create(ctx: RequestContext, connectionId: string): Promise<MonitorView> {
    authorize(ctx, 'write', 'CreateConnectionMonitor');
    const connection = await this.#liveConnection(ctx, connectionId);
    const tunnel = connection.tunnels[0];
    const cgw = await this.#store.getCustomerGateway(ctx.tenantId, connection.cgwId);
    // Probes go between the tunnel interfaces when the connection has them, else between the gateways.
    const monitor: ConnectionMonitor = {
      id: this.#ids.next('connection-monitor', 'uuid'),
      tenantId: ctx.tenantId,
      projectId: ctx.projectId,
      connectionId: connection.id,
      sourceIp: address(tunnel.tunnelLocalAddress) ?? tunnel.outsideIp,
      destinationIp: address(tunnel.tunnelPeerAddress) ?? cgw?.idValue ?? '',
      createdAt: new Date(this.#clock.now()).toISOString(),
    };
    await this.#store.insertMonitor(monitor);
    return this.#view(monitor, connection);
  }

  async get(ctx: RequestContext, id: string): Promise<MonitorView> {
    authorize(ctx, 'read', 'ShowConnectionMonitor');
    const monitor = await this.#monitorOf(ctx, id);
    return this.#view(monitor, await this.#store.getConnection(ctx.tenantId, monitor.connectionId));
  }

  async list(ctx: RequestContext, connectionId?: string): Promise<MonitorView[]> {
    authorize(ctx, 'read', 'ListConnectionMonitors');
    const monitors = await this.#store.listMonitors(ctx.tenantId, ctx.projectId, connectionId);
    const views: MonitorView[] = [];
    for (const m of monitors) {
      const connection = await this.#store.getConnection(ctx.tenantId, m.connectionId);
      if (connection && isLive(connection)) views.push(await this.#view(m, connection));
    }
    return views;
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    authorize(ctx, 'write', 'DeleteConnectionMonitor');
    const monitor = await this.#monitorOf(ctx, id);
    await this.#store.deleteMonitor(ctx.tenantId, monitor.id);
  }

  async #monitorOf(ctx: RequestContext, id: string): Promise<ConnectionMonitor> {
    const monitor = await this.#store.getMonitor(ctx.tenantId, id);
    const connection = monitor && (await this.#store.getConnection(ctx.tenantId, monitor.connectionId));
    if (!monitor || monitor.projectId !== ctx.projectId || !connection || !isLive(connection))
      throw DomainError.notFound('ConnectionMonitor', id);
    return monitor;
  }

  async #liveConnection(ctx: RequestContext, id: string): Promise<VpnConnection> {
    const connection = await connectionOf(this.#store, ctx, id);
    if (!isLive(connection)) throw DomainError.notFound('VpnConnection', id);
    return connection;
  }

  /** The path is UP only when every tunnel's path is; the newest observation speaks for it. */
  async #view(monitor: ConnectionMonitor, connection: VpnConnection | undefined): Promise<MonitorView> {
    const ids = connection?.tunnels.map((t) => t.id) ?? [];
    const paths = await this.#store.getPaths(ids);
    if (ids.length === 0 || paths.size < ids.length) return { monitor };
    const all = [...paths.values()];
    const down = all.filter((p) => p.status === 'DOWN');
    const pick = (list: PathObservation[]) => list.reduce((a, b) => (b.at > a.at ? b : a));
    return { monitor, path: down.length > 0 ? pick(down) : pick(all) };
  }
}

/** A connection being deleted (or kept as deleted for EC2's Describe) has no monitors. */
function isLive(connection: VpnConnection): boolean {
  return connection.state !== 'deleting' && connection.state !== 'deleted';
}

/** 169.254.56.225/30 -> 169.254.56.225 */
function address(cidr: string | undefined): string | undefined {
  return cidr?.split('/')[0];
}
