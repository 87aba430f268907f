// PUT /v5/{project_id}/vpn-connection/{vpn_connection_id} — https://support.huaweicloud.com/intl/en-us/api-vpn/UpdateVpnConnection.html
import type { TunnelConfig } from '../../../domain/entities.ts';
import { applyIkePolicy, applyIpsecPolicy, checkPsk } from '../policies.ts';
import { renderConnection } from '../render/connection.ts';
import { route } from '../route.ts';
import { validateUpdateConnection } from '../schemas/connection.ts';
import { parseJsonBody } from '../schemas/validate.ts';
import { fromPolicyRules } from './connection-input.ts';
import { tunnelAddresses } from './create-vpn-connection.ts';

export default route({
  method: 'PUT',
  url: '/vpn-connection/:vpn_connection_id',
  status: 200,
  async handle({ ctx, params, body }, services) {
    const input = validateUpdateConnection(parseJsonBody(body)).vpn_connection;
    if (input.psk !== undefined) checkPsk(input.psk);
    const current = await services.connections.get(ctx, params.vpn_connection_id);
    const tunnel = current.tunnels[0];
    const changes: Partial<TunnelConfig> = {};
    if (input.psk !== undefined) changes.psk = input.psk;
    if (input.ikepolicy) changes.ike = applyIkePolicy(tunnel.ike, input.ikepolicy, 'vpn_connection.ikepolicy');
    if (input.ipsecpolicy) changes.ipsec = applyIpsecPolicy(tunnel.ipsec, input.ipsecpolicy);
    if (input.tunnel_local_address !== undefined || input.tunnel_peer_address !== undefined) {
      const addresses = tunnelAddresses(
        current.style,
        input.tunnel_local_address ?? tunnel.tunnelLocalAddress,
        input.tunnel_peer_address ?? tunnel.tunnelPeerAddress,
      );
      changes.tunnelLocalAddress = addresses.local;
      changes.tunnelPeerAddress = addresses.peer;
    }
    const connection = await services.connections.update(ctx, current.id, {
      name: input.name,
      cgwId: input.cgw_id,
      peerSubnets: input.peer_subnets,
      enableNqa: input.enable_nqa,
      policyRules: fromPolicyRules(input.policy_rules),
      tunnels: Object.keys(changes).length > 0 ? [{ index: tunnel.index, changes }] : undefined,
    });
    return { vpn_connection: renderConnection(connection) };
  },
});
