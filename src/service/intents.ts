// Turns a stored connection into the per-tunnel intents the data plane negotiates.

import type { TunnelIntent } from '../dataplane/driver.ts';
import type { CustomerGateway, DeviceProfile, Tunnel, VpnConnection, VpnGateway } from '../domain/entities.ts';
import type { Store } from '../store/store.ts';
import { authorize, type RequestContext } from './context.ts';
import { connectionOf, customerGatewayOf, gatewayOf } from './scoped.ts';
import { checkDeviceProfile } from './validation.ts';

export interface TunnelIntentView {
  tunnel: Tunnel;
  intent: TunnelIntent;
}

/**
 * The intents the data plane holds for a connection's tunnels, or, with `device`, the intents
 * it would hold with that device profile (null: with no profile at all). Nothing is changed.
 */
export async function connectionIntents(
  store: Store,
  ctx: RequestContext,
  connectionId: string,
  device?: DeviceProfile | null,
): Promise<{ connection: VpnConnection; tunnels: TunnelIntentView[] }> {
  authorize(ctx, 'read', 'DescribeVpnConnections');
  const connection = await connectionOf(store, ctx, connectionId);
  const gateway = await gatewayOf(store, ctx, connection.vgwId);
  let cgw = await customerGatewayOf(store, ctx, connection.cgwId);
  if (device !== undefined) {
    if (device) checkDeviceProfile(device);
    cgw = { ...cgw, deviceProfile: device ?? undefined };
  }
  const tunnels = connection.tunnels.map((tunnel) => ({ tunnel, intent: tunnelIntent(connection, tunnel, gateway, cgw) }));
  return { connection, tunnels };
}

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
