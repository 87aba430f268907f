// POST /v5/{project_id}/connection-monitors — https://support.huaweicloud.com/intl/en-us/api-vpn/vpn_api_0033.html
import { renderCreatedMonitor } from '../render/monitor.ts';
import { route } from '../route.ts';
import { validateCreateMonitor } from '../schemas/monitor.ts';
import { parseJsonBody } from '../schemas/validate.ts';

export default route({
  method: 'POST',
  url: '/connection-monitors',
  status: 201,
  async handle({ ctx, body }, services) {
    const input = validateCreateMonitor(parseJsonBody(body)).connection_monitor;
    const view = await services.monitors.create(ctx, input.vpn_connection_id);
    return { connection_monitor: renderCreatedMonitor(view) };
  },
});
