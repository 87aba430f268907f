// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpnGateways.html
import type { VpnGateway } from '../../../domain/entities.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { filterEngine, filtersOf } from '../filters.ts';
import { inputs, outputs } from '../generated/model.ts';
import { renderVpnGatewayWithZone } from '../render.ts';

/** The filters EC2 documents for DescribeVpnGateways. */
export const vpnGatewayFilters = filterEngine<VpnGateway>(
  {
    'amazon-side-asn': (g) => String(g.bgpAsn),
    'attachment.state': (g) => g.attachments.map((a) => a.state),
    'attachment.vpc-id': (g) => g.attachments.map((a) => a.vpcId),
    'availability-zone': (g) => g.availabilityZoneIds,
    state: (g) => g.state,
    type: () => 'ipsec.1',
    'vpn-gateway-id': (g) => g.id,
  },
  (g) => g.tags,
);

export default action({
  name: 'DescribeVpnGateways',
  access: 'read',
  input: inputs.DescribeVpnGateways,
  validate(input) {
    filtersOf(input.Filters);
  },
  output: outputs.DescribeVpnGateways,
  async handle(ctx, input, services) {
    const keep = vpnGatewayFilters.compile(filtersOf(input.Filters));
    let gateways = await services.gateways.list(ctx, { includeDeleted: true });
    if (input.VpnGatewayIds.length > 0) {
      const byId = new Map(gateways.map((g) => [g.id, g]));
      // An empty id ('VpnGatewayId.1=') is falsy but still missing.
      const missing = input.VpnGatewayIds.find((id) => !byId.has(id));
      if (missing !== undefined) throw new Ec2Error('InvalidVpnGatewayID.NotFound', `The vpnGateway ID '${missing}' does not exist`);
      gateways = [...new Set(input.VpnGatewayIds)].map((id) => byId.get(id)!);
    }
    const selected = gateways.filter(keep);
    return { VpnGateways: selected.map(renderVpnGatewayWithZone) };
  },
});
