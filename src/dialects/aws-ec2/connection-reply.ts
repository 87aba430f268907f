// A VPN connection as an EC2 action answers it: the response members, the customerGatewayConfiguration
// document (with the gateway's real ASN) and the pre-shared keys for callers that may see them.
import type { CustomerGateway, VpnConnection, VpnGateway } from '../../domain/entities.ts';
import type { RequestContext } from '../../service/context.ts';
import type { Services } from '../../service/services.ts';
import { connectionRevision, type Ec2Caches } from './caches.ts';
import { customerGatewayConfiguration } from './customer-gateway-configuration.ts';
import { renderConnection } from './render.ts';

/** EC2 returns pre-shared keys; sitevpn only to keys that may change resources (README). */
export function mayReadKeys(ctx: RequestContext): boolean {
  return ctx.policy === 'full' || ctx.policy === 'admin';
}

type Rendering = ReturnType<typeof renderConnection>;

/** Renders connections for one request, looking each gateway and customer gateway up once. */
export class ConnectionReplies {
  readonly #ctx: RequestContext;
  readonly #services: Services;
  readonly #withKeys: boolean;
  readonly #caches: Ec2Caches | undefined;
  readonly #gateways = new Map<string, Promise<VpnGateway>>();
  readonly #cgws = new Map<string, Promise<CustomerGateway>>();

  /**
   * `caches`: the dialect's (see caches.ts); without them every rendering is built afresh.
   * `known`: customer gateways the caller already read for this request (not read again).
   */
  constructor(ctx: RequestContext, services: Services, caches?: Ec2Caches, known?: ReadonlyMap<string, CustomerGateway | undefined>) {
    this.#ctx = ctx;
    this.#caches = caches;
    this.#services = services;
    this.#withKeys = mayReadKeys(ctx);
    for (const [id, cgw] of known ?? []) if (cgw) this.#cgws.set(id, Promise.resolve(cgw));
  }

  async render(c: VpnConnection): Promise<Rendering> {
    // EC2 shows the configuration only while a connection is pending or available.
    if (c.state === 'deleting' || c.state === 'deleted') return renderConnection(c, undefined, this.#withKeys);
    const [gateway, cgw] = await Promise.all([this.#gateway(c.vgwId), this.#cgw(c.cgwId)]);
    // Keyed by revision, not object identity, so a store that hands out fresh objects still hits.
    const key = `${connectionRevision(c)}|${cgw.id}@${cgw.updatedAt}|${gateway.bgpAsn}|${this.#withKeys}`;
    const kept = this.#caches?.renderings.get(c.id);
    if (kept && kept.key === key) return kept.value as Rendering;
    const config = customerGatewayConfiguration({ connection: c, cgw, gatewayAsn: gateway.bgpAsn, withKeys: this.#withKeys });
    const value = renderConnection(c, config, this.#withKeys);
    if (this.#caches) this.#caches.renderings.set(c.id, { key, value: this.#caches.xml.keep(value) });
    return value;
  }

  #gateway(id: string): Promise<VpnGateway> {
    let p = this.#gateways.get(id);
    if (!p) this.#gateways.set(id, (p = this.#services.gateways.get(this.#ctx, id, { includeDeleted: true })));
    return p;
  }

  #cgw(id: string): Promise<CustomerGateway> {
    let p = this.#cgws.get(id);
    if (!p) this.#cgws.set(id, (p = this.#services.customerGateways.get(this.#ctx, id, { includeDeleted: true })));
    return p;
  }
}
