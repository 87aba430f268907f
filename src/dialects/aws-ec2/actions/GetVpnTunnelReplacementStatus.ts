// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetVpnTunnelReplacementStatus.html
import { action } from '../action.ts';
import { inputs, outputs } from '../generated/model.ts';
import { tunnelOf } from './tunnel-of.ts';

export default action({
  name: 'GetVpnTunnelReplacementStatus',
  access: 'read',
  input: inputs.GetVpnTunnelReplacementStatus,
  output: outputs.GetVpnTunnelReplacementStatus,
  async handle(ctx, input, services) {
    const connection = await services.connections.get(ctx, input.VpnConnectionId);
    const tunnel = tunnelOf(connection, input.VpnTunnelOutsideIpAddress);
    return {
      VpnConnectionId: connection.id,
      CustomerGatewayId: connection.cgwId,
      VpnGatewayId: connection.vgwId,
      VpnTunnelOutsideIpAddress: tunnel.outsideIp,
      // No maintenance is ever scheduled; the last one applied is the last ReplaceVpnTunnel.
      MaintenanceDetails: { PendingMaintenance: 'None', LastMaintenanceApplied: tunnel.lastReplacedAt },
    };
  },
});
