// GET /v5/{project_id}/vpn-connection/{vpn_connection_id}/ipsec-sa — https://support.huaweicloud.com/api-vpn/vpn_api_0165.html
// One SaInfo per (local, remote) traffic selector pair of every tunnel that is UP, from the
// selectors its CHILD_SA was installed with. The simulated data plane moves no packets, so the
// counters are always 0; collected_at is when this answer was put together.
import { createHash } from 'node:crypto';
import { route } from '../route.ts';

/** A stable UUID-shaped id for a selector pair of a tunnel. */
function saId(tunnelId: string, source: string, dest: string): string {
  const h = createHash('sha256').update(`${tunnelId} ${source} ${dest}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export default route({
  method: 'GET',
  url: '/vpn-connection/:vpn_connection_id/ipsec-sa',
  status: 200,
  async handle({ ctx, params }, services) {
    const connection = await services.connections.get(ctx, params.vpn_connection_id);
    const collectedAt = new Date().toISOString();
    const saInfos: Record<string, unknown>[] = [];
    for (const t of connection.tunnels) {
      const selectors = t.observed.selectors;
      if (t.observed.ikeStatus !== 'UP' || !selectors) continue;
      for (const source of selectors.local) {
        for (const dest of selectors.remote) {
          saInfos.push({
            id: saId(t.id, source, dest),
            source_ip_cidr: source,
            dest_ip_cidr: dest,
            packets_sent: 0,
            packets_recv: 0,
            traffic_sent: 0,
            traffic_recv: 0,
            collected_at: collectedAt,
          });
        }
      }
    }
    return { sa_infos: saInfos };
  },
});
