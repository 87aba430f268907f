// GET /sitevpn/v1/projects/{project_id}/vpn-connections/{vpn_connection_id}/diagnostics
// Per tunnel: what was observed, the negotiated values, the weak ones among them (MD5, SHA-1,
// 3DES, DH groups 1, 2, 5) and where they drift from the operator's first choices.
import { connectionStatus } from '../../../domain/status.ts';
import { renderNegotiated, renderSelectors } from '../render.ts';
import { extRoute } from '../route.ts';

export default extRoute({
  method: 'GET',
  url: '/vpn-connections/:vpn_connection_id/diagnostics',
  status: 200,
  async handle({ ctx, params }, { services }) {
    const { connection, tunnels } = await services.diagnostics.diagnose(ctx, params.vpn_connection_id);
    return {
      vpn_connection_id: connection.id,
      status: connectionStatus(connection),
      tunnels: tunnels.map(({ tunnel, intent, remarks }) => {
        const o = tunnel.observed;
        return {
          tunnel_id: tunnel.id,
          tunnel_index: tunnel.index,
          outside_ip: tunnel.outsideIp,
          peer_address: intent.remote.address,
          ike_status: o.ikeStatus,
          provisioning: o.provisioning,
          reason: o.provisioningReason ?? null,
          status_message: o.statusMessage,
          last_status_change: o.lastStatusChange,
          established_at: o.establishedAt ?? null,
          negotiated: o.negotiated ? renderNegotiated(o.negotiated) : null,
          selectors: renderSelectors(o.selectors),
          weak: remarks.weak,
          drift: remarks.drift,
        };
      }),
    };
  },
});
