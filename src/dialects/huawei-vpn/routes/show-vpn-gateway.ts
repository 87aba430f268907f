// GET /v5/{project_id}/vpn-gateways/{vgw_id} — https://support.huaweicloud.com/intl/en-us/api-vpn/ShowVgw.html
import { connectionUsageByGateway, NO_CONNECTIONS } from '../../../service/quotas.ts';
import { renderGateway } from '../render/gateway.ts';
import { route } from '../route.ts';

export default route({
  method: 'GET',
  url: '/vpn-gateways/:vgw_id',
  status: 200,
  async handle({ ctx, params }, services) {
    const gateway = await services.gateways.get(ctx, params.vgw_id);
    const usage = await connectionUsageByGateway(services, ctx, gateway.id);
    return { vpn_gateway: renderGateway(gateway, usage.get(gateway.id) ?? NO_CONNECTIONS) };
  },
});
