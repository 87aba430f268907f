// VPN connection use cases: validate, write the desired state (PENDING_*), hand intents to the
// data plane. What the data plane then reports reaches the store through the reconciler. Each
// write operation is its own file in connections/; this class hands them their dependencies.
import type { DataplaneDriver } from '../dataplane/driver.ts';
import type { TunnelEvent, VpnConnection } from '../domain/entities.ts';
import type { Clock, IdGenerator } from '../domain/ports.ts';
import { QUOTA_DEFAULTS } from '../domain/quotas.ts';
import type { ConnectionFilter, Page, PageRequest, Store } from '../store/store.ts';
import { convergeConnections } from './connections/converge.ts';
import { createConnection } from './connections/create.ts';
import { type ConnectionDeps, isoNow } from './connections/deps.ts';
import type { CreateConnectionInput, UpdateConnectionInput } from './connections/inputs.ts';
import { renegotiateConnection } from './connections/renegotiate.ts';
import { updateConnection } from './connections/update.ts';
import { authorize, type RequestContext } from './context.ts';
import { DEFAULT_DELETION_POLICY, type DeletionPolicy, listVisibleRetired, visibleRetired } from './retention.ts';
import { connectionOf } from './scoped.ts';

export type { CreateConnectionInput, TunnelInput, UpdateConnectionInput } from './connections/inputs.ts';
/** What a connection listing can be narrowed by (dialects use it; the store defines it). */
export type { ConnectionFilter };

export class ConnectionService {
  readonly #deps: ConnectionDeps;

  constructor(
    store: Store,
    dataplane: DataplaneDriver,
    clock: Clock,
    ids: IdGenerator,
    quota = QUOTA_DEFAULTS.connections,
    deletion: DeletionPolicy = DEFAULT_DELETION_POLICY,
  ) {
    this.#deps = { store, dataplane, clock, ids, quota, deletion };
  }

  get quota(): number {
    return this.#deps.quota;
  }

  create(ctx: RequestContext, input: CreateConnectionInput): Promise<VpnConnection> {
    return createConnection(this.#deps, ctx, input);
  }

  /** A live connection; with includeDeleted also one deleted within the retention (EC2's Describe). */
  async get(ctx: RequestContext, id: string, opts: { includeDeleted?: boolean } = {}): Promise<VpnConnection> {
    authorize(ctx, 'read', 'DescribeVpnConnections');
    const { store, clock, deletion } = this.#deps;
    if (opts.includeDeleted) {
      const retired = visibleRetired(await store.getRetired('vpn-connection', ctx.tenantId, id), ctx.projectId, clock.now(), deletion);
      if (retired) return retired;
    }
    return connectionOf(store, ctx, id);
  }

  /** Connections deleted within the retention, state `deleting` or `deleted`, tunnels without keys. */
  async listDeleted(ctx: RequestContext): Promise<VpnConnection[]> {
    authorize(ctx, 'read', 'DescribeVpnConnections');
    const { store, clock, deletion } = this.#deps;
    return listVisibleRetired(store, 'vpn-connection', ctx.tenantId, ctx.projectId, clock.now(), deletion);
  }

  async list(ctx: RequestContext, filter: ConnectionFilter, page?: PageRequest): Promise<Page<VpnConnection>> {
    authorize(ctx, 'read', 'DescribeVpnConnections');
    return this.#deps.store.listConnections(ctx.tenantId, { ...filter, projectId: ctx.projectId }, page);
  }

  update(ctx: RequestContext, id: string, input: UpdateConnectionInput): Promise<VpnConnection> {
    return updateConnection(this.#deps, ctx, id, input);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    authorize(ctx, 'write', 'DeleteVpnConnection');
    const connection = await this.get(ctx, id);
    for (const t of connection.tunnels) this.#deps.dataplane.remove(t.id);
    // Kept for EC2's Describe (without its keys) until purged; gone for everything else.
    const now = isoNow(this.#deps.clock);
    await this.#deps.store.retire('vpn-connection', { ...connection, state: 'deleted', pendingOperation: null, updatedAt: now }, now);
  }

  /** Tears a tunnel's SAs down and negotiates again (Huawei reset, AWS ReplaceVpnTunnel). */
  renegotiate(ctx: RequestContext, id: string, tunnelIndex?: number): Promise<VpnConnection> {
    return renegotiateConnection(this.#deps, ctx, id, tunnelIndex);
  }

  async events(ctx: RequestContext, id: string, which: 'history' | 'log', limit = 100): Promise<TunnelEvent[]> {
    const connection = await this.get(ctx, id);
    const all = await Promise.all(connection.tunnels.map((t) => this.#deps.store.listTunnelEvents(t.id, limit, which)));
    return all
      .flat()
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(-limit);
  }

  /** Hands every stored tunnel to the data plane again (at start, after the data plane returns). */
  converge(opts: { signal?: AbortSignal; slice?: number } = {}): Promise<number> {
    return convergeConnections(this.#deps, opts);
  }
}
