// GET /sitevpn/v1/projects/{project_id}/customer-gateways/{customer_gateway_id}/device-profile
import { extRoute } from '../route.ts';
import { toWire } from '../schemas/device-profile.ts';

export default extRoute({
  method: 'GET',
  url: '/customer-gateways/:customer_gateway_id/device-profile',
  status: 200,
  async handle({ ctx, params }, { services }) {
    const profile = await services.deviceProfiles.get(ctx, params.customer_gateway_id);
    return { customer_gateway_id: params.customer_gateway_id, device_profile: toWire(profile) };
  },
});
