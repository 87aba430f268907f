// What Create/DeleteVpnConnectionRoute share: the same input, and the checks before either acts.
import { isCidr } from '../../../domain/cidr.ts';
import type { VpnConnection } from '../../../domain/entities.ts';
import type { RequestContext } from '../../../service/context.ts';
import type { Services } from '../../../service/services.ts';
import { Ec2Error } from '../errors.ts';

/** A well-formed route on a static-routes-only connection, or EC2's error for either fault. */
export async function staticRouteTarget(
  ctx: RequestContext,
  input: { DestinationCidrBlock: string; VpnConnectionId: string },
  services: Services,
): Promise<{ cidr: string; connection: VpnConnection }> {
  const cidr = input.DestinationCidrBlock;
  if (!isCidr(cidr)) throw new Ec2Error('InvalidRoute.Malformed', `The specified route is not valid: '${cidr}' is not an IPv4 CIDR block.`);
  const connection = await services.connections.get(ctx, input.VpnConnectionId);
  if (connection.style !== 'static')
    throw new Ec2Error('InvalidVpnConnection.InvalidType', 'The specified VPN connection does not support static routes.');
  return { cidr, connection };
}
