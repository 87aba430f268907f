// POST /v5/{project_id}/vpn-connection — https://support.huaweicloud.com/intl/en-us/api-vpn/CreateVpnConnection.html
import { insideAddressesOf, insideCidrOf, randomInsideCidr } from '../../../service/tunnel-defaults.ts';
import { invalidRequest } from '../errors.ts';
import { HUAWEI_STYLE } from '../names.ts';
import { applyIkePolicy, applyIpsecPolicy, checkPsk, DEFAULT_IKE_POLICY, DEFAULT_IPSEC_POLICY } from '../policies.ts';
import { renderConnection } from '../render/connection.ts';
import { route } from '../route.ts';
import { validateCreateConnection } from '../schemas/connection.ts';
import { parseJsonBody } from '../schemas/validate.ts';
import { fromPolicyRules } from './connection-input.ts';

export default route({
  method: 'POST',
  url: '/vpn-connection',
  status: 201,
  async handle({ ctx, body }, services) {
    const input = validateCreateConnection(parseJsonBody(body)).vpn_connection;
    const style = HUAWEI_STYLE[(input.style ?? 'policy').toLowerCase()];
    if (input.psk !== undefined) checkPsk(input.psk);
    if ((style === 'policy' || style === 'static') && !input.peer_subnets && !input.policy_rules?.length) {
      throw invalidRequest(`vpn_connection.peer_subnets is required when style is ${style.toUpperCase()}`);
    }
    const addresses = tunnelAddresses(style, input.tunnel_local_address, input.tunnel_peer_address);
    const connection = await services.connections.create(ctx, {
      name: input.name,
      vgwId: input.vgw_id,
      cgwId: input.cgw_id,
      style,
      peerSubnets: input.peer_subnets,
      enableNqa: input.enable_nqa,
      policyRules: fromPolicyRules(input.policy_rules),
      haRole: input.ha_role,
      enterpriseProjectId: input.enterprise_project_id,
      tags: input.tags,
      tunnels: [
        {
          outsideIpRef: input.vgw_ip,
          tunnelLocalAddress: addresses.local,
          tunnelPeerAddress: addresses.peer,
          psk: input.psk,
          ike: applyIkePolicy(DEFAULT_IKE_POLICY, input.ikepolicy, 'vpn_connection.ikepolicy'),
          ipsec: applyIpsecPolicy(DEFAULT_IPSEC_POLICY, input.ipsecpolicy),
          startupAction: 'start',
        },
      ],
    });
    return { vpn_connection: renderConnection(connection) };
  },
});

/** Route-based styles need a /30 for the tunnel interfaces; one is picked when none is given. */
export function tunnelAddresses(style: string, local?: string, peer?: string): { local?: string; peer?: string } {
  if (local === undefined && peer === undefined) {
    if (style !== 'static' && style !== 'bgp') return {};
    return insideAddressesOf(randomInsideCidr());
  }
  if (local === undefined || peer === undefined) {
    throw invalidRequest('vpn_connection.tunnel_local_address and vpn_connection.tunnel_peer_address must be given together');
  }
  if (local === peer || insideCidrOf(local) !== insideCidrOf(peer)) {
    throw invalidRequest(
      'vpn_connection.tunnel_local_address and vpn_connection.tunnel_peer_address must be two different addresses of the same /30',
    );
  }
  return { local, peer };
}
