// PUT /sitevpn/v1/projects/{project_id}/customer-gateways/{customer_gateway_id}/device-profile
// Stores what the customer device offers; every connection using the customer gateway gets its
// intents again with the same generation, so the profile applies at the next negotiation.
import { parseJsonBody } from '../../shared/validate.ts';
import { extRoute } from '../route.ts';
import { fromWire, toWire, validateDeviceProfileBody } from '../schemas/device-profile.ts';

export default extRoute({
  method: 'PUT',
  url: '/customer-gateways/:customer_gateway_id/device-profile',
  status: 200,
  async handle({ ctx, params, body }, { services }) {
    const profile = fromWire(validateDeviceProfileBody(parseJsonBody(body)).device_profile);
    const { cgw, connections } = await services.deviceProfiles.set(ctx, params.customer_gateway_id, profile);
    return { customer_gateway_id: cgw.id, device_profile: toWire(profile), refreshed_connections: connections };
  },
});
