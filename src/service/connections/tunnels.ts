// A connection's tunnels: made from input, checked, and marked for a new negotiation.
import type { CustomerGateway, Tunnel, VpnGateway } from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import type { IdGenerator } from '../../domain/ports.ts';
import { generatePsk } from '../tunnel-defaults.ts';
import { checkIkePolicy, checkIpsecPolicy, checkPskCharacters, checkTunnelAddress } from '../validation.ts';
import type { TunnelInput } from './inputs.ts';

export function newTunnel(
  ids: IdGenerator,
  connectionId: string,
  index: number,
  input: TunnelInput,
  gateway: VpnGateway,
  now: string,
): Tunnel {
  const outside = input.outsideIpRef
    ? gateway.outsideIps.find((ip) => ip.ip === input.outsideIpRef || ip.id === input.outsideIpRef)
    : gateway.outsideIps[index];
  if (!outside) {
    throw DomainError.invalid('vgwIp', `${input.outsideIpRef ?? 'the tunnel outside IP'} is not an IP of VPN gateway ${gateway.id}`);
  }
  const tunnel: Tunnel = {
    id: ids.next('tunnel', 'uuid'),
    connectionId,
    index,
    outsideIpId: outside.id,
    outsideIp: outside.ip,
    tunnelLocalAddress: input.tunnelLocalAddress,
    tunnelPeerAddress: input.tunnelPeerAddress,
    psk: input.psk ?? generatePsk(),
    ike: input.ike,
    ipsec: input.ipsec,
    startupAction: input.startupAction,
    generation: 1,
    observed: { provisioning: 'pending', ikeStatus: 'DOWN', statusMessage: '', lastStatusChange: now, generation: 1 },
  };
  checkTunnel(tunnel);
  return tunnel;
}

export function checkTunnel(t: Tunnel): void {
  checkIkePolicy(t.ike);
  checkIpsecPolicy(t.ipsec);
  if (t.tunnelLocalAddress) checkTunnelAddress('tunnelLocalAddress', t.tunnelLocalAddress);
  if (t.tunnelPeerAddress) checkTunnelAddress('tunnelPeerAddress', t.tunnelPeerAddress);
  if (t.psk.length < 8 || t.psk.length > 128) throw DomainError.invalid('psk', 'the pre-shared key must be 8 to 128 characters');
  checkPskCharacters('psk', t.psk);
}

/** The next config generation, pending until the data plane reports on it. */
export function renegotiating(t: Tunnel, now: string): Tunnel {
  const generation = t.generation + 1;
  return {
    ...t,
    generation,
    observed: { ...t.observed, provisioning: 'pending', provisioningReason: undefined, generation, lastStatusChange: now },
  };
}

/** With id type ip, the identities are the addresses: the gateway IP and the customer gateway's. */
export function withResolvedIds(t: Tunnel, cgw: CustomerGateway): Tunnel {
  const localId = t.ike.localIdType === 'ip' ? t.outsideIp : t.ike.localId;
  const peerId = t.ike.peerIdType === 'ip' ? cgw.idValue : t.ike.peerId;
  return localId === t.ike.localId && peerId === t.ike.peerId ? t : { ...t, ike: { ...t.ike, localId, peerId } };
}

export function configDiffers(a: Tunnel, b: Tunnel): boolean {
  const pick = (t: Tunnel) => [t.outsideIp, t.tunnelLocalAddress, t.tunnelPeerAddress, t.psk, t.ike, t.ipsec, t.startupAction];
  return JSON.stringify(pick(a)) !== JSON.stringify(pick(b));
}
