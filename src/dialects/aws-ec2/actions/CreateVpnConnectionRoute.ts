// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpnConnectionRoute.html
import { isCidr } from '../../../domain/cidr.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { q } from '../protocol/query-input.ts';
import { bool, struct } from '../protocol/xml-writer.ts';

/** Site-to-Site VPN quota: static routes per VPN connection. */
export const STATIC_ROUTE_LIMIT = 100;

const inputSpec = {
  DestinationCidrBlock: q.requiredString('DestinationCidrBlock'),
  VpnConnectionId: q.requiredString('VpnConnectionId'),
};

export default action({
  name: 'CreateVpnConnectionRoute',
  access: 'write',
  input: inputSpec,
  output: struct({ Return: bool }),
  async handle(ctx, input, services) {
    const cidr = input.DestinationCidrBlock;
    if (!isCidr(cidr)) throw new Ec2Error('InvalidRoute.Malformed', `The specified route is not valid: '${cidr}' is not an IPv4 CIDR block.`);
    const connection = await services.connections.get(ctx, input.VpnConnectionId);
    if (connection.style !== 'static') throw new Ec2Error('InvalidVpnConnection.InvalidType', 'The specified VPN connection does not support static routes.');
    if (connection.staticRoutes.some((r) => r.cidr === cidr)) throw new Ec2Error('RouteAlreadyExists', `The route identified by ${cidr} already exists.`);
    if (connection.staticRoutes.length >= STATIC_ROUTE_LIMIT) {
      throw new Ec2Error('RouteLimitExceeded', `The VPN connection already has the maximum of ${STATIC_ROUTE_LIMIT} static routes.`);
    }
    // Static routes are the gateway's routing table, not an IKE parameter: no renegotiation.
    await services.connections.update(ctx, connection.id, { staticRoutes: [...connection.staticRoutes, { cidr, state: 'available' }] });
    return { Return: true };
  },
});
