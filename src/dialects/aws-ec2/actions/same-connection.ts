// CreateVpnConnection is idempotent in EC2 ("If you perform the operation more than once, Amazon
// EC2 doesn't return an error"): the same customer gateway and VPN gateway with the same options
// return the connection that already joins them (tags are not compared: a repeated request with
// other tags returns the existing connection unchanged). The same pair with other options is
// refused, since one IKE peer pair cannot carry two connections.
import type { ConnectionStyle, IkePolicy, IpsecPolicy, Tunnel, VpnConnection } from '../../../domain/entities.ts';
import type { RequestContext } from '../../../service/context.ts';
import type { Services } from '../../../service/services.ts';
import { insideCidrOf } from '../../../service/tunnel-defaults.ts';
import { Ec2Error } from '../errors.ts';

export interface RequestedTunnel {
  tunnelLocalAddress: string;
  tunnelPeerAddress: string;
  /** Undefined: generated, so any existing key matches. */
  psk?: string;
  ike: IkePolicy;
  ipsec: IpsecPolicy;
  startupAction: 'add' | 'start';
  /** False when the inside CIDR was chosen at random, so any existing one matches. */
  insideCidrGiven: boolean;
}

export interface RequestedConnection {
  vgwId: string;
  cgwId: string;
  style: ConnectionStyle;
  localNetworkCidr?: string;
  remoteNetworkCidr?: string;
  tunnels: RequestedTunnel[];
}

const ANY = '0.0.0.0/0';

function sameTunnel(t: Tunnel, r: RequestedTunnel): boolean {
  if (r.psk !== undefined && r.psk !== t.psk) return false;
  if (r.insideCidrGiven && (!t.tunnelLocalAddress || insideCidrOf(t.tunnelLocalAddress) !== insideCidrOf(r.tunnelLocalAddress)))
    return false;
  const policy = (x: { ike: IkePolicy; ipsec: IpsecPolicy; startupAction: string }) => {
    const { localId: _l, peerId: _p, ...ike } = x.ike;
    return JSON.stringify([ike, x.ipsec, x.startupAction]);
  };
  return policy(t) === policy(r);
}

function sameOptions(c: VpnConnection, r: RequestedConnection): boolean {
  return (
    c.style === r.style &&
    (c.localNetworkCidr ?? ANY) === (r.localNetworkCidr ?? ANY) &&
    (c.remoteNetworkCidr ?? ANY) === (r.remoteNetworkCidr ?? ANY) &&
    c.tunnels.length === r.tunnels.length &&
    c.tunnels.every((t, i) => sameTunnel(t, r.tunnels[i]))
  );
}

/** The live connection this request repeats, undefined when there is none; EC2's error for a clash. */
export async function existingConnection(
  ctx: RequestContext,
  services: Services,
  r: RequestedConnection,
): Promise<VpnConnection | undefined> {
  const { items } = await services.connections.list(ctx, { vgwId: r.vgwId, cgwId: r.cgwId }, { limit: 1 });
  const existing = items[0];
  if (!existing) return undefined;
  if (sameOptions(existing, r)) return existing;
  throw new Ec2Error(
    'InvalidParameterValue',
    `The VPN connection '${existing.id}' already joins customer gateway '${r.cgwId}' to virtual private gateway '${r.vgwId}' with other options.`,
  );
}
