// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeCustomerGateways.html
import type { CustomerGateway } from '../../../domain/entities.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { q } from '../protocol/query-input.ts';
import { list, struct } from '../protocol/xml-writer.ts';
import { renderCustomerGateway } from '../render.ts';
import { CustomerGatewayShape } from '../shapes.ts';
import { invalidFilter, matchesFilter, tagFilter } from './DescribeTags.ts';

type Matcher = (c: CustomerGateway, values: string[]) => boolean;

const FILTERS: Record<string, Matcher> = {
  'bgp-asn': (c, v) => matchesFilter(v, String(c.bgpAsn)),
  'customer-gateway-id': (c, v) => matchesFilter(v, c.id),
  'ip-address': (c, v) => c.idType === 'ip' && matchesFilter(v, c.idValue),
  state: (c, v) => matchesFilter(v, c.state),
  type: (_c, v) => matchesFilter(v, 'ipsec.1'),
};

function matcherFor(name: string): Matcher {
  const byTag = tagFilter(name);
  if (byTag) return (c, v) => byTag(c.tags, v);
  const m = FILTERS[name];
  if (!m) throw invalidFilter(name);
  return m;
}

const inputSpec = {
    CustomerGatewayIds: q.list('CustomerGatewayId'),
    Filters: q.filters('Filter'),
};

export default action({
  name: 'DescribeCustomerGateways',
  access: 'read',
  input: inputSpec,
  output: struct({ CustomerGateways: list(CustomerGatewayShape) }),
  async handle(ctx, input, services) {
    const matchers = input.Filters.map((f) => ({ match: matcherFor(f.name), values: f.values }));
    let cgws = await services.customerGateways.list(ctx, { includeDeleted: true });
    if (input.CustomerGatewayIds.length > 0) {
      const byId = new Map(cgws.map((c) => [c.id, c]));
      // An empty id ('CustomerGatewayId.1=') is falsy but still missing.
      const missing = input.CustomerGatewayIds.find((id) => !byId.has(id));
      if (missing !== undefined) throw new Ec2Error('InvalidCustomerGatewayID.NotFound', `The customerGateway ID '${missing}' does not exist`);
      cgws = [...new Set(input.CustomerGatewayIds)].map((id) => byId.get(id)!);
    }
    const selected = cgws.filter((c) => matchers.every((m) => m.match(c, m.values)));
    return { CustomerGateways: selected.map(renderCustomerGateway) };
  },
});
