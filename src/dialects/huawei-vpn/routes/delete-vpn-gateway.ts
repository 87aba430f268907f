// DELETE /v5/{project_id}/vpn-gateways/{vgw_id} — https://support.huaweicloud.com/intl/en-us/api-vpn/DeleteVgw.html
import { route } from '../route.ts';

export default route({
  method: 'DELETE',
  url: '/vpn-gateways/:vgw_id',
  status: 204,
  async handle({ ctx, params }, services) {
    await services.gateways.delete(ctx, params.vgw_id);
    return undefined;
  },
});
