// A VPN connection as an EC2 action answers it: the response members, the customerGatewayConfiguration
// document (with the gateway's real ASN) and the pre-shared keys for callers that may see them.
import type { CustomerGateway, VpnConnection, VpnGateway } from '../../domain/entities.ts';
import type { RequestContext } from '../../service/context.ts';
import type { Services } from '../../service/services.ts';
import { customerGatewayConfiguration } from './customer-gateway-configuration.ts';
import { memoizeXml } from './protocol/xml-writer.ts';
import { renderConnection } from './render.ts';

/** EC2 returns pre-shared keys; sitevpn only to keys that may change resources (README). */
export function mayReadKeys(ctx: RequestContext): boolean {
  return ctx.policy === 'full' || ctx.policy === 'admin';
}

type Rendering = ReturnType<typeof renderConnection>;

/** Connections are frozen snapshots, so each one's rendering (and its XML) is kept while it lasts. */
const renderings = new WeakMap<VpnConnection, { key: string; value: Rendering }>();

/** Renders connections for one request, looking each gateway and customer gateway up once. */
export class ConnectionReplies {
  readonly #ctx: RequestContext;
  readonly #services: Services;
  readonly #withKeys: boolean;
  readonly #gateways = new Map<string, Promise<VpnGateway>>();
  readonly #cgws = new Map<string, Promise<CustomerGateway>>();

  constructor(ctx: RequestContext, services: Services) {
    this.#ctx = ctx;
    this.#services = services;
    this.#withKeys = mayReadKeys(ctx);
  }

  async render(c: VpnConnection): Promise<Rendering> {
    // EC2 shows the configuration only while a connection is pending or available.
    if (c.state === 'deleting' || c.state === 'deleted') return renderConnection(c, undefined, this.#withKeys);
    const [gateway, cgw] = await Promise.all([this.#gateway(c.vgwId), this.#cgw(c.cgwId)]);
    const key = `${cgw.id}@${cgw.updatedAt}|${gateway.bgpAsn}|${this.#withKeys}`;
    const kept = renderings.get(c);
    if (kept && kept.key === key) return kept.value;
    const config = customerGatewayConfiguration({ connection: c, cgw, gatewayAsn: gateway.bgpAsn, withKeys: this.#withKeys });
    const value = memoizeXml(renderConnection(c, config, this.#withKeys));
    if (Object.isFrozen(c)) renderings.set(c, { key, value });
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
