// The two simulated IKE peers, each seen as a strongSwan-like configuration.
//
// The gateway comes from the tunnel's config (ike/ipsec policies, PSK, `intent.local` identity).
// The device comes from `intent.device`; every field the profile leaves out mirrors the gateway
// (PSK, identities, phase-1 mode, subnets), and without a profile the device mirrors the gateway
// entirely, so it accepts whatever the gateway offers first.
import type { IkeVersion } from '../../../domain/algorithms.ts';
import type { DeviceProfile } from '../../../domain/entities.ts';
import type { TunnelIntent } from '../../driver.ts';
import type { NegotiationSuccess, Role, Transcript } from './outcome.ts';
import { espProposals, ikeProposals, type Preference, type Proposal, type Selected, toNegotiated } from './proposals.ts';
import { deviceSelectors, formatSelectors, gatewaySelectors, type SelectorSide, type TsAgreement } from './selectors.ts';

/**
 * A device profile as the simulator reads it. `gatewayId` (the identity the device expects the
 * VPN gateway to present) is not in the domain's DeviceProfile yet; when absent the device
 * expects the gateway's own id.
 */
export type SimulatedDeviceProfile = DeviceProfile & {
  gatewayId?: string;
  /** As a responder, pick by its own configured order (default, like charon) or by the offer's. */
  proposalPreference?: Preference;
};

export interface Peer {
  role: Role;
  address: string;
  /** Allowed IKE versions in preference order. */
  versions: IkeVersion[];
  phase1Mode: 'main' | 'aggressive';
  ike: Proposal[];
  esp: Proposal[];
  psk: string;
  /** The identity this peer presents. */
  id: string;
  /** The identity this peer requires of the other. */
  expectsPeerId: string;
  selectors: SelectorSide;
  initiates: boolean;
  reachable: boolean;
  /** Whose order decides when this peer responds (the gateway is charon: its own). */
  prefer: Preference;
}

/** One negotiation in progress: who initiates, and the shared transcript. */
export interface Exchange {
  intent: TunnelIntent;
  initiator: Peer;
  responder: Peer;
  gateway: Peer;
  device: Peer;
  t: Transcript;
  keRetries: number;
  /**
   * IKEv2: the first CHILD_SA rides in IKE_AUTH without a key exchange (no PFS group) unless the
   * initiator goes childless (the strongSwan driver does when it initiates with PFS) or this is
   * a CHILD_SA rekey (CREATE_CHILD_SA with KE).
   */
  childInAuth: boolean;
}

export function gatewayPeer(intent: TunnelIntent): Peer {
  const { ike, ipsec, psk } = intent.config;
  return {
    role: 'gateway',
    address: intent.local.address,
    versions: [...ike.versions],
    phase1Mode: ike.phase1Mode,
    ike: ikeProposals([{ encryption: ike.encryption, integrity: ike.integrity, dhGroups: ike.dhGroups }]),
    esp: espProposals([{ encryption: ipsec.encryption, integrity: ipsec.integrity, pfsGroups: ipsec.pfsGroups }]),
    psk,
    id: intent.local.id,
    expectsPeerId: intent.remote.id,
    selectors: gatewaySelectors(intent),
    initiates: true,
    reachable: true,
    prefer: 'responder',
  };
}

export function devicePeer(intent: TunnelIntent, gateway: Peer): Peer {
  const profile: SimulatedDeviceProfile | undefined = intent.device;
  const selectors = deviceSelectors(intent, gateway.selectors);
  if (!profile) {
    return {
      ...gateway,
      role: 'device',
      address: intent.remote.address,
      id: gateway.expectsPeerId,
      expectsPeerId: gateway.id,
      selectors,
    };
  }
  return {
    role: 'device',
    address: intent.remote.address,
    versions: [...profile.ikeVersions],
    phase1Mode: profile.phase1Mode ?? gateway.phase1Mode,
    ike: ikeProposals(profile.ikeProposals),
    esp: espProposals(profile.espProposals),
    psk: profile.psk ?? gateway.psk,
    id: profile.idValue ?? gateway.expectsPeerId,
    expectsPeerId: profile.gatewayId ?? gateway.id,
    selectors,
    initiates: profile.initiates,
    reachable: profile.reachable,
    prefer: profile.proposalPreference ?? 'responder',
  };
}

/** Identities compare exactly for IP addresses and case-insensitively for FQDNs. */
export function sameIdentity(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The reason for an identity check that fails, or null when `presenter` is who `expecter` wants. */
export function identityMismatch(expecter: Peer, presenter: Peer): string | null {
  if (sameIdentity(expecter.expectsPeerId, presenter.id)) return null;
  return `identity mismatch (${expecter.role} expects peer id ${expecter.expectsPeerId}, ${presenter.role} presents ${presenter.id})`;
}

export const PSK_MISMATCH = 'pre-shared key mismatch (gateway and device hold different keys)';

/** Selectors seen from one peer, given the gateway's view. */
export function selectorsOf(role: 'gateway' | 'device', gatewayView: SelectorSide): SelectorSide {
  return role === 'gateway' ? gatewayView : { local: gatewayView.remote, remote: gatewayView.local };
}

/** Both peers log the CHILD_SA and the outcome carries the agreed selectors (gateway view). */
export function succeed(x: Exchange, version: 'v1' | 'v2', phase1: Selected, phase2: Selected, agreed: TsAgreement): NegotiationSuccess {
  if (!agreed.ok) throw new Error('succeed() needs agreed traffic selectors');
  const { initiator: I, responder: R, t, intent } = x;
  const gatewayView = { local: agreed.local, remote: agreed.remote };
  const initiatorView = selectorsOf(I.role, gatewayView);
  if (initiatorView.local.join() !== I.selectors.local.join() || initiatorView.remote.join() !== I.selectors.remote.join()) {
    t.add(R.role, `narrowed traffic selectors to ${formatSelectors(selectorsOf(R.role, gatewayView))}`);
  }
  for (const peer of [R, I]) {
    t.add(peer.role, `CHILD_SA ${intent.tunnelId}{1} established with TS ${formatSelectors(selectorsOf(peer.role, gatewayView))}`);
  }
  return { ok: true, params: toNegotiated(version, phase1, phase2), selectors: gatewayView, narrowed: agreed.narrowed, log: t.lines };
}
