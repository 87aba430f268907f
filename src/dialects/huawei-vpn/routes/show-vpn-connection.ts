// GET /v5/{project_id}/vpn-connection/{vpn_connection_id} — the seed document 003_1063d6853a9a2e82
import { renderConnection } from '../render/connection.ts';
import { route } from '../route.ts';

export default route({
  method: 'GET',
  url: '/vpn-connection/:vpn_connection_id',
  status: 200,
  async handle({ ctx, params }, services) {
    const connection = await services.connections.get(ctx, params.vpn_connection_id);
    return { vpn_connection: renderConnection(connection) };
  },
});
