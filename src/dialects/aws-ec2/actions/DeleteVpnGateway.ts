// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpnGateway.html
import { isDomainError } from '../../../domain/errors.ts';
import { authorize } from '../../../service/context.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { inputs, outputs } from '../generated/model.ts';

/** EC2's own wording, as real replies quote it (for a gateway with connections or still attached). */
const IN_USE = 'The VPN gateway is in use.';

export default action({
  name: 'DeleteVpnGateway',
  access: 'write',
  input: inputs.DeleteVpnGateway,
  output: outputs.DeleteVpnGateway,
  async handle(ctx, input, services) {
    authorize(ctx, 'write', 'DeleteVpnGateway'); // before the checks below, which a read-only key must not reach
    const gateway = await services.gateways.get(ctx, input.VpnGatewayId);
    if (gateway.attachments.some((a) => a.state === 'attached' || a.state === 'attaching')) throw new Ec2Error('IncorrectState', IN_USE);
    try {
      await services.gateways.delete(ctx, input.VpnGatewayId);
    } catch (err) {
      if (isDomainError(err) && err.code === 'InUse') throw new Ec2Error('IncorrectState', IN_USE);
      throw err;
    }
    return { Return: true };
  },
});
