// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceVpnTunnel.html
import { action } from '../action.ts';
import { outputs } from '../generated/model.ts';
import { q } from '../protocol/query-input.ts';
import { tunnelOf } from './tunnel-of.ts';

const inputSpec = {
  VpnConnectionId: q.requiredString('VpnConnectionId'),
  VpnTunnelOutsideIpAddress: q.requiredString('VpnTunnelOutsideIpAddress'),
  // sitevpn never schedules maintenance, so there is never any to apply.
  ApplyPendingMaintenance: q.boolean('ApplyPendingMaintenance'),
};

export default action({
  name: 'ReplaceVpnTunnel',
  access: 'write',
  input: inputSpec,
  output: outputs.ReplaceVpnTunnel,
  async handle(ctx, input, services) {
    const connection = await services.connections.get(ctx, input.VpnConnectionId);
    const tunnel = tunnelOf(connection, input.VpnTunnelOutsideIpAddress);
    await services.connections.renegotiate(ctx, connection.id, tunnel.index);
    return { Return: true };
  },
});
