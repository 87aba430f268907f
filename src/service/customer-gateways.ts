// Customer gateway use cases.
import { randomInt } from 'node:crypto';
import { isIpv4 } from '../domain/cidr.ts';
import type { CustomerGateway, DeviceProfile, Tag } from '../domain/entities.ts';
import { DomainError } from '../domain/errors.ts';
import type { Clock, IdGenerator } from '../domain/ports.ts';
import { QUOTA_DEFAULTS } from '../domain/quotas.ts';
import type { Store } from '../store/store.ts';
import { authorize, type RequestContext } from './context.ts';
import { definedOnly } from './gateways.ts';
import { DEFAULT_DELETION_POLICY, type DeletionPolicy, listVisibleRetired, visibleRetired } from './retention.ts';
import { customerGatewayOf } from './scoped.ts';
import { checkIdentity, checkName, checkPeerAddress, checkTags, checkText } from './validation.ts';

export interface CreateCustomerGatewayInput {
  name?: string;
  idType?: 'ip' | 'fqdn';
  idValue: string;
  bgpAsn?: number;
  caCertificate?: string;
  deviceName?: string;
  tags?: Tag[];
}

export type UpdateCustomerGatewayInput = Partial<Pick<CustomerGateway, 'name' | 'tags' | 'caCertificate'>>;

export class CustomerGatewayService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #ids: IdGenerator;
  readonly #quota: number;
  readonly #deletion: DeletionPolicy;

  constructor(store: Store, clock: Clock, ids: IdGenerator, quota = QUOTA_DEFAULTS.customerGateways, deletion = DEFAULT_DELETION_POLICY) {
    this.#deletion = deletion;
    this.#store = store;
    this.#clock = clock;
    this.#ids = ids;
    this.#quota = quota;
  }

  async create(ctx: RequestContext, input: CreateCustomerGatewayInput): Promise<CustomerGateway> {
    authorize(ctx, 'write', 'CreateCustomerGateway');
    const idType = input.idType ?? 'ip';
    if (idType === 'ip' && !isIpv4(input.idValue)) throw DomainError.invalid('idValue', `invalid IPv4 address ${input.idValue}`);
    if (idType === 'ip') checkPeerAddress('idValue', input.idValue);
    checkIdentity('idValue', idType, input.idValue);
    if (input.deviceName !== undefined) checkText('deviceName', input.deviceName);
    if (input.name !== undefined) checkName('name', input.name);
    checkTags(input.tags ?? []);
    const bgpAsn = input.bgpAsn ?? 65000;
    if (!Number.isInteger(bgpAsn) || bgpAsn < 1 || bgpAsn > 4294967295) throw DomainError.invalid('bgpAsn', `invalid BGP ASN ${bgpAsn}`);
    const quota = {
      limit: this.#quota,
      exceeded: () =>
        new DomainError('QuotaExceeded', `the quota of ${this.#quota} customer gateways is used up`, { resource: 'CustomerGateway' }),
    };
    if ((await this.#store.countCustomerGateways(ctx.tenantId, ctx.projectId)) >= this.#quota) throw quota.exceeded();
    const now = new Date(this.#clock.now()).toISOString();
    const cgw: CustomerGateway = {
      id: this.#ids.next('customer-gateway', ctx.idStyle),
      tenantId: ctx.tenantId,
      projectId: ctx.projectId,
      name: input.name ?? `cgw-${randomInt(10000).toString().padStart(4, '0')}`,
      idType,
      idValue: input.idValue,
      bgpAsn,
      caCertificate: input.caCertificate,
      deviceName: input.deviceName,
      state: 'available',
      tags: input.tags ?? [],
      createdAt: now,
      updatedAt: now,
    };
    await this.#store.insertCustomerGateway(cgw, quota);
    return cgw;
  }

  /** A live customer gateway; with includeDeleted also one deleted within the retention (EC2's Describe). */
  async get(ctx: RequestContext, id: string, opts: { includeDeleted?: boolean } = {}): Promise<CustomerGateway> {
    authorize(ctx, 'read', 'DescribeCustomerGateways');
    if (opts.includeDeleted) {
      const retired = visibleRetired(
        await this.#store.getRetired('customer-gateway', ctx.tenantId, id),
        ctx.projectId,
        this.#clock.now(),
        this.#deletion,
      );
      if (retired) return retired;
    }
    return customerGatewayOf(this.#store, ctx, id);
  }

  /** Live customer gateways; with includeDeleted also those deleted within the retention, after them. */
  async list(ctx: RequestContext, opts: { includeDeleted?: boolean } = {}): Promise<CustomerGateway[]> {
    authorize(ctx, 'read', 'DescribeCustomerGateways');
    const live = await this.#store.listCustomerGateways(ctx.tenantId, ctx.projectId);
    if (!opts.includeDeleted) return live;
    return [
      ...live,
      ...(await listVisibleRetired(this.#store, 'customer-gateway', ctx.tenantId, ctx.projectId, this.#clock.now(), this.#deletion)),
    ];
  }

  async update(ctx: RequestContext, id: string, input: UpdateCustomerGatewayInput): Promise<CustomerGateway> {
    authorize(ctx, 'write', 'UpdateCustomerGateway');
    const cgw = await this.get(ctx, id);
    if (input.name !== undefined) checkName('name', input.name);
    if (input.tags) checkTags(input.tags);
    const updated: CustomerGateway = { ...cgw, ...definedOnly(input), updatedAt: new Date(this.#clock.now()).toISOString() };
    await this.#store.updateCustomerGateway(updated);
    return updated;
  }

  async setDeviceProfile(ctx: RequestContext, id: string, profile: DeviceProfile | undefined): Promise<CustomerGateway> {
    authorize(ctx, 'write', 'SetDeviceProfile');
    const cgw = await this.get(ctx, id);
    const updated: CustomerGateway = { ...cgw, deviceProfile: profile, updatedAt: new Date(this.#clock.now()).toISOString() };
    await this.#store.updateCustomerGateway(updated);
    return updated;
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    authorize(ctx, 'write', 'DeleteCustomerGateway');
    const cgw = await this.get(ctx, id);
    // Only live connections count: a deleted one never blocks (EC2).
    const used = await this.#store.listConnections(ctx.tenantId, { cgwId: id }, { limit: 1 });
    if (used.total > 0) throw new DomainError('InUse', `customer gateway ${id} has connection`, { resource: 'CustomerGateway', id });
    const now = new Date(this.#clock.now()).toISOString();
    // Kept for EC2's Describe (without its device profile, which may hold a key) until purged.
    await this.#store.retire('customer-gateway', { ...cgw, state: 'deleted', deviceProfile: undefined, updatedAt: now }, now);
  }
}
