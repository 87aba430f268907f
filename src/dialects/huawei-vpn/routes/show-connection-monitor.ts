// GET /v5/{project_id}/connection-monitors/{connection_monitor_id} — https://support.huaweicloud.com/intl/en-us/api-vpn/vpn_api_0034.html
import { renderMonitor } from '../render/monitor.ts';
import { route } from '../route.ts';

export default route({
  method: 'GET',
  url: '/connection-monitors/:connection_monitor_id',
  status: 200,
  async handle({ ctx, params }, services) {
    return { connection_monitor: renderMonitor(await services.monitors.get(ctx, params.connection_monitor_id)) };
  },
});
