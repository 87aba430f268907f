// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpnGateways.html
import type { VpnGateway } from '../../../domain/entities.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { q } from '../protocol/query-input.ts';
import { list, struct } from '../protocol/xml-writer.ts';
import { renderVpnGatewayWithZone } from '../render.ts';
import { VpnGatewayShape } from '../shapes.ts';
import { invalidFilter, matchesFilter, tagFilter } from './DescribeTags.ts';

type Matcher = (g: VpnGateway, values: string[]) => boolean;

const FILTERS: Record<string, Matcher> = {
  'amazon-side-asn': (g, v) => matchesFilter(v, String(g.bgpAsn)),
  'attachment.state': (g, v) => g.attachments.some((a) => matchesFilter(v, a.state)),
  'attachment.vpc-id': (g, v) => g.attachments.some((a) => matchesFilter(v, a.vpcId)),
  'availability-zone': (g, v) => g.availabilityZoneIds.some((z) => matchesFilter(v, z)),
  state: (g, v) => matchesFilter(v, g.state),
  type: (_g, v) => matchesFilter(v, 'ipsec.1'),
  'vpn-gateway-id': (g, v) => matchesFilter(v, g.id),
};

function matcherFor(name: string): Matcher {
  const byTag = tagFilter(name);
  if (byTag) return (g, v) => byTag(g.tags, v);
  const m = FILTERS[name];
  if (!m) throw invalidFilter(name);
  return m;
}

const inputSpec = {
    VpnGatewayIds: q.list('VpnGatewayId'),
    Filters: q.filters('Filter'),
};

export default action({
  name: 'DescribeVpnGateways',
  access: 'read',
  input: inputSpec,
  output: struct({ VpnGateways: list(VpnGatewayShape) }),
  async handle(ctx, input, services) {
    const matchers = input.Filters.map((f) => ({ match: matcherFor(f.name), values: f.values }));
    let gateways = await services.gateways.list(ctx, { includeDeleted: true });
    if (input.VpnGatewayIds.length > 0) {
      const byId = new Map(gateways.map((g) => [g.id, g]));
      // An empty id ('VpnGatewayId.1=') is falsy but still missing.
      const missing = input.VpnGatewayIds.find((id) => !byId.has(id));
      if (missing !== undefined) throw new Ec2Error('InvalidVpnGatewayID.NotFound', `The vpnGateway ID '${missing}' does not exist`);
      gateways = [...new Set(input.VpnGatewayIds)].map((id) => byId.get(id)!);
    }
    const selected = gateways.filter((g) => matchers.every((m) => m.match(g, m.values)));
    return { VpnGateways: selected.map(renderVpnGatewayWithZone) };
  },
});
