// Turns a stored connection into the per-tunnel intents the data plane negotiates.
import type { CustomerGateway, Tunnel, VpnConnection, VpnGateway } from '../domain/entities.ts';
import type { TunnelIntent } from '../dataplane/driver.ts';

const ANY = '0.0.0.0/0';

export function tunnelIntent(connection: VpnConnection, tunnel: Tunnel, gateway: VpnGateway, cgw: CustomerGateway): TunnelIntent {
  const routeBased = connection.style === 'static' || connection.style === 'bgp';
  // Route-based tunnels carry everything unless the connection narrows its selectors. In AWS's
  // terms LocalIpv4NetworkCidr is the customer side and RemoteIpv4NetworkCidr the gateway side.
  const localSubnets = routeBased
    ? [connection.remoteNetworkCidr ?? ANY]
    : connection.policyRules.length > 0
      ? [...new Set(connection.policyRules.map((r) => r.source))]
      : connection.remoteNetworkCidr
        ? [connection.remoteNetworkCidr]
        : gateway.localSubnets.length > 0
          ? gateway.localSubnets
          : [ANY];
  const remoteSubnets = routeBased
    ? [connection.localNetworkCidr ?? ANY]
    : connection.policyRules.length > 0
      ? [...new Set(connection.policyRules.flatMap((r) => r.destinations))]
      : connection.peerSubnets.length > 0
        ? connection.peerSubnets
        : connection.localNetworkCidr
          ? [connection.localNetworkCidr]
          : [ANY];
  const remoteAddress = cgw.idType === 'ip' ? cgw.idValue : '%any';
  return {
    tunnelId: tunnel.id,
    connectionId: connection.id,
    tenantId: connection.tenantId,
    generation: tunnel.generation,
    style: connection.style,
    config: {
      outsideIpId: tunnel.outsideIpId,
      outsideIp: tunnel.outsideIp,
      tunnelLocalAddress: tunnel.tunnelLocalAddress,
      tunnelPeerAddress: tunnel.tunnelPeerAddress,
      psk: tunnel.psk,
      ike: tunnel.ike,
      ipsec: tunnel.ipsec,
      startupAction: tunnel.startupAction,
    },
    local: { address: tunnel.outsideIp, id: localIdOf(tunnel), subnets: localSubnets },
    remote: { address: remoteAddress, id: peerIdOf(tunnel, cgw), subnets: remoteSubnets },
    policyRules: connection.policyRules,
    device: cgw.deviceProfile,
  };
}

export function localIdOf(tunnel: Tunnel): string {
  return tunnel.ike.localId ?? tunnel.outsideIp;
}

export function peerIdOf(tunnel: Tunnel, cgw: CustomerGateway): string {
  return tunnel.ike.peerId ?? cgw.idValue;
}
