// Tags on VPN gateways, customer gateways and VPN connections as one collection (EC2's CreateTags,
// DeleteTags, DescribeTags), with EC2's limits: 50 tags per resource, keys of 1 to 127 characters
// not starting with `aws:`, values of at most 255 characters. (The domain's checkTags keeps the
// Huawei limits for tags given at creation or update.) AWS-style ids name their kind by prefix;
// Huawei-style UUIDs are looked up in each kind in turn.
import type { CustomerGateway, Tag, VpnConnection, VpnGateway } from '../domain/entities.ts';
import { DomainError, type ResourceKind } from '../domain/errors.ts';
import type { Clock } from '../domain/ports.ts';
import { retryStale, type Store } from '../store/store.ts';
import { authorize, type RequestContext } from './context.ts';

export type TaggableType = 'customer-gateway' | 'vpn-gateway' | 'vpn-connection';

export interface ResourceTag {
  resourceId: string;
  resourceType: TaggableType;
  key: string;
  value: string;
}

/** A tag to delete: without a value any tag with the key goes, with one only the matching pair. */
export interface TagToDelete {
  key: string;
  value?: string;
}

export const EC2_TAG_LIMITS = Object.freeze({ perResource: 50, keyLength: 127, valueLength: 255 });

/** The message of the QuotaExceeded error (field `tags`) thrown when a resource would exceed 50 tags. */
export const TAG_LIMIT_MESSAGE = 'The maximum number of Tags for a resource has been reached.';

const PREFIXES: Record<string, TaggableType> = { vpn: 'vpn-connection', cgw: 'customer-gateway', vgw: 'vpn-gateway' };
const KIND: Record<TaggableType, ResourceKind> = {
  'vpn-connection': 'VpnConnection',
  'customer-gateway': 'CustomerGateway',
  'vpn-gateway': 'VpnGateway',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Resource =
  | { type: 'vpn-gateway'; item: VpnGateway }
  | { type: 'customer-gateway'; item: CustomerGateway }
  | { type: 'vpn-connection'; item: VpnConnection };

/**
 * Checks tags against EC2's rules (InvalidParameter errors worded as EC2 words them). Keys must
 * be unique within one request.
 */
export function checkEc2Tags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (key.length === 0) throw invalidTag('Tag key', key, 'Tag key cannot be null or empty.');
    if (key.toLowerCase().startsWith('aws:')) throw invalidTag('key', key, "Tag keys starting with 'aws:' are reserved for internal use");
    if ([...key].length > EC2_TAG_LIMITS.keyLength) {
      throw invalidTag('key', key, `Tag key exceeds the maximum length of ${EC2_TAG_LIMITS.keyLength} characters`);
    }
    if ([...value].length > EC2_TAG_LIMITS.valueLength) {
      throw invalidTag('value', value, `Tag value exceeds the maximum length of ${EC2_TAG_LIMITS.valueLength} characters`);
    }
    if (seen.has(key)) throw DomainError.invalid('tags', `Duplicate tag key '${key}' specified.`);
    seen.add(key);
  }
  if (tags.length > EC2_TAG_LIMITS.perResource) throw tagLimit();
}

function invalidTag(parameter: string, value: string, reason: string): DomainError {
  return DomainError.invalid('tags', `Value ( ${value} ) for parameter ${parameter} is invalid. ${reason}`);
}

/** A new resource's tags under EC2's rules: valid keys and values, at most 50. */
export function checkEc2TagSet(tags: readonly Tag[]): void {
  checkEc2Tags(tags);
  if (tags.length > EC2_TAG_LIMITS.perResource) throw tagLimit();
}

function tagLimit(id?: string): DomainError {
  return new DomainError('QuotaExceeded', TAG_LIMIT_MESSAGE, { field: 'tags', id });
}

export class TagService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** Adds the tags to every resource, overwriting the values of keys already there. All or nothing. */
  async create(ctx: RequestContext, resourceIds: readonly string[], tags: readonly Tag[]): Promise<void> {
    authorize(ctx, 'write', 'CreateTags');
    checkEc2Tags(tags);
    // A tag write overtaken by another write (the data plane settling a connection) starts over.
    return retryStale(() => this.#create(ctx, resourceIds, tags));
  }

  async #create(ctx: RequestContext, resourceIds: readonly string[], tags: readonly Tag[]): Promise<void> {
    const resources = await this.#resolveAll(ctx, resourceIds);
    const updates = resources.map((r) => {
      // Keys already on the resource only change value (in place), so they never count against the limit.
      const next = r.item.tags.map((t) => ({ key: t.key, value: tags.find((n) => n.key === t.key)?.value ?? t.value }));
      for (const n of tags) if (!r.item.tags.some((t) => t.key === n.key)) next.push({ key: n.key, value: n.value });
      if (next.length > EC2_TAG_LIMITS.perResource) throw tagLimit(r.item.id);
      return { resource: r, tags: next };
    });
    for (const u of updates) await this.#write(u.resource, u.tags);
  }

  /** Removes matching tags from every resource; with no tags given, removes all of them. */
  async delete(ctx: RequestContext, resourceIds: readonly string[], tags: readonly TagToDelete[] = []): Promise<void> {
    authorize(ctx, 'write', 'DeleteTags');
    return retryStale(() => this.#delete(ctx, resourceIds, tags));
  }

  async #delete(ctx: RequestContext, resourceIds: readonly string[], tags: readonly TagToDelete[]): Promise<void> {
    const resources = await this.#resolveAll(ctx, resourceIds);
    for (const r of resources) {
      const kept =
        tags.length === 0
          ? []
          : r.item.tags.filter((t) => !tags.some((d) => d.key === t.key && (d.value === undefined || d.value === t.value)));
      if (kept.length !== r.item.tags.length) await this.#write(r, kept);
    }
  }

  /** Every tag on the caller's gateways, customer gateways and connections, by resource id then key. */
  async list(ctx: RequestContext): Promise<ResourceTag[]> {
    authorize(ctx, 'read', 'DescribeTags');
    const [gateways, cgws, connections] = await Promise.all([
      this.#store.listGateways(ctx.tenantId, ctx.projectId),
      this.#store.listCustomerGateways(ctx.tenantId, ctx.projectId),
      this.#store.listConnections(ctx.tenantId, { projectId: ctx.projectId }),
    ]);
    const out: ResourceTag[] = [];
    const add = (resourceType: TaggableType, items: Array<{ id: string; tags: Tag[] }>) => {
      for (const item of items) for (const t of item.tags) out.push({ resourceId: item.id, resourceType, key: t.key, value: t.value });
    };
    add('vpn-gateway', gateways);
    add('customer-gateway', cgws);
    add('vpn-connection', connections.items);
    return out.sort((a, b) => (a.resourceId === b.resourceId ? compare(a.key, b.key) : compare(a.resourceId, b.resourceId)));
  }

  async #resolveAll(ctx: RequestContext, ids: readonly string[]): Promise<Resource[]> {
    if (ids.length === 0) throw DomainError.missing('resourceIds');
    const out: Resource[] = [];
    for (const id of new Set(ids)) out.push(await this.#resolve(ctx, id));
    return out;
  }

  async #resolve(ctx: RequestContext, id: string): Promise<Resource> {
    const prefixed = PREFIXES[id.slice(0, id.indexOf('-'))];
    const kinds: TaggableType[] = prefixed ? [prefixed] : UUID.test(id) ? ['vpn-gateway', 'customer-gateway', 'vpn-connection'] : [];
    for (const type of kinds) {
      const found = await this.#load(ctx, type, id);
      if (found) return found;
    }
    if (prefixed) throw DomainError.notFound(KIND[prefixed], id);
    // No resource kind: the dialect reports the id itself as not valid.
    throw new DomainError('NotFound', `The ID '${id}' is not valid`, { id });
  }

  async #load(ctx: RequestContext, type: TaggableType, id: string): Promise<Resource | undefined> {
    const mine = <T extends { projectId: string }>(x: T | undefined) => (x && x.projectId === ctx.projectId ? x : undefined);
    switch (type) {
      case 'vpn-gateway': {
        const item = mine(await this.#store.getGateway(ctx.tenantId, id));
        return item && { type, item };
      }
      case 'customer-gateway': {
        const item = mine(await this.#store.getCustomerGateway(ctx.tenantId, id));
        return item && { type, item };
      }
      case 'vpn-connection': {
        const item = mine(await this.#store.getConnection(ctx.tenantId, id));
        return item && { type, item };
      }
    }
  }

  async #write(r: Resource, tags: Tag[]): Promise<void> {
    const updatedAt = new Date(this.#clock.now()).toISOString();
    switch (r.type) {
      case 'vpn-gateway':
        return this.#store.updateGateway({ ...r.item, tags, updatedAt });
      case 'customer-gateway':
        return this.#store.updateCustomerGateway({ ...r.item, tags, updatedAt });
      case 'vpn-connection':
        return this.#store.updateConnection({ ...r.item, tags, updatedAt });
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
