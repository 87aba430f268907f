// What the VPN gateway and the customer device of a tunnel intent would negotiate, decided
// without timers or I/O: the same intent and options always give the same outcome and log.
//
//   device initiates but never does / is unreachable  -> NONE (nothing happens)
//   gateway initiates, device unreachable              -> TIMEOUT after N retransmits
//   no IKE version in common                           -> NO_PROPOSAL_CHOSEN (phase 1)
//   otherwise                                          -> IKEv2 (ikev2.ts) or IKEv1 (ikev1.ts)
import type { IkeVersion } from '../../../domain/algorithms.ts';
import type { TunnelIntent } from '../../driver.ts';
import { runIkeV1 } from './ikev1.ts';
import { runIkeV2 } from './ikev2.ts';
import { Transcript, type NegotiateOptions, type NegotiationOutcome } from './outcome.ts';
import { devicePeer, gatewayPeer, type Peer } from './peers.ts';

/** charon's default retransmit_tries. */
export const DEFAULT_RETRANSMITS = 5;

/**
 * Both peers must allow the version. IKEv2 wins when both allow it, unless the initiator lists
 * IKEv1 first: an initiator that prefers IKEv1 starts with Main/Aggressive Mode, and a responder
 * that allows IKEv1 answers it.
 */
export function chooseIkeVersion(initiator: readonly IkeVersion[], responder: readonly IkeVersion[]): IkeVersion | null {
  const shared = (v: IkeVersion): boolean => initiator.includes(v) && responder.includes(v);
  if (initiator[0] === 'v1' && shared('v1')) return 'v1';
  if (shared('v2')) return 'v2';
  if (shared('v1')) return 'v1';
  return null;
}

function versions(peer: Peer): string {
  return peer.versions.length === 0 ? 'none' : peer.versions.join(' or ');
}

function timeout(intent: TunnelIntent, gateway: Peer, device: Peer, t: Transcript, retransmits: number): NegotiationOutcome {
  const version = gateway.versions[0] ?? 'v2';
  const first =
    version === 'v2'
      ? ['IKE_SA', 'IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(CHILDLESS_IKEV2_SUP) ]']
      : gateway.phase1Mode === 'main'
        ? ['Main Mode IKE_SA', 'ID_PROT request 0 [ SA V V V ]']
        : ['Aggressive Mode IKE_SA', 'AGGRESSIVE request 0 [ SA KE No ID V V V ]'];
  t.add('gateway', `initiating ${first[0]} ${intent.tunnelId}[1] to ${device.address}`);
  t.add('gateway', `sending ${first[1]}`);
  for (let n = 1; n <= retransmits; n++) t.add('gateway', `retransmit ${n} of request with message ID 0`);
  t.add('gateway', `giving up after ${retransmits} retransmits`);
  t.add('gateway', 'establishing IKE_SA failed, peer not responding');
  return t.fail('TIMEOUT', 1, `no response from peer after ${retransmits} retransmits`);
}

export function negotiate(intent: TunnelIntent, opts: NegotiateOptions): NegotiationOutcome {
  const t = new Transcript();
  const gateway = gatewayPeer(intent);
  const device = devicePeer(intent, gateway);
  const [initiator, responder] = opts.initiator === 'gateway' ? [gateway, device] : [device, gateway];

  if (initiator === device && !device.initiates) {
    t.add('device', 'not initiating: configured to wait for the peer');
    return t.idle('device does not initiate (initiates: false); nothing happens until the gateway initiates');
  }
  if (!device.reachable) {
    if (initiator === gateway) return timeout(intent, gateway, device, t, opts.retransmits ?? DEFAULT_RETRANSMITS);
    t.add('device', `initiating IKE_SA ${intent.tunnelId}[1] to ${gateway.address}, but nothing reaches the gateway`);
    return t.idle('device is unreachable; none of its requests reach the gateway');
  }

  const version = chooseIkeVersion(initiator.versions, responder.versions);
  const allowed = `${initiator.role} allows ${versions(initiator)}, ${responder.role} allows ${versions(responder)}`;
  if (version === null) {
    t.add(initiator.role, `no IKE version in common (${allowed})`);
    return t.fail('NO_PROPOSAL_CHOSEN', 1, `no common IKE version (${allowed})`);
  }
  t.add(initiator.role, `using IKE${version} (${allowed})`);
  const exchange = { intent, initiator, responder, gateway, device, t, keRetries: opts.keRetries ?? 1 };
  return version === 'v2' ? runIkeV2(exchange) : runIkeV1(exchange);
}
