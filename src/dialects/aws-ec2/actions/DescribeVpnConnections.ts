// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpnConnections.html
import type { CustomerGateway, VpnConnection } from '../../../domain/entities.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { RequestContext } from '../../../service/context.ts';
import type { Services } from '../../../service/services.ts';
import { action } from '../action.ts';
import { ConnectionReplies } from '../connection-reply.ts';
import { Ec2Error } from '../errors.ts';
import { filterEngine, filtersOf } from '../filters.ts';
import { inputs, outputs } from '../generated/model.ts';
import { connectionState } from '../render.ts';

interface Candidate {
  c: VpnConnection;
  cgw: CustomerGateway | undefined;
  /** The customerGatewayConfiguration document, once rendered (only the filter that needs it waits for it). */
  config?: string;
}

/** The filters EC2 documents for DescribeVpnConnections (plus `category`, and `tag-value` as older references documented it). */
export const vpnConnectionFilters = filterEngine<Candidate>(
  {
    'customer-gateway-configuration': (x) => x.config,
    'customer-gateway-id': (x) => x.c.cgwId,
    state: (x) => connectionState(x.c),
    'option.static-routes-only': (x) => String(x.c.style === 'static'),
    'route.destination-cidr-block': (x) => x.c.staticRoutes.map((r) => r.cidr),
    'bgp-asn': (x) => (x.cgw === undefined ? undefined : String(x.cgw.bgpAsn)),
    type: () => 'ipsec.1',
    category: () => 'VPN',
    'vpn-connection-id': (x) => x.c.id,
    'vpn-gateway-id': (x) => x.c.vgwId,
    // sitevpn has no transit gateways: no connection has one.
    'transit-gateway-id': () => undefined,
  },
  (x) => x.c.tags,
);

async function byIds(ctx: RequestContext, ids: string[], services: Services): Promise<VpnConnection[]> {
  const found: VpnConnection[] = [];
  for (const id of new Set(ids)) {
    try {
      found.push(await services.connections.get(ctx, id, { includeDeleted: true }));
    } catch (err) {
      if (err instanceof DomainError && err.code === 'NotFound') {
        throw new Ec2Error('InvalidVpnConnectionID.NotFound', `The vpnConnection ID '${id}' does not exist`);
      }
      throw err;
    }
  }
  return found;
}

/** Each connection's customer gateway (undefined: gone by now); one listing when there are many. */
async function customerGatewaysOf(
  ctx: RequestContext,
  items: VpnConnection[],
  services: Services,
): Promise<Map<string, CustomerGateway | undefined>> {
  const ids = new Set(items.map((c) => c.cgwId));
  const cgws = new Map<string, CustomerGateway | undefined>();
  if (ids.size > 4) {
    for (const cgw of await services.customerGateways.list(ctx, { includeDeleted: true })) if (ids.has(cgw.id)) cgws.set(cgw.id, cgw);
  }
  for (const cgwId of ids) {
    if (cgws.has(cgwId)) continue;
    // A deleted connection's customer gateway may be gone by now.
    cgws.set(cgwId, await services.customerGateways.get(ctx, cgwId, { includeDeleted: true }).catch(() => undefined));
  }
  return cgws;
}

export default action({
  name: 'DescribeVpnConnections',
  access: 'read',
  input: inputs.DescribeVpnConnections,
  validate(input) {
    filtersOf(input.Filters);
  },
  output: outputs.DescribeVpnConnections,
  async handle(ctx, input, services, caches) {
    const keep = vpnConnectionFilters.compile(filtersOf(input.Filters));
    // Deleted connections stay listed (state deleting, then deleted) until their retention ends.
    const items =
      input.VpnConnectionIds.length > 0
        ? await byIds(ctx, input.VpnConnectionIds, services)
        : [...(await services.connections.list(ctx, {})).items, ...(await services.connections.listDeleted(ctx))];
    const cgws = await customerGatewaysOf(ctx, items, services);
    const replies = new ConnectionReplies(ctx, services, caches, cgws);
    const byConfig = input.Filters.some((f) => f.Name === 'customer-gateway-configuration');
    const candidates: Candidate[] = [];
    for (const c of items) {
      const x: Candidate = { c, cgw: cgws.get(c.cgwId) };
      if (byConfig) x.config = (await replies.render(c)).CustomerGatewayConfiguration;
      if (keep(x)) candidates.push(x);
    }
    return { VpnConnections: await Promise.all(candidates.map((x) => replies.render(x.c))) };
  },
});
