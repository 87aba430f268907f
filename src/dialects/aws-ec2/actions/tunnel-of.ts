// Finds a connection's tunnel by its outside IP, the way every EC2 tunnel action names one.
import type { Tunnel, VpnConnection } from '../../../domain/entities.ts';
import { Ec2Error } from '../errors.ts';

/** Same code and wording as GetActiveVpnTunnelStatus for an address that is not one of the tunnels'. */
export function tunnelOf(connection: VpnConnection, outsideIp: string): Tunnel {
  const tunnel = connection.tunnels.find((t) => t.outsideIp === outsideIp);
  if (!tunnel) {
    throw new Ec2Error(
      'InvalidParameterValue',
      `The VPN tunnel outside IP address '${outsideIp}' does not belong to VPN connection '${connection.id}'`,
    );
  }
  return tunnel;
}
