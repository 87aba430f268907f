// DELETE /sitevpn/v1/projects/{project_id}/customer-gateways/{customer_gateway_id}/device-profile
// Without a profile the simulated device accepts whatever the gateway offers first.
import { extRoute } from '../route.ts';

export default extRoute({
  method: 'DELETE',
  url: '/customer-gateways/:customer_gateway_id/device-profile',
  status: 204,
  async handle({ ctx, params }, { services }) {
    await services.deviceProfiles.set(ctx, params.customer_gateway_id, undefined);
    return undefined;
  },
});
