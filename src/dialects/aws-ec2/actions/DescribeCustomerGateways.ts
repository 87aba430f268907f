// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeCustomerGateways.html
import type { CustomerGateway } from '../../../domain/entities.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { filterEngine, filtersOf } from '../filters.ts';
import { inputs, outputs } from '../generated/model.ts';
import { renderCustomerGateway } from '../render.ts';

/** The filters EC2 documents for DescribeCustomerGateways. */
export const customerGatewayFilters = filterEngine<CustomerGateway>(
  {
    'bgp-asn': (c) => String(c.bgpAsn),
    'customer-gateway-id': (c) => c.id,
    'ip-address': (c) => (c.idType === 'ip' ? c.idValue : undefined),
    state: (c) => c.state,
    type: () => 'ipsec.1',
  },
  (c) => c.tags,
);

export default action({
  name: 'DescribeCustomerGateways',
  access: 'read',
  input: inputs.DescribeCustomerGateways,
  validate(input) {
    filtersOf(input.Filters);
  },
  output: outputs.DescribeCustomerGateways,
  async handle(ctx, input, services) {
    const keep = customerGatewayFilters.compile(filtersOf(input.Filters));
    let cgws = await services.customerGateways.list(ctx, { includeDeleted: true });
    if (input.CustomerGatewayIds.length > 0) {
      const byId = new Map(cgws.map((c) => [c.id, c]));
      // An empty id ('CustomerGatewayId.1=') is falsy but still missing.
      const missing = input.CustomerGatewayIds.find((id) => !byId.has(id));
      if (missing !== undefined)
        throw new Ec2Error('InvalidCustomerGatewayID.NotFound', `The customerGateway ID '${missing}' does not exist`);
      cgws = [...new Set(input.CustomerGatewayIds)].map((id) => byId.get(id)!);
    }
    const selected = cgws.filter(keep);
    return { CustomerGateways: selected.map(renderCustomerGateway) };
  },
});
