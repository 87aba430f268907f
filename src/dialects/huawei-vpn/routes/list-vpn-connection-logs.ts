// GET /v5/{project_id}/vpn-connection/{vpn_connection_id}/log — https://support.huaweicloud.com/intl/en-us/api-vpn/vpn_api_0145.html
// The negotiation log lines the data plane wrote, newest 100 (or `limit`, a sitevpn addition),
// oldest first; `time` in epoch seconds, raw_message as "<timestamp> host-<a-b-c-d> <process>: <line>".
import { invalidRequest } from '../errors.ts';
import { route, single } from '../route.ts';

export default route({
  method: 'GET',
  url: '/vpn-connection/:vpn_connection_id/log',
  status: 200,
  async handle({ ctx, params, query }, services) {
    const limit = parseLimit(single(query, 'limit'));
    const connection = await services.connections.get(ctx, params.vpn_connection_id);
    const hosts = new Map(connection.tunnels.map((t) => [t.id, `host-${t.outsideIp.replaceAll('.', '-')}`]));
    const lines = await services.connections.events(ctx, connection.id, 'log', limit);
    return {
      logs: lines.map((l) => ({
        time: Math.floor(Date.parse(l.at) / 1000),
        raw_message: `${l.at.replace(/Z$/, '000+00:00')} ${hosts.get(l.tunnelId) ?? 'host'} ipsec_ike: ${l.detail}`,
      })),
    };
  },
});

function parseLimit(value: string | undefined): number {
  if (value === undefined) return 100;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1000) throw invalidRequest('limit must be an integer from 1 to 1000');
  return n;
}
