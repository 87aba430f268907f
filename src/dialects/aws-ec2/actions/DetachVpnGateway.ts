// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DetachVpnGateway.html
import { authorize } from '../../../service/context.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { inputs, outputs } from '../generated/model.ts';

export default action({
  name: 'DetachVpnGateway',
  access: 'write',
  input: inputs.DetachVpnGateway,
  output: outputs.DetachVpnGateway,
  async handle(ctx, input, services) {
    authorize(ctx, 'write', 'DetachVpnGateway'); // before the checks below, which a read-only key must not reach
    // Checked here: the service reports a missing attachment as the gateway's NotFound, which
    // the generic mapping would word as an unknown gateway.
    const gateway = await services.gateways.get(ctx, input.VpnGatewayId);
    if (!gateway.attachments.some((a) => a.vpcId === input.VpcId && a.state === 'attached')) {
      throw new Ec2Error(
        'InvalidVpnGatewayAttachment.NotFound',
        `The attachment with vpn gateway ID '${input.VpnGatewayId}' and vpc ID '${input.VpcId}' does not exist`,
      );
    }
    await services.gateways.detach(ctx, input.VpnGatewayId, input.VpcId);
    return { Return: true };
  },
});
