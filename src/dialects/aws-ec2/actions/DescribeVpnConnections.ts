// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpnConnections.html
import type { CustomerGateway, VpnConnection } from '../../../domain/entities.ts';
import { action } from '../action.ts';
import { customerGatewayConfiguration } from '../customer-gateway-configuration.ts';
import { Ec2Error } from '../errors.ts';
import { q } from '../protocol/query-input.ts';
import { list, struct } from '../protocol/xml-writer.ts';
import { connectionState, renderConnection } from '../render.ts';
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
    const ids = input.VpnConnectionIds.length > 0 ? input.VpnConnectionIds : undefined;
    const page = await services.connections.list(ctx, { ids });
    if (ids) {
      const found = new Set(page.items.map((c) => c.id));
      const missing = ids.find((id) => !found.has(id));
      if (missing) throw new Ec2Error('InvalidVpnConnectionID.NotFound', `The vpnConnection ID '${missing}' does not exist`);
    }
    const cgws = new Map((await services.customerGateways.list(ctx)).map((g) => [g.id, g]));
    const selected = page.items.filter((c) => matchers.every((m) => m.match(c, cgws.get(c.cgwId), m.values)));
    return {
      VpnConnections: selected.map((c) => {
        const cgw = cgws.get(c.cgwId);
        return renderConnection(c, cgw && customerGatewayConfiguration(c, cgw));
      }),
    };
  },
});
