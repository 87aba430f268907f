// POST /v5/{project_id}/customer-gateways — https://support.huaweicloud.com/intl/en-us/api-vpn/CreateCgw.html
import { isIpv4 } from '../../../domain/cidr.ts';
import { identityProblem } from '../../../domain/identity.ts';
import { invalidRequest } from '../errors.ts';
import { renderCustomerGateway } from '../render/customer-gateway.ts';
import { route } from '../route.ts';
import { certificateOf, validateCreateCustomerGateway } from '../schemas/customer-gateway.ts';
import { parseJsonBody } from '../schemas/validate.ts';

export default route({
  method: 'POST',
  url: '/customer-gateways',
  status: 201,
  async handle({ ctx, body }, services) {
    const input = validateCreateCustomerGateway(parseJsonBody(body)).customer_gateway;
    const idType = input.id_type ?? 'ip';
    if (idType === 'ip' && !isIpv4(input.id_value)) {
      throw invalidRequest('customer_gateway.id_value must be an IPv4 address such as 192.168.45.7 when id_type is ip');
    }
    const problem = identityProblem(idType, input.id_value);
    if (problem) throw invalidRequest(`customer_gateway.id_value ${problem} when id_type is ${idType}`);
    if (idType === 'fqdn' && input.bgp_asn !== undefined) {
      throw invalidRequest('customer_gateway.bgp_asn can be set only when id_type is ip');
    }
    const cgw = await services.customerGateways.create(ctx, {
      name: input.name,
      idType,
      idValue: input.id_value,
      bgpAsn: input.bgp_asn,
      caCertificate: input.ca_certificate && certificateOf(input.ca_certificate.content, 'customer_gateway.ca_certificate.content'),
      tags: input.tags,
    });
    return { customer_gateway: renderCustomerGateway(cgw) };
  },
});
