// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachVpnGateway.html
import { action } from '../action.ts';
import { inputs, outputs } from '../generated/model.ts';

export default action({
  name: 'AttachVpnGateway',
  access: 'write',
  input: inputs.AttachVpnGateway,
  output: outputs.AttachVpnGateway,
  async handle(ctx, input, services) {
    const gateway = await services.gateways.attach(ctx, input.VpnGatewayId, input.VpcId);
    const attachment = gateway.attachments.find((a) => a.vpcId === input.VpcId)!;
    return { VpcAttachment: { State: attachment.state, VpcId: attachment.vpcId } };
  },
});
