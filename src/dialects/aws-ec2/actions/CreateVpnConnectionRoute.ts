// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpnConnectionRoute.html
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { inputs, outputs } from '../generated/model.ts';
import { staticRouteTarget } from './static-route.ts';

/** Site-to-Site VPN quota: static routes per VPN connection. */
export const STATIC_ROUTE_LIMIT = 100;

export default action({
  name: 'CreateVpnConnectionRoute',
  access: 'write',
  input: inputs.CreateVpnConnectionRoute,
  output: outputs.CreateVpnConnectionRoute,
  async handle(ctx, input, services) {
    const { cidr, connection } = await staticRouteTarget(ctx, input, services);
    if (connection.staticRoutes.some((r) => r.cidr === cidr))
      throw new Ec2Error('RouteAlreadyExists', `The route identified by ${cidr} already exists.`);
    if (connection.staticRoutes.length >= STATIC_ROUTE_LIMIT) {
      throw new Ec2Error('RouteLimitExceeded', `The VPN connection already has the maximum of ${STATIC_ROUTE_LIMIT} static routes.`);
    }
    // Static routes are the gateway's routing table, not an IKE parameter: no renegotiation.
    await services.connections.update(ctx, connection.id, { staticRoutes: [...connection.staticRoutes, { cidr, state: 'available' }] });
    return { Return: true };
  },
});
