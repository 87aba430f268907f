// DELETE /v5/{project_id}/vpn-connection/{vpn_connection_id} — https://support.huaweicloud.com/intl/en-us/api-vpn/DeleteVpnConnection.html
import { route } from '../route.ts';

export default route({
  method: 'DELETE',
  url: '/vpn-connection/:vpn_connection_id',
  status: 204,
  async handle({ ctx, params }, services) {
    await services.connections.delete(ctx, params.vpn_connection_id);
    return undefined;
  },
});
