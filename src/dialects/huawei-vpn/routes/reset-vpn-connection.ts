// POST /v5/{project_id}/vpn-connection/{vpn_connection_id}/reset — https://support.huaweicloud.com/intl/en-us/api-vpn/vpn_api_0156.html
// Tears the tunnel's SAs down and negotiates again: status PENDING_UPDATE, then ACTIVE (or ERROR/DOWN).
import { route } from '../route.ts';

export default route({
  method: 'POST',
  url: '/vpn-connection/:vpn_connection_id/reset',
  status: 200,
  async handle({ ctx, params }, services) {
    await services.connections.renegotiate(ctx, params.vpn_connection_id);
    return {};
  },
});
