// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetVpnConnectionDeviceSampleConfiguration.html
import { deviceType, renderDeviceConfig } from '../../../service/device-config/index.ts';
import { action } from '../action.ts';
import { mayReadKeys } from '../connection-reply.ts';
import { inputs, outputs } from '../generated/model.ts';
import { AWS_IKE_VERSION, AWS_SPELLING } from '../names.ts';
import { checkEnum } from '../protocol/model-input-checks.ts';
import { invalidValue } from '../protocol/query-errors.ts';

const IKE_VERSIONS = ['ikev1', 'ikev2'] as const;

export default action({
  name: 'GetVpnConnectionDeviceSampleConfiguration',
  access: 'read',
  input: inputs.GetVpnConnectionDeviceSampleConfiguration,
  validate(input) {
    checkEnum('InternetKeyExchangeVersion', input.InternetKeyExchangeVersion, IKE_VERSIONS);
  },
  output: outputs.GetVpnConnectionDeviceSampleConfiguration,
  async handle(ctx, input, services) {
    const device = deviceType(input.VpnConnectionDeviceTypeId);
    if (!device) {
      throw invalidValue(
        'VpnConnectionDeviceTypeId',
        input.VpnConnectionDeviceTypeId,
        'Use GetVpnConnectionDeviceTypes for the valid device type ids.',
      );
    }
    const connection = await services.connections.get(ctx, input.VpnConnectionId);
    const asked = input.InternetKeyExchangeVersion;
    // SampleType only chooses among AWS's sample formats; sitevpn has one per device type.
    const ikeVersion = asked === undefined ? undefined : AWS_IKE_VERSION[asked];
    if (asked !== undefined && connection.tunnels.some((t) => !t.ike.versions.includes(ikeVersion!))) {
      throw invalidValue('InternetKeyExchangeVersion', asked, `The tunnels of VPN connection ${connection.id} do not allow ${asked}.`);
    }
    const [gateway, cgw] = await Promise.all([
      services.gateways.get(ctx, connection.vgwId),
      services.customerGateways.get(ctx, connection.cgwId),
    ]);
    return {
      VpnConnectionDeviceSampleConfiguration: renderDeviceConfig(device.id, {
        connection,
        gateway,
        cgw,
        ikeVersion,
        spelling: AWS_SPELLING,
        psk: mayReadKeys(ctx) ? (t) => t.psk : undefined,
      }),
    };
  },
});
