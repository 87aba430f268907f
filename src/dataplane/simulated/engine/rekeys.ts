// What a rekey the gateway starts negotiates, and what the log says when an SA reaches its hard
// lifetime. An IKE rekey negotiates the IKE_SA alone (IKEv1: reauthenticates) and the CHILD_SA
// moves over unchanged. A CHILD_SA rekey is a CREATE_CHILD_SA with its own key exchange inside
// the existing IKE_SA: PFS is negotiated (and a PFS mismatch shows) here, not in IKE_AUTH.
import type { TunnelIntent } from '../../driver.ts';
import { type CurrentSa, rekeyIkeSa } from '../negotiation/ike-rekey.ts';
import { type NegotiationOutcome, negotiate } from '../negotiation/index.ts';
import { pinnedToIkeSa } from './device.ts';
import { rekeyLog } from './events.ts';

/** The gateway rekeys `current` with the intent's current device profile (reachability applied). */
export function rekeyOutcome(
  stage: 'ike-rekey' | 'child-rekey',
  intent: TunnelIntent,
  current: CurrentSa,
  keRetries: number,
): NegotiationOutcome {
  if (stage === 'ike-rekey') return rekeyIkeSa(intent, current, { keRetries });
  return negotiate(pinnedToIkeSa(intent, current.params), { initiator: 'gateway', keRetries, childRekey: true });
}

/** A CHILD_SA at its hard lifetime: charon closes it and negotiates a new one at once. */
export function childExpiryLog(intent: TunnelIntent, current: CurrentSa, log: string[]): string[] {
  const { local, remote } = current.selectors;
  const closing = `gateway: closing expired CHILD_SA ${intent.tunnelId}{1} with TS ${local.join(',')} === ${remote.join(',')}`;
  return [closing, ...rekeyLog('child-rekey', intent, log).slice(1)];
}

/** An IKE_SA at its hard lifetime after refused rekeys: charon deletes it, its CHILD_SA with it. */
export function ikeExpiryLog(intent: TunnelIntent): string[] {
  const { tunnelId, local, remote } = intent;
  return [
    `gateway: deleting IKE_SA ${tunnelId}[1] between ${local.address}...${remote.address} (its lifetime ended, every rekey was refused)`,
    `gateway: CHILD_SA ${tunnelId}{1} closed with it`,
  ];
}
