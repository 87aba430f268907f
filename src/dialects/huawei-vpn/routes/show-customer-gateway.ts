// GET /v5/{project_id}/customer-gateways/{customer_gateway_id} — https://support.huaweicloud.com/intl/en-us/api-vpn/ShowCgw.html
import { renderCustomerGateway } from '../render/customer-gateway.ts';
import { route } from '../route.ts';

export default route({
  method: 'GET',
  url: '/customer-gateways/:customer_gateway_id',
  status: 200,
  async handle({ ctx, params }, services) {
    return { customer_gateway: renderCustomerGateway(await services.customerGateways.get(ctx, params.customer_gateway_id)) };
  },
});
