// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteCustomerGateway.html
import { isDomainError } from '../../../domain/errors.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { inputs, outputs } from '../generated/model.ts';

export default action({
  name: 'DeleteCustomerGateway',
  access: 'write',
  input: inputs.DeleteCustomerGateway,
  output: outputs.DeleteCustomerGateway,
  async handle(ctx, input, services) {
    try {
      await services.customerGateways.delete(ctx, input.CustomerGatewayId);
    } catch (err) {
      // EC2's own wording, as real replies quote it.
      if (isDomainError(err) && err.code === 'InUse') throw new Ec2Error('IncorrectState', 'The customer gateway is in use.');
      throw err;
    }
    return { Return: true };
  },
});
