// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetVpnConnectionDeviceTypes.html
import { DEVICE_TYPES } from '../../../service/device-config/index.ts';
import { action } from '../action.ts';
import { outputs } from '../generated/model.ts';
import { Ec2Error } from '../errors.ts';
import { q } from '../protocol/query-input.ts';

const inputSpec = {
  MaxResults: q.int('MaxResults', { min: 200, max: 1000 }),
  NextToken: q.string('NextToken'),
};

export default action({
  name: 'GetVpnConnectionDeviceTypes',
  access: 'read',
  input: inputSpec,
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
