// GET /sitevpn/v1/projects/{project_id}/vpn-connections/{vpn_connection_id}/history?limit=
// Every transition, rekey and DPD event of the connection's tunnels, oldest first (newest 100 by default).
import { extRoute, limitOf, renderEvent } from '../route.ts';

export default extRoute({
  method: 'GET',
  url: '/vpn-connections/:vpn_connection_id/history',
  status: 200,
  async handle({ ctx, params, query }, { services }) {
    const limit = limitOf(query, 100);
    const events = await services.connections.events(ctx, params.vpn_connection_id, 'history', limit);
    return { vpn_connection_id: params.vpn_connection_id, history: events.map(renderEvent) };
  },
});
