// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpnConnection.html
import { action } from '../action.ts';
import { inputs, outputs } from '../generated/model.ts';

export default action({
  name: 'DeleteVpnConnection',
  access: 'write',
  input: inputs.DeleteVpnConnection,
  output: outputs.DeleteVpnConnection,
  async handle(ctx, input, services) {
    await services.connections.delete(ctx, input.VpnConnectionId);
    return { Return: true };
  },
});
