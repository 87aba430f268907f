// VPN connection use cases: validate, write the desired state (PENDING_*), hand intents to the
// data plane. What the data plane then reports reaches the store through the reconciler.

import type { DataplaneDriver } from '../dataplane/driver.ts';
import type {
  ConnectionStyle,
  CustomerGateway,
  IkePolicy,
  IpsecPolicy,
  PolicyRule,
  StaticRoute,
  Tag,
  Tunnel,
  TunnelConfig,
  TunnelEvent,
  VpnConnection,
  VpnGateway,
} from '../domain/entities.ts';
import { DomainError } from '../domain/errors.ts';
import type { Clock, IdGenerator } from '../domain/ports.ts';
import { QUOTA_DEFAULTS } from '../domain/quotas.ts';
import { isInFlight } from '../domain/status.ts';
import type { ConnectionFilter, Page, PageRequest, Store } from '../store/store.ts';
import { authorize, type RequestContext } from './context.ts';
import { tunnelIntent } from './intents.ts';
import { DEFAULT_DELETION_POLICY, type DeletionPolicy, listVisibleRetired, visibleRetired } from './retention.ts';
import { connectionOf, customerGatewayOf, gatewayOf } from './scoped.ts';
import { checkEc2TagSet } from './tags.ts';
import { defaultConnectionName, generatePsk } from './tunnel-defaults.ts';
import {
  checkCidrs,
  checkIkePolicy,
  checkIpsecPolicy,
  checkName,
  checkPolicyRules,
  checkPskCharacters,
  checkTags,
  checkTunnelAddress,
} from './validation.ts';

export interface TunnelInput {
  /** One of the gateway's outside IPs, by address or EIP id; default: the one at the tunnel's index. */
  outsideIpRef?: string;
  tunnelLocalAddress?: string;
  tunnelPeerAddress?: string;
  psk?: string;
  ike: IkePolicy;
  ipsec: IpsecPolicy;
  startupAction: 'add' | 'start';
}

export interface CreateConnectionInput {
  name?: string;
  vgwId: string;
  cgwId: string;
  style: ConnectionStyle;
  peerSubnets?: string[];
  localNetworkCidr?: string;
  remoteNetworkCidr?: string;
  enableNqa?: boolean;
  policyRules?: PolicyRule[];
  haRole?: 'master' | 'slave';
  enterpriseProjectId?: string;
  staticRoutes?: StaticRoute[];
  tags?: Tag[];
  /** Whose tag rules apply: EC2 allows 50 tags and its own key rules; default the domain's. */
  tagRules?: 'ec2';
  tunnels: TunnelInput[];
}

/** Fields left undefined are kept. A tunnel change names the tunnel by index. */
export interface UpdateConnectionInput {
  name?: string;
  cgwId?: string;
  peerSubnets?: string[];
  enableNqa?: boolean;
  policyRules?: PolicyRule[];
  staticRoutes?: StaticRoute[];
  tags?: Tag[];
  localNetworkCidr?: string;
  remoteNetworkCidr?: string;
  tunnels?: { index: number; changes: Partial<TunnelConfig> }[];
}

/** What a connection listing can be narrowed by (dialects use it; the store defines it). */
export type { ConnectionFilter };

export class ConnectionService {
  readonly #store: Store;
  readonly #dataplane: DataplaneDriver;
  readonly #clock: Clock;
  readonly #ids: IdGenerator;
  readonly #quota: number;
  readonly #deletion: DeletionPolicy;

  constructor(
    store: Store,
    dataplane: DataplaneDriver,
    clock: Clock,
    ids: IdGenerator,
    quota = QUOTA_DEFAULTS.connections,
    deletion: DeletionPolicy = DEFAULT_DELETION_POLICY,
  ) {
    this.#deletion = deletion;
    this.#store = store;
    this.#dataplane = dataplane;
    this.#clock = clock;
    this.#ids = ids;
    this.#quota = quota;
  }

  get quota(): number {
    return this.#quota;
  }

  async create(ctx: RequestContext, input: CreateConnectionInput): Promise<VpnConnection> {
    authorize(ctx, 'write', 'CreateVpnConnection');
    const gateway = await gatewayOf(this.#store, ctx, input.vgwId);
    const cgw = await customerGatewayOf(this.#store, ctx, input.cgwId);
    if (input.name !== undefined) checkName('name', input.name);
    checkCidrs('peerSubnets', input.peerSubnets ?? []);
    for (const f of ['localNetworkCidr', 'remoteNetworkCidr'] as const) if (input[f]) checkCidrs(f, [input[f]!]);
    checkPolicyRules(input.policyRules ?? []);
    if (input.tagRules === 'ec2') checkEc2TagSet(input.tags ?? []);
    else checkTags(input.tags ?? []);
    if (input.enterpriseProjectId !== undefined && input.enterpriseProjectId !== gateway.enterpriseProjectId) {
      throw DomainError.invalid('enterpriseProjectId', 'enterprise_project_id must be the same as that of the VPN gateway');
    }
    const quota = {
      limit: this.#quota,
      exceeded: () =>
        new DomainError('QuotaExceeded', `the quota of ${this.#quota} VPN connections is used up`, { resource: 'VpnConnection' }),
    };
    if ((await this.#store.countConnections(ctx.tenantId, ctx.projectId)) >= this.#quota) throw quota.exceeded();
    const now = this.#iso();
    const id = this.#ids.next('vpn-connection', ctx.idStyle);
    const tunnels = input.tunnels.map((t, index) => withResolvedIds(this.#newTunnel(id, index, t, gateway, now), cgw));
    await this.#refuseDuplicatePeer(ctx, tunnels, cgw.id, id);
    const connection: VpnConnection = {
      id,
      tenantId: ctx.tenantId,
      projectId: ctx.projectId,
      name: input.name ?? defaultConnectionName(),
      vgwId: gateway.id,
      vgwTraits: { attachmentType: gateway.attachmentType, flavor: gateway.flavor, networkType: gateway.networkType },
      cgwId: cgw.id,
      style: input.style,
      peerSubnets: input.peerSubnets ?? [],
      localNetworkCidr: input.localNetworkCidr,
      remoteNetworkCidr: input.remoteNetworkCidr,
      enableNqa: input.enableNqa ?? false,
      policyRules: input.policyRules ?? [],
      haRole: input.haRole ?? 'master',
      enterpriseProjectId: gateway.enterpriseProjectId,
      staticRoutes: input.staticRoutes ?? [],
      tags: input.tags ?? [],
      state: 'pending',
      pendingOperation: 'create',
      createdAt: now,
      updatedAt: now,
      tunnels,
    };
    this.#refuseUnsupported(connection, gateway, cgw);
    // Counted again with the insert, atomically: creates racing for the last slot get one each.
    await this.#store.insertConnection(connection, quota);
    for (const t of tunnels) this.#dataplane.apply(tunnelIntent(connection, t, gateway, cgw));
    return connection;
  }

  /** A live connection; with includeDeleted also one deleted within the retention (EC2's Describe). */
  async get(ctx: RequestContext, id: string, opts: { includeDeleted?: boolean } = {}): Promise<VpnConnection> {
    authorize(ctx, 'read', 'DescribeVpnConnections');
    if (opts.includeDeleted) {
      const retired = visibleRetired(
        await this.#store.getRetired('vpn-connection', ctx.tenantId, id),
        ctx.projectId,
        this.#clock.now(),
        this.#deletion,
      );
      if (retired) return retired;
    }
    return connectionOf(this.#store, ctx, id);
  }

  /** Connections deleted within the retention, state `deleting` or `deleted`, tunnels without keys. */
  async listDeleted(ctx: RequestContext): Promise<VpnConnection[]> {
    authorize(ctx, 'read', 'DescribeVpnConnections');
    return listVisibleRetired(this.#store, 'vpn-connection', ctx.tenantId, ctx.projectId, this.#clock.now(), this.#deletion);
  }

  async list(ctx: RequestContext, filter: ConnectionFilter, page?: PageRequest): Promise<Page<VpnConnection>> {
    authorize(ctx, 'read', 'DescribeVpnConnections');
    return this.#store.listConnections(ctx.tenantId, { ...filter, projectId: ctx.projectId }, page);
  }

  async update(ctx: RequestContext, id: string, input: UpdateConnectionInput): Promise<VpnConnection> {
    authorize(ctx, 'write', 'ModifyVpnConnection');
    const current = await this.get(ctx, id);
    if (input.name !== undefined) checkName('name', input.name);
    if (input.peerSubnets) checkCidrs('peerSubnets', input.peerSubnets);
    if (input.policyRules) checkPolicyRules(input.policyRules);
    if (input.tags) checkTags(input.tags);
    const gateway = await gatewayOf(this.#store, ctx, current.vgwId);
    const cgw = await customerGatewayOf(this.#store, ctx, input.cgwId ?? current.cgwId);
    const next: VpnConnection = {
      ...current,
      name: input.name ?? current.name,
      cgwId: cgw.id,
      peerSubnets: input.peerSubnets ?? current.peerSubnets,
      enableNqa: input.enableNqa ?? current.enableNqa,
      policyRules: input.policyRules ?? current.policyRules,
      staticRoutes: input.staticRoutes ?? current.staticRoutes,
      tags: input.tags ?? current.tags,
      localNetworkCidr: input.localNetworkCidr ?? current.localNetworkCidr,
      remoteNetworkCidr: input.remoteNetworkCidr ?? current.remoteNetworkCidr,
      updatedAt: this.#iso(),
    };
    const selectorsChanged =
      next.cgwId !== current.cgwId ||
      JSON.stringify([next.peerSubnets, next.policyRules, next.localNetworkCidr, next.remoteNetworkCidr]) !==
        JSON.stringify([current.peerSubnets, current.policyRules, current.localNetworkCidr, current.remoteNetworkCidr]);
    next.tunnels = current.tunnels.map((t) => {
      const change = input.tunnels?.find((c) => c.index === t.index)?.changes;
      const merged: Tunnel = withResolvedIds(change ? { ...t, ...change } : t, cgw);
      if (change) this.#checkTunnel(merged);
      return selectorsChanged || (change && configDiffers(t, merged)) ? this.#renegotiating(merged) : merged;
    });
    // Bad input is refused as such whatever the state; only a valid change waits for a pending one.
    if (isInFlight(current)) {
      throw new DomainError('IncorrectState', `vpn connection ${id} is in a pending state and cannot be modified`, {
        resource: 'VpnConnection',
        id,
      });
    }
    if (next.cgwId !== current.cgwId) await this.#refuseDuplicatePeer(ctx, next.tunnels, next.cgwId, id);
    const renegotiate = next.tunnels.filter((t, i) => t.generation !== current.tunnels[i].generation);
    if (renegotiate.length > 0) {
      next.pendingOperation = 'update';
      this.#refuseUnsupported(next, gateway, cgw);
    }
    await this.#store.updateConnection(next);
    for (const t of renegotiate) this.#dataplane.apply(tunnelIntent(next, t, gateway, cgw));
    return next;
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    authorize(ctx, 'write', 'DeleteVpnConnection');
    const connection = await this.get(ctx, id);
    for (const t of connection.tunnels) this.#dataplane.remove(t.id);
    // Kept for EC2's Describe (without its keys) until purged; gone for everything else.
    const now = this.#iso();
    await this.#store.retire('vpn-connection', { ...connection, state: 'deleted', pendingOperation: null, updatedAt: now }, now);
  }

  /** Tears a tunnel's SAs down and negotiates again (Huawei reset, AWS ReplaceVpnTunnel). */
  async renegotiate(ctx: RequestContext, id: string, tunnelIndex?: number): Promise<VpnConnection> {
    authorize(ctx, 'write', 'ResetVpnConnection');
    const connection = await this.get(ctx, id);
    if (isInFlight(connection)) {
      throw new DomainError('IncorrectState', `vpn connection ${id} is in a pending state`, { resource: 'VpnConnection', id });
    }
    const gateway = await gatewayOf(this.#store, ctx, connection.vgwId);
    const cgw = await customerGatewayOf(this.#store, ctx, connection.cgwId);
    const now = this.#iso();
    const next: VpnConnection = {
      ...connection,
      pendingOperation: 'update',
      tunnels: connection.tunnels.map((t) =>
        tunnelIndex === undefined || t.index === tunnelIndex ? { ...this.#renegotiating(t), lastReplacedAt: now } : t,
      ),
    };
    await this.#store.updateConnection(next);
    for (const t of next.tunnels) {
      if (tunnelIndex === undefined || t.index === tunnelIndex) this.#dataplane.apply(tunnelIntent(next, t, gateway, cgw));
    }
    return next;
  }

  async events(ctx: RequestContext, id: string, which: 'history' | 'log', limit = 100): Promise<TunnelEvent[]> {
    const connection = await this.get(ctx, id);
    const all = await Promise.all(connection.tunnels.map((t) => this.#store.listTunnelEvents(t.id, limit, which)));
    return all
      .flat()
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(-limit);
  }

  /**
   * Hands every stored tunnel to the data plane again (at start, after the data plane returns),
   * yielding to the event loop between slices so requests are served meanwhile. A connection
   * written meanwhile is read afresh, and the driver ignores an older generation than it holds.
   */
  async converge(opts: { signal?: AbortSignal; slice?: number } = {}): Promise<number> {
    let applied = 0;
    for (const tenant of await this.#store.listTenants()) {
      let marker: string | undefined;
      do {
        await new Promise((resolve) => setImmediate(resolve));
        const gateways = new Map<string, VpnGateway | undefined>();
        if (opts.signal?.aborted) return applied;
        let page: Page<VpnConnection>;
        try {
          page = await this.#store.listConnections(tenant.id, {}, { limit: opts.slice ?? 200, marker });
        } catch (err) {
          // The marker's connection was deleted meanwhile: start over (a second apply only refreshes).
          if (err instanceof DomainError && marker !== undefined) {
            marker = undefined;
            continue;
          }
          throw err;
        }
        for (const connection of page.items) {
          if (!gateways.has(connection.vgwId)) gateways.set(connection.vgwId, await this.#store.getGateway(tenant.id, connection.vgwId));
          const gateway = gateways.get(connection.vgwId);
          const cgw = await this.#store.getCustomerGateway(tenant.id, connection.cgwId);
          if (!gateway || !cgw) continue;
          for (const t of connection.tunnels) this.#dataplane.apply(tunnelIntent(connection, t, gateway, cgw));
          applied += connection.tunnels.length;
        }
        marker = page.nextMarker;
      } while (marker !== undefined);
    }
    return applied;
  }

  #newTunnel(connectionId: string, index: number, input: TunnelInput, gateway: VpnGateway, now: string): Tunnel {
    const outside = input.outsideIpRef
      ? gateway.outsideIps.find((ip) => ip.ip === input.outsideIpRef || ip.id === input.outsideIpRef)
      : gateway.outsideIps[index];
    if (!outside) {
      throw DomainError.invalid('vgwIp', `${input.outsideIpRef ?? 'the tunnel outside IP'} is not an IP of VPN gateway ${gateway.id}`);
    }
    const tunnel: Tunnel = {
      id: this.#ids.next('tunnel', 'uuid'),
      connectionId,
      index,
      outsideIpId: outside.id,
      outsideIp: outside.ip,
      tunnelLocalAddress: input.tunnelLocalAddress,
      tunnelPeerAddress: input.tunnelPeerAddress,
      psk: input.psk ?? generatePsk(),
      ike: input.ike,
      ipsec: input.ipsec,
      startupAction: input.startupAction,
      generation: 1,
      observed: { provisioning: 'pending', ikeStatus: 'DOWN', statusMessage: '', lastStatusChange: now, generation: 1 },
    };
    this.#checkTunnel(tunnel);
    return tunnel;
  }

  #checkTunnel(t: Tunnel): void {
    checkIkePolicy(t.ike);
    checkIpsecPolicy(t.ipsec);
    if (t.tunnelLocalAddress) checkTunnelAddress('tunnelLocalAddress', t.tunnelLocalAddress);
    if (t.tunnelPeerAddress) checkTunnelAddress('tunnelPeerAddress', t.tunnelPeerAddress);
    if (t.psk.length < 8 || t.psk.length > 128) throw DomainError.invalid('psk', 'the pre-shared key must be 8 to 128 characters');
    checkPskCharacters('psk', t.psk);
  }

  #renegotiating(t: Tunnel): Tunnel {
    const generation = t.generation + 1;
    return {
      ...t,
      generation,
      observed: { ...t.observed, provisioning: 'pending', provisioningReason: undefined, generation, lastStatusChange: this.#iso() },
    };
  }

  /** One IKE peer pair per (gateway outside IP, customer gateway): IKE could not tell two apart. */
  async #refuseDuplicatePeer(ctx: RequestContext, tunnels: Tunnel[], cgwId: string, selfId: string): Promise<void> {
    for (const t of tunnels) {
      // Unpaged: at most one row matches, and a paged listing would also count every match.
      const other = await this.#store.listConnections(ctx.tenantId, { cgwId, outsideIp: t.outsideIp });
      const clash = other.items.find((c) => c.id !== selfId);
      if (clash) {
        throw new DomainError(
          'Duplicate',
          `the VPN gateway IP ${t.outsideIp} and customer gateway ${cgwId} are already used by vpn connection ${clash.id}`,
          {
            resource: 'VpnConnection',
            id: clash.id,
          },
        );
      }
    }
  }

  #refuseUnsupported(connection: VpnConnection, gateway: VpnGateway, cgw: CustomerGateway): void {
    for (const t of connection.tunnels) {
      const err = this.#dataplane.validate(tunnelIntent(connection, t, gateway, cgw));
      if (err) throw err;
    }
  }

  #iso(): string {
    return new Date(this.#clock.now()).toISOString();
  }
}

/** With id type ip, the identities are the addresses: the gateway IP and the customer gateway's. */
function withResolvedIds(t: Tunnel, cgw: CustomerGateway): Tunnel {
  const localId = t.ike.localIdType === 'ip' ? t.outsideIp : t.ike.localId;
  const peerId = t.ike.peerIdType === 'ip' ? cgw.idValue : t.ike.peerId;
  return localId === t.ike.localId && peerId === t.ike.peerId ? t : { ...t, ike: { ...t.ike, localId, peerId } };
}

function configDiffers(a: Tunnel, b: Tunnel): boolean {
  const pick = (t: Tunnel) => [t.outsideIp, t.tunnelLocalAddress, t.tunnelPeerAddress, t.psk, t.ike, t.ipsec, t.startupAction];
  return JSON.stringify(pick(a)) !== JSON.stringify(pick(b));
}
