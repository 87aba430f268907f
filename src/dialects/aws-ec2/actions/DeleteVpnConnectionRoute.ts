// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpnConnectionRoute.html
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { inputs, outputs } from '../generated/model.ts';
import { staticRouteTarget } from './static-route.ts';

export default action({
  name: 'DeleteVpnConnectionRoute',
  access: 'write',
  input: inputs.DeleteVpnConnectionRoute,
  output: outputs.DeleteVpnConnectionRoute,
  async handle(ctx, input, services) {
    const { cidr, connection } = await staticRouteTarget(ctx, input, services);
    if (!connection.staticRoutes.some((r) => r.cidr === cidr)) {
      throw new Ec2Error('InvalidRoute.NotFound', `The route identified by ${cidr} does not exist.`);
    }
    await services.connections.update(ctx, connection.id, { staticRoutes: connection.staticRoutes.filter((r) => r.cidr !== cidr) });
    return { Return: true };
  },
});
