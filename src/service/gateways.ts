// VPN gateway use cases. A gateway owns its outside IPs, allocated from the configured pool.
import { randomUUID } from 'node:crypto';
import { hostsOf, isCidr, parseCidr } from '../domain/cidr.ts';
import type { EipSpec, OutsideIp, Tag, VpnGateway } from '../domain/entities.ts';
import { DomainError } from '../domain/errors.ts';
import type { Clock, IdGenerator } from '../domain/ports.ts';
import { QUOTA_DEFAULTS } from '../domain/quotas.ts';
import type { Store } from '../store/store.ts';
import { authorize, type RequestContext } from './context.ts';
import { DEFAULT_DELETION_POLICY, type DeletionPolicy, listVisibleRetired, visibleRetired } from './retention.ts';
import { gatewayOf } from './scoped.ts';
import { checkTags } from './validation.ts';

export interface CreateGatewayInput {
  name?: string;
  attachmentType?: VpnGateway['attachmentType'];
  vpcId?: string;
  erId?: string;
  localSubnets?: string[];
  connectSubnet?: string;
  bgpAsn?: number;
  flavor?: VpnGateway['flavor'];
  networkType?: VpnGateway['networkType'];
  haMode?: VpnGateway['haMode'];
  availabilityZoneIds?: string[];
  enterpriseProjectId?: string;
  tags?: Tag[];
  /** The parameters of each outside IP's EIP, by position, when the client gave them. */
  eips?: (EipSpec | undefined)[];
}

export type UpdateGatewayInput = Partial<Pick<VpnGateway, 'name' | 'localSubnets' | 'tags'>>;

export class GatewayService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #ids: IdGenerator;
  readonly #pool: string;
  readonly #quota: number;
  readonly #deletion: DeletionPolicy;

  constructor(
    store: Store,
    clock: Clock,
    ids: IdGenerator,
    outsideIpPool: string,
    quota = QUOTA_DEFAULTS.gateways,
    deletion = DEFAULT_DELETION_POLICY,
  ) {
    this.#deletion = deletion;
    if (!parseCidr(outsideIpPool, false)) throw new Error(`invalid outside IP pool: ${outsideIpPool}`);
    this.#store = store;
    this.#clock = clock;
    this.#ids = ids;
    this.#pool = outsideIpPool;
    this.#quota = quota;
  }

  async create(ctx: RequestContext, input: CreateGatewayInput): Promise<VpnGateway> {
    authorize(ctx, 'write', 'CreateVpnGateway');
    for (const s of input.localSubnets ?? []) if (!isCidr(s)) throw DomainError.invalid('localSubnets', `invalid CIDR ${s}`);
    checkTags(input.tags ?? []);
    const quota = {
      limit: this.#quota,
      exceeded: () => new DomainError('QuotaExceeded', `the quota of ${this.#quota} VPN gateways is used up`, { resource: 'VpnGateway' }),
    };
    if ((await this.#store.listGateways(ctx.tenantId, ctx.projectId)).length >= this.#quota) throw quota.exceeded();
    const now = this.#iso();
    const gateway: VpnGateway = {
      id: this.#ids.next('vpn-gateway', ctx.idStyle),
      tenantId: ctx.tenantId,
      projectId: ctx.projectId,
      name: input.name ?? `vpngw-${randomUUID().slice(0, 4)}`,
      attachmentType: input.attachmentType ?? 'vpc',
      vpcId: input.vpcId,
      erId: input.erId,
      localSubnets: input.localSubnets ?? [],
      connectSubnet: input.connectSubnet,
      bgpAsn: input.bgpAsn ?? 64512,
      flavor: input.flavor ?? 'Professional1',
      networkType: input.networkType ?? 'public',
      haMode: input.haMode ?? 'active-active',
      availabilityZoneIds: input.availabilityZoneIds ?? [],
      outsideIps: [],
      enterpriseProjectId: input.enterpriseProjectId ?? '0',
      attachments: [],
      state: 'available',
      tags: input.tags ?? [],
      createdAt: now,
      updatedAt: now,
    };
    // Two creates racing for the same free IPs: the loser retries with a fresh allocation.
    for (let attempt = 0; ; attempt++) {
      gateway.outsideIps = (await this.#allocateIps(2)).map((ip, i) => (input.eips?.[i] ? { ...ip, eip: input.eips[i] } : ip));
      try {
        await this.#store.insertGateway(gateway, quota);
        return gateway;
      } catch (err) {
        if (!(err instanceof DomainError && err.code === 'Duplicate') || attempt >= 5) throw err;
      }
    }
  }

  /** A live gateway; with includeDeleted also one deleted within the retention (EC2's Describe). */
  async get(ctx: RequestContext, id: string, opts: { includeDeleted?: boolean } = {}): Promise<VpnGateway> {
    authorize(ctx, 'read', 'DescribeVpnGateways');
    if (opts.includeDeleted) {
      const retired = visibleRetired(
        await this.#store.getRetired('vpn-gateway', ctx.tenantId, id),
        ctx.projectId,
        this.#clock.now(),
        this.#deletion,
      );
      if (retired) return retired;
    }
    return gatewayOf(this.#store, ctx, id);
  }

  /** Live gateways; with includeDeleted also those deleted within the retention, after them. */
  async list(ctx: RequestContext, opts: { includeDeleted?: boolean } = {}): Promise<VpnGateway[]> {
    authorize(ctx, 'read', 'DescribeVpnGateways');
    const live = await this.#store.listGateways(ctx.tenantId, ctx.projectId);
    if (!opts.includeDeleted) return live;
    return [
      ...live,
      ...(await listVisibleRetired(this.#store, 'vpn-gateway', ctx.tenantId, ctx.projectId, this.#clock.now(), this.#deletion)),
    ];
  }

  async update(ctx: RequestContext, id: string, input: UpdateGatewayInput): Promise<VpnGateway> {
    authorize(ctx, 'write', 'UpdateVpnGateway');
    const gateway = await this.get(ctx, id);
    for (const s of input.localSubnets ?? []) if (!isCidr(s)) throw DomainError.invalid('localSubnets', `invalid CIDR ${s}`);
    if (input.tags) checkTags(input.tags);
    const updated: VpnGateway = { ...gateway, ...definedOnly(input), updatedAt: this.#iso() };
    await this.#store.updateGateway(updated);
    return updated;
  }

  async attach(ctx: RequestContext, id: string, vpcId: string): Promise<VpnGateway> {
    authorize(ctx, 'write', 'AttachVpnGateway');
    const gateway = await this.get(ctx, id);
    if (gateway.attachments.some((a) => a.state === 'attached' && a.vpcId !== vpcId)) {
      throw new DomainError('IncorrectState', `vpn gateway ${id} is already attached to a VPC`, { resource: 'VpnGateway', id });
    }
    const updated: VpnGateway = { ...gateway, vpcId, attachments: [{ vpcId, state: 'attached' }], updatedAt: this.#iso() };
    await this.#store.updateGateway(updated);
    return updated;
  }

  async detach(ctx: RequestContext, id: string, vpcId: string): Promise<VpnGateway> {
    authorize(ctx, 'write', 'DetachVpnGateway');
    const gateway = await this.get(ctx, id);
    if (!gateway.attachments.some((a) => a.vpcId === vpcId && a.state === 'attached')) {
      throw new DomainError('NotFound', `The attachment with vpn gateway ID '${id}' and vpc ID '${vpcId}' does not exist`, {
        resource: 'VpnGateway',
        id,
      });
    }
    const updated: VpnGateway = { ...gateway, vpcId: undefined, attachments: [{ vpcId, state: 'detached' }], updatedAt: this.#iso() };
    await this.#store.updateGateway(updated);
    return updated;
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    authorize(ctx, 'write', 'DeleteVpnGateway');
    const gateway = await this.get(ctx, id);
    const used = await this.#store.listConnections(ctx.tenantId, { vgwId: id }, { limit: 1 });
    if (used.total > 0) {
      throw new DomainError('InUse', `vpn gateway ${id} has connection`, { resource: 'VpnGateway', id });
    }
    // Kept for EC2's Describe until purged; its outside IPs go back to the pool at once.
    const now = this.#iso();
    await this.#store.retire('vpn-gateway', { ...gateway, state: 'deleted', attachments: [], vpcId: undefined, updatedAt: now }, now);
  }

  async #allocateIps(count: number): Promise<OutsideIp[]> {
    const taken = await this.#store.allocatedOutsideIps();
    const ips: OutsideIp[] = [];
    for (const ip of hostsOf(parseCidr(this.#pool, false)!)) {
      if (taken.has(ip)) continue;
      ips.push({ id: this.#ids.next('eip', 'uuid'), ip });
      if (ips.length === count) return ips;
    }
    throw new DomainError('QuotaExceeded', `the outside IP pool ${this.#pool} is exhausted`, { field: 'outsideIp' });
  }

  #iso(): string {
    return new Date(this.#clock.now()).toISOString();
  }
}

export function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
