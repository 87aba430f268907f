// PUT /v5/{project_id}/customer-gateways/{customer_gateway_id} — https://support.huaweicloud.com/intl/en-us/api-vpn/UpdateCgw.html
import { renderCustomerGateway } from '../render/customer-gateway.ts';
import { route } from '../route.ts';
import { certificateOf, validateUpdateCustomerGateway } from '../schemas/customer-gateway.ts';
import { parseJsonBody } from '../schemas/validate.ts';

export default route({
  method: 'PUT',
  url: '/customer-gateways/:customer_gateway_id',
  status: 200,
  async handle({ ctx, params, body }, services) {
    const input = validateUpdateCustomerGateway(parseJsonBody(body)).customer_gateway;
    const cgw = await services.customerGateways.update(ctx, params.customer_gateway_id, {
      name: input.name,
      caCertificate: input.ca_certificate && certificateOf(input.ca_certificate.content, 'customer_gateway.ca_certificate.content'),
    });
    return { customer_gateway: renderCustomerGateway(cgw) };
  },
});
