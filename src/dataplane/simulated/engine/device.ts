// The customer device as the engine hands it to negotiate(): the intent's profile, with the
// reachability a fault may override, and, for a CHILD_SA rekey, phase 1 pinned to the IKE_SA
// that already exists (a CREATE_CHILD_SA runs inside it, so only phase 2 is negotiated anew).
import type { DeviceProfile, NegotiatedParameters } from '../../../domain/entities.ts';
import type { TunnelIntent } from '../../driver.ts';

/** The gateway initiates with startup action start; otherwise the device is expected to. */
export function gatewayInitiates(intent: TunnelIntent): boolean {
  return intent.config.startupAction === 'start';
}

/** Without a profile the device mirrors the gateway: it initiates and is reachable. */
export function deviceInitiates(intent: TunnelIntent): boolean {
  return intent.device?.initiates ?? true;
}

export function profileReachable(intent: TunnelIntent): boolean {
  return intent.device?.reachable ?? true;
}

/** A profile equivalent to having none: the gateway's own lists, everything else mirrored. */
export function mirrorProfile(intent: TunnelIntent): DeviceProfile {
  const { ike, ipsec } = intent.config;
  return {
    ikeVersions: [...ike.versions],
    ikeProposals: [{ encryption: ike.encryption, integrity: ike.integrity, dhGroups: ike.dhGroups }],
    espProposals: [{ encryption: ipsec.encryption, integrity: ipsec.integrity, pfsGroups: ipsec.pfsGroups }],
    initiates: true,
    reachable: true,
  };
}

/** The intent with the device's reachability as the engine currently sees it. */
export function withReachability(intent: TunnelIntent, reachable: boolean): TunnelIntent {
  if (profileReachable(intent) === reachable) return intent;
  return { ...intent, device: { ...(intent.device ?? mirrorProfile(intent)), reachable } };
}

/**
 * The intent for a CHILD_SA rekey: the device keeps its current ESP proposals and subnets, but
 * its phase-1 side is the established IKE_SA (its version and algorithms; the keys and identities
 * the gateway holds), so a profile change to IKE proposals, PSK or identity waits for the IKE rekey.
 */
export function pinnedToIkeSa(intent: TunnelIntent, sa: NegotiatedParameters): TunnelIntent {
  const { phase1 } = sa;
  const device: DeviceProfile = {
    ...(intent.device ?? mirrorProfile(intent)),
    ikeVersions: [sa.ikeVersion],
    ikeProposals: [{ encryption: [phase1.encryption], integrity: [phase1.integrity], dhGroups: [phase1.dhGroup] }],
    psk: intent.config.psk,
    idValue: intent.remote.id,
    gatewayId: intent.local.id,
    phase1Mode: intent.config.ike.phase1Mode,
  };
  return { ...intent, device };
}
