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
import { type NegotiateOptions, type NegotiationOutcome, Transcript } from './outcome.ts';
import { devicePeer, gatewayPeer, type Peer } from './peers.ts';

/** charon's default retransmit_tries. */
export const DEFAULT_RETRANSMITS = 5;

/**
 * The initiator starts IKEv2 whenever it allows it (charon's `version = 0` does), else IKEv1;
 * the responder answers only a version it allows. There is no fallback to the other version.
 */
export function chooseIkeVersion(initiator: readonly IkeVersion[], responder: readonly IkeVersion[]): IkeVersion | null {
  const started = startedVersion(initiator);
  return started !== null && responder.includes(started) ? started : null;
}

function startedVersion(versions: readonly IkeVersion[]): IkeVersion | null {
  return versions.includes('v2') ? 'v2' : versions.includes('v1') ? 'v1' : null;
}

function versions(peer: Peer): string {
  return peer.versions.length === 0 ? 'none' : peer.versions.join(' or ');
}

function timeout(intent: TunnelIntent, gateway: Peer, device: Peer, t: Transcript, retransmits: number): NegotiationOutcome {
  const version = startedVersion(gateway.versions) ?? 'v2';
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
    const started = startedVersion(initiator.versions);
    if (started === null || !initiator.versions.some((v) => responder.versions.includes(v))) {
      t.add(initiator.role, `no IKE version in common (${allowed})`);
      return t.fail('NO_PROPOSAL_CHOSEN', 1, `no common IKE version (${allowed})`);
    }
    t.add(initiator.role, `initiating IKE${started} (${allowed})`);
    t.add(responder.role, `no IKE config found for ${responder.address}...${initiator.address}, sending NO_PROPOSAL_CHOSEN`);
    t.add(initiator.role, 'received NO_PROPOSAL_CHOSEN notify error');
    return t.fail('NO_PROPOSAL_CHOSEN', 1, `no common IKE version: ${initiator.role} starts IKE${started} (${allowed})`);
  }
  t.add(initiator.role, `using IKE${version} (${allowed})`);
  // The strongSwan driver initiates childless when it has PFS, so that the PFS group is negotiated.
  const childless = initiator === gateway && gateway.esp.some((p) => p.dh.some((g) => g !== 0));
  const childInAuth = !opts.childRekey && !childless;
  const exchange = { intent, initiator, responder, gateway, device, t, keRetries: opts.keRetries ?? 1, childInAuth };
  return version === 'v2' ? runIkeV2(exchange) : runIkeV1(exchange);
}
