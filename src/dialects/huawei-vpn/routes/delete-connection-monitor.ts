// DELETE /v5/{project_id}/connection-monitors/{connection_monitor_id} — listed in https://support.huaweicloud.com/intl/en-us/api-vpn/vpn_api_0118.html
import { route } from '../route.ts';

export default route({
  method: 'DELETE',
  url: '/connection-monitors/:connection_monitor_id',
  status: 204,
  async handle({ ctx, params }, services) {
    await services.monitors.delete(ctx, params.connection_monitor_id);
    return undefined;
  },
});
