// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetVpnConnectionDeviceTypes.html
import { DEVICE_TYPES } from '../../../service/device-config/index.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { inputs, outputs } from '../generated/model.ts';
import { checkRange } from '../protocol/model-input-checks.ts';

export default action({
  name: 'GetVpnConnectionDeviceTypes',
  access: 'read',
  input: inputs.GetVpnConnectionDeviceTypes,
  validate(input) {
    checkRange('MaxResults', input.MaxResults, { min: 200, max: 1000 });
  },
  output: outputs.GetVpnConnectionDeviceTypes,
  async handle(_ctx, input) {
    // The whole list fits in the smallest page EC2 allows (200), so no token is ever handed out.
    if (input.NextToken !== undefined) throw new Ec2Error('InvalidNextToken', 'The specified NextToken is not valid.');
    return {
      VpnConnectionDeviceTypes: DEVICE_TYPES.map((d) => ({
        VpnConnectionDeviceTypeId: d.id,
        Vendor: d.vendor,
        Platform: d.platform,
        Software: d.software,
      })),
    };
  },
});
