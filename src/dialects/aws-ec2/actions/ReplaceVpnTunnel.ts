// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceVpnTunnel.html
import { action } from '../action.ts';
import { inputs, outputs } from '../generated/model.ts';
import { tunnelOf } from './tunnel-of.ts';

export default action({
  name: 'ReplaceVpnTunnel',
  access: 'write',
  input: inputs.ReplaceVpnTunnel,
  output: outputs.ReplaceVpnTunnel,
  async handle(ctx, input, services) {
    const connection = await services.connections.get(ctx, input.VpnConnectionId);
    const tunnel = tunnelOf(connection, input.VpnTunnelOutsideIpAddress);
    await services.connections.renegotiate(ctx, connection.id, tunnel.index);
    return { Return: true };
  },
});
