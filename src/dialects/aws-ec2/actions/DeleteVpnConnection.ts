// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpnConnection.html
import { action } from '../action.ts';
import { q } from '../protocol/query-input.ts';
import { bool, struct } from '../protocol/xml-writer.ts';

export default action({
  name: 'DeleteVpnConnection',
  access: 'write',
  input: { VpnConnectionId: q.requiredString('VpnConnectionId') },
  output: struct({ Return: bool }),
  async handle(ctx, input, services) {
    await services.connections.delete(ctx, input.VpnConnectionId);
    return { Return: true };
  },
});
