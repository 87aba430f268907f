// PUT /v5/{project_id}/vpn-gateways/{vgw_id} — https://support.huaweicloud.com/intl/en-us/api-vpn/UpdateVgw.html
import { connectionUsageByGateway, NO_CONNECTIONS } from '../../../service/quotas.ts';
import { invalidRequest } from '../errors.ts';
import { renderGateway } from '../render/gateway.ts';
import { route } from '../route.ts';
import { validateUpdateGateway } from '../schemas/gateway.ts';
import { parseJsonBody } from '../schemas/validate.ts';

export default route({
  method: 'PUT',
  url: '/vpn-gateways/:vgw_id',
  status: 200,
  async handle({ ctx, params, body }, services) {
    const input = validateUpdateGateway(parseJsonBody(body)).vpn_gateway;
    const current = await services.gateways.get(ctx, params.vgw_id);
    if (input.local_subnets !== undefined && current.attachmentType !== 'vpc') {
      throw invalidRequest('vpn_gateway.local_subnets can be set only when attachment_type is vpc');
    }
    const gateway = await services.gateways.update(ctx, current.id, { name: input.name, localSubnets: input.local_subnets });
    const usage = await connectionUsageByGateway(services, ctx, gateway.id);
    return { vpn_gateway: renderGateway(gateway, usage.get(gateway.id) ?? NO_CONNECTIONS) };
  },
});
