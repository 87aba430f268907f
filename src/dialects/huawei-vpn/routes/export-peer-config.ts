// POST /v5/{project_id}/vpn-connection/{vpn_connection_id}/peer-configuration/export — https://support.huaweicloud.com/intl/en-us/api-vpn/vpn_api_0162.html
// Body {vendor, type, model, version} names the customer's device; the answer is {peer_config}, the
// device's configuration as text. sitevpn writes it for strongSwan (a swanctl.conf with the PSK as
// a placeholder, the same generator as EC2's GetVpnConnectionDeviceSampleConfiguration).
import { renderDeviceConfig, STRONGSWAN_DEVICE_TYPE } from '../../../service/device-config/index.ts';
import { invalidRequest } from '../errors.ts';
import { route } from '../route.ts';
import { obj, parseJsonBody, str, validator } from '../schemas/validate.ts';

export const ExportPeerConfigBody = obj({
  vendor: str(1, 64),
  type: str(1, 64),
  model: str(1, 64),
  version: str(1, 64),
});
const validateExport = validator(ExportPeerConfigBody);

/** Vendors sitevpn can write a peer configuration for (compared case-insensitively): their device type. */
export const EXPORT_VENDORS: Record<string, string> = { strongswan: STRONGSWAN_DEVICE_TYPE };

export default route({
  method: 'POST',
  url: '/vpn-connection/:vpn_connection_id/peer-configuration/export',
  status: 200,
  async handle({ ctx, params, body }, services) {
    const input = validateExport(parseJsonBody(body));
    const deviceType = Object.hasOwn(EXPORT_VENDORS, input.vendor.toLowerCase()) ? EXPORT_VENDORS[input.vendor.toLowerCase()] : undefined;
    if (!deviceType) {
      throw invalidRequest(`vendor ${input.vendor} is not supported; supported vendors: ${Object.keys(EXPORT_VENDORS).join(', ')}`);
    }
    const connection = await services.connections.get(ctx, params.vpn_connection_id);
    const [gateway, cgw] = await Promise.all([
      services.gateways.get(ctx, connection.vgwId),
      services.customerGateways.get(ctx, connection.cgwId),
    ]);
    return { peer_config: renderDeviceConfig(deviceType, { connection, gateway, cgw }) };
  },
});
