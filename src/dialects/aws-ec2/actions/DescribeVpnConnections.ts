// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpnConnections.html
import type { CustomerGateway, VpnConnection } from '../../../domain/entities.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { RequestContext } from '../../../service/context.ts';
import type { Services } from '../../../service/services.ts';
import { action } from '../action.ts';
import { ConnectionReplies } from '../connection-reply.ts';
import { Ec2Error } from '../errors.ts';
import { q } from '../protocol/query-input.ts';
import { list, struct } from '../protocol/xml-writer.ts';
import { connectionState } from '../render.ts';
import { VpnConnectionShape } from '../shapes.ts';

type Matcher = (c: VpnConnection, cgw: CustomerGateway | undefined, values: string[]) => boolean;

const FILTERS: Record<string, Matcher> = {
  state: (c, _g, v) => v.includes(connectionState(c)),
  type: (_c, _g, v) => v.includes('ipsec.1'),
  category: (_c, _g, v) => v.includes('VPN'),
  'customer-gateway-id': (c, _g, v) => v.includes(c.cgwId),
  'vpn-gateway-id': (c, _g, v) => v.includes(c.vgwId),
  'vpn-connection-id': (c, _g, v) => v.includes(c.id),
  'option.static-routes-only': (c, _g, v) => v.includes(String(c.style === 'static')),
  'bgp-asn': (_c, g, v) => g !== undefined && v.includes(String(g.bgpAsn)),
  'route.destination-cidr-block': (c, _g, v) => c.staticRoutes.some((r) => v.includes(r.cidr)),
  'tag-key': (c, _g, v) => c.tags.some((t) => v.includes(t.key)),
  'tag-value': (c, _g, v) => c.tags.some((t) => v.includes(t.value)),
};

function matcherFor(name: string): Matcher {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return (c, _g, v) => c.tags.some((t) => t.key === key && v.includes(t.value));
  }
  const m = FILTERS[name];
  if (!m) throw new Ec2Error('InvalidParameterValue', `The filter '${name}' is invalid`);
  return m;
}

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

export default action({
  name: 'DescribeVpnConnections',
  access: 'read',
  input: {
    VpnConnectionIds: q.list('VpnConnectionId'),
    Filters: q.filters('Filter'),
  },
  output: struct({ VpnConnections: list(VpnConnectionShape) }),
  async handle(ctx, input, services) {
    const matchers = input.Filters.map((f) => ({ match: matcherFor(f.name), values: f.values }));
    // Deleted connections stay listed (state deleting, then deleted) until their retention ends.
    const items =
      input.VpnConnectionIds.length > 0
        ? await byIds(ctx, input.VpnConnectionIds, services)
        : [...(await services.connections.list(ctx, {})).items, ...(await services.connections.listDeleted(ctx))];
    const cgws = new Map<string, CustomerGateway | undefined>();
    for (const cgwId of new Set(items.map((c) => c.cgwId))) {
      // A deleted connection's customer gateway may be gone by now.
      cgws.set(cgwId, await services.customerGateways.get(ctx, cgwId, { includeDeleted: true }).catch(() => undefined));
    }
    const selected = items.filter((c) => matchers.every((m) => m.match(c, cgws.get(c.cgwId), m.values)));
    const replies = new ConnectionReplies(ctx, services);
    return { VpnConnections: await Promise.all(selected.map((c) => replies.render(c))) };
  },
});
