// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpnConnectionRoute.html
import { isCidr } from '../../../domain/cidr.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { q } from '../protocol/query-input.ts';
import { bool, struct } from '../protocol/xml-writer.ts';

const inputSpec = {
  DestinationCidrBlock: q.requiredString('DestinationCidrBlock'),
  VpnConnectionId: q.requiredString('VpnConnectionId'),
};

export default action({
  name: 'DeleteVpnConnectionRoute',
  access: 'write',
  input: inputSpec,
  output: struct({ Return: bool }),
  async handle(ctx, input, services) {
    const cidr = input.DestinationCidrBlock;
    if (!isCidr(cidr)) throw new Ec2Error('InvalidRoute.Malformed', `The specified route is not valid: '${cidr}' is not an IPv4 CIDR block.`);
    const connection = await services.connections.get(ctx, input.VpnConnectionId);
    if (connection.style !== 'static') throw new Ec2Error('InvalidVpnConnection.InvalidType', 'The specified VPN connection does not support static routes.');
    if (!connection.staticRoutes.some((r) => r.cidr === cidr)) {
      throw new Ec2Error('InvalidRoute.NotFound', `no route with destination-cidr-block ${cidr} in VPN connection ${connection.id}`);
    }
    await services.connections.update(ctx, connection.id, { staticRoutes: connection.staticRoutes.filter((r) => r.cidr !== cidr) });
    return { Return: true };
  },
});
