// GET /v5/{project_id}/connection-monitors — https://support.huaweicloud.com/intl/en-us/api-vpn/vpn_api_0035.html
import { renderMonitor } from '../render/monitor.ts';
import { route, single } from '../route.ts';

export default route({
  method: 'GET',
  url: '/connection-monitors',
  status: 200,
  async handle({ ctx, query }, services) {
    const views = await services.monitors.list(ctx, single(query, 'vpn_connection_id'));
    return { connection_monitors: views.map(renderMonitor) };
  },
});
