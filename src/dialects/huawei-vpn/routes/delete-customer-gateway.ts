// DELETE /v5/{project_id}/customer-gateways/{customer_gateway_id} — https://support.huaweicloud.com/intl/en-us/api-vpn/DeleteCgw.html
import { route } from '../route.ts';

export default route({
  method: 'DELETE',
  url: '/customer-gateways/:customer_gateway_id',
  status: 204,
  async handle({ ctx, params }, services) {
    await services.customerGateways.delete(ctx, params.customer_gateway_id);
    return undefined;
  },
});
