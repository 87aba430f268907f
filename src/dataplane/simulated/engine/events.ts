// The DataplaneEvents the engine emits, one builder per outcome, so that what each kind of event
// says about the tunnel (its observation) is decided in one place.
//
//   kind                observation                                   when
//   ike-up              available  UP    negotiated, selectors        an initial negotiation succeeds
//   ike-rekey           available  UP    (new) negotiated, selectors  the IKE_SA was renegotiated
//   child-rekey         available  UP    (new) phase 2, selectors     the CHILD_SA was renegotiated
//   negotiation-failed  failed     DOWN  reason                       NO_PROPOSAL_CHOSEN, AUTH..., TS_..., INVALID_KE
//   rekey-failed        failed     DOWN  reason                       the same, at an IKEv1 reauthentication or the
//                                                                     expiry of a CHILD_SA or IKE_SA whose rekeys were refused
//   rekey-failed        available  UP    "CHILD_SA rekey failed ..."  a CHILD_SA rekey refused: the old one stays
//   rekey-failed        available  UP    "IKE_SA rekey failed ..."    an IKEv2 IKE_SA rekey refused: both SAs stay
//   peer-timeout        available  DOWN  "peer did not respond: ..."  the initiator gave up retransmitting
//   waiting-for-peer    available  DOWN  "waiting for peer ..."       startup action add, the device does not initiate
//   dpd-timeout         available  DOWN  "DPD timeout: peer ..."      dead peer detection gave up (action clear/restart)

import type { DhGroup, Encryption, Integrity } from '../../../domain/algorithms.ts';
import { isAead } from '../../../domain/algorithms.ts';
import type { DpdPolicy } from '../../../domain/entities.ts';
import type { DataplaneEvent, TunnelIntent } from '../../driver.ts';
import type { NegotiationFailure, NegotiationIdle, NegotiationSuccess } from '../negotiation/index.ts';
import { formatSelected } from '../negotiation/proposals.ts';
import { formatSelectors } from '../negotiation/selectors.ts';
import { dpdDelayMs } from './timing.ts';

/** Why the engine negotiated: a first (or repeated) attempt, or one of the two rekeys. */
export type Stage = 'connect' | 'ike-rekey' | 'child-rekey';

const STAGE_LABEL: Record<Stage, string> = {
  connect: 'IKE negotiation',
  'ike-rekey': 'IKE rekey',
  'child-rekey': 'CHILD_SA rekey',
};

/** "AES_CBC_128/HMAC_SHA2_256_128/MODP_3072": charon's names, no PRF, no integrity for AEAD. */
function transforms(encryption: Encryption, integrity: Integrity | undefined, dh: DhGroup | undefined): string {
  const name = formatSelected({ protocol: 'IKE', encryption, integrity: isAead(encryption) ? undefined : integrity, dh: dh ?? 0 });
  return name.slice('IKE:'.length);
}

function event(
  intent: TunnelIntent,
  at: number,
  kind: string,
  detail: string,
  observation: DataplaneEvent['observation'],
  log?: string[],
): DataplaneEvent {
  const e: DataplaneEvent = { tunnelId: intent.tunnelId, generation: intent.generation, at, observation, kind, detail };
  if (log !== undefined) e.log = log;
  return e;
}

function down(statusMessage: string, reason?: string): DataplaneEvent['observation'] {
  return reason === undefined
    ? { provisioning: 'available', ikeStatus: 'DOWN', statusMessage }
    : { provisioning: 'failed', provisioningReason: reason, ikeStatus: 'DOWN', statusMessage };
}

/** Both SAs are up, first time or after a rekey; `establishedAt` is when the IKE_SA was set up. */
export function upEvent(
  intent: TunnelIntent,
  at: number,
  stage: Stage,
  s: NegotiationSuccess,
  establishedAt: number,
  log: string[],
): DataplaneEvent {
  const { params, selectors } = s;
  const peer = intent.remote.address;
  const ts = formatSelectors(selectors);
  const ike = `IKE${params.ikeVersion} SA`;
  const p1 = transforms(params.phase1.encryption, params.phase1.integrity, params.phase1.dhGroup);
  const detail =
    stage === 'connect'
      ? `${ike} established with ${peer}: ${p1}, CHILD_SA ${ts}`
      : stage === 'ike-rekey'
        ? `${ike} rekeyed with ${peer}: ${p1}, CHILD_SA ${ts}`
        : `CHILD_SA rekeyed with ${peer}: ${transforms(params.phase2.encryption, params.phase2.integrity, params.phase2.dhGroup)}, ${ts}`;
  const observation: DataplaneEvent['observation'] = {
    provisioning: 'available',
    ikeStatus: 'UP',
    statusMessage: '',
    negotiated: params,
    selectors,
    establishedAt: new Date(establishedAt).toISOString(),
  };
  return event(intent, at, stage === 'connect' ? 'ike-up' : stage, detail, observation, log);
}

/** A failed exchange; `next` says what happens now (e.g. "retrying in 30 s"). */
export function failureEvent(
  intent: TunnelIntent,
  at: number,
  stage: Stage,
  f: NegotiationFailure,
  next: string,
  log: string[],
): DataplaneEvent {
  const label = `${STAGE_LABEL[stage]} with ${intent.remote.address}`;
  if (f.notify === 'TIMEOUT') {
    const message = `peer did not respond: ${f.reason}`;
    return event(intent, at, 'peer-timeout', `${label}: ${message}; ${next}`, down(message), log);
  }
  const kind = stage === 'connect' ? 'negotiation-failed' : 'rekey-failed';
  return event(intent, at, kind, `${label} failed: ${f.reason}; ${next}`, down(f.reason, f.reason), log);
}

/** Startup action add and the device does not (or cannot) initiate. */
export function waitingEvent(intent: TunnelIntent, at: number, idle: NegotiationIdle): DataplaneEvent {
  const message = `waiting for peer ${intent.remote.address} to initiate (startup action ${intent.config.startupAction})`;
  return event(intent, at, 'waiting-for-peer', `not initiating: ${idle.reason}`, down(message), idle.log);
}

/** Dead peer detection gave up on the peer (or a fault said so) and applied the DPD action. */
export function dpdEvent(intent: TunnelIntent, at: number, dpd: DpdPolicy, forced: boolean): DataplaneEvent {
  const peer = intent.remote.address;
  const why = forced
    ? 'forced by an injected dpd-timeout fault'
    : `no answer for ${dpdDelayMs(dpd) / 1000} s (interval ${dpd.intervalSeconds} s + timeout ${dpd.timeoutSeconds} s)`;
  const then = dpd.action === 'restart' ? 're-initiating' : 'staying down';
  const log = [
    `gateway: sending DPD request`,
    `gateway: peer ${peer} did not answer, declaring it dead`,
    `gateway: deleting IKE_SA ${intent.tunnelId}[1] between ${intent.local.address}...${peer} (dpd action ${dpd.action})`,
  ];
  if (dpd.action === 'restart') log.push(`gateway: restarting CHILD_SA ${intent.tunnelId}{1}`);
  const detail = `DPD timeout: ${why}; action ${dpd.action}, ${then}`;
  return event(intent, at, 'dpd-timeout', detail, down(`DPD timeout: peer ${peer} not responding`), log);
}

/** Which SA a refused rekey leaves in place, and what stays up meanwhile. */
export type KeptSa = 'child' | 'ike';

/**
 * The statusMessage while a refused rekey leaves the current SA installed (a CHILD_SA rekey: the
 * CHILD_SA; an IKEv2 IKE_SA rekey: the IKE_SA and its CHILD_SA). The strongSwan driver words it
 * the same (its events.ts), so both data planes read alike.
 */
export function keptMessage(kept: KeptSa, reason: string): string {
  return kept === 'child'
    ? `CHILD_SA rekey failed (${reason}); the current CHILD_SA stays installed until it expires`
    : `IKE_SA rekey failed (${reason}); the current IKE_SA and CHILD_SA stay up until the IKE_SA expires`;
}

/** A rekey was refused: still UP on the current SAs, with the reason, retrying. */
export function keptEvent(
  kept: KeptSa,
  intent: TunnelIntent,
  at: number,
  s: NegotiationSuccess,
  establishedAt: number,
  f: NegotiationFailure,
  retryS: number,
  log: string[],
): DataplaneEvent {
  const up = upEvent(intent, at, kept === 'child' ? 'child-rekey' : 'ike-rekey', s, establishedAt, log);
  const message = keptMessage(kept, f.reason);
  const stays = message.slice(message.indexOf('); ') + 3);
  const what = kept === 'child' ? 'CHILD_SA rekey' : 'IKE rekey';
  const detail = `${what} with ${intent.remote.address} failed: ${f.reason}; ${stays}, the gateway retries in ${retryS} s`;
  return { ...up, kind: 'rekey-failed', detail, observation: { ...up.observation, statusMessage: message } };
}

/**
 * The log of a rekey: a line saying which SA is renegotiated, then the exchange. A CHILD_SA rekey
 * keeps only its phase-2 part (from the traffic selector proposal on), since phase 1 is the
 * existing IKE_SA; an IKE rekey's log (ike-rekey.ts) already says what it does.
 */
export function rekeyLog(stage: Stage, intent: TunnelIntent, log: string[]): string[] {
  if (stage === 'connect' || stage === 'ike-rekey') return log;
  const from = log.findIndex((line) => line.includes('proposing traffic selectors'));
  return [`gateway: rekeying CHILD_SA ${intent.tunnelId}{1}`, ...(from < 0 ? log : log.slice(from))];
}
