// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpnConnection.html
import { action } from '../action.ts';
import { outputs } from '../generated/model.ts';
import { q } from '../protocol/query-input.ts';

export default action({
  name: 'DeleteVpnConnection',
  access: 'write',
  input: { VpnConnectionId: q.requiredString('VpnConnectionId') },
  output: outputs.DeleteVpnConnection,
  async handle(ctx, input, services) {
    await services.connections.delete(ctx, input.VpnConnectionId);
    return { Return: true };
  },
});
