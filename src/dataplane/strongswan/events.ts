// The DataplaneEvents the strongSwan driver emits, shaped like the simulated driver's so that the
// dialects render both alike. Everything in them comes from charon: list-sas for the negotiated
// values, its log for the reasons.
//
//   kind                observation                                   when
//   ike-up              available  UP    negotiated, selectors        an SA pair is installed (or kept)
//   ike-rekey           available  UP    (new) negotiated             the IKE_SA was rekeyed
//   child-rekey         available  UP    (new) phase 2                the CHILD_SA was rekeyed
//   rekey-failed        available  UP    "CHILD_SA rekey failed ..."  a CHILD_SA rekey was refused; charon keeps the
//                                                                     old CHILD_SA until it expires and retries
//   rekey-failed        available  UP    "IKE_SA rekey failed ..."    an IKEv2 IKE_SA rekey was refused; charon keeps
//                                                                     both SAs until the IKE_SA's lifetime ends, retrying
//   negotiation-failed  failed     DOWN  "phase N NOTIFY: ..."        NO_PROPOSAL_CHOSEN, AUTHENTICATION_FAILED, TS_UNACCEPTABLE
//   rekey-failed        failed     DOWN  "phase 2 NOTIFY: ..."        the CHILD_SA expired and charon could not make it anew
//   rekey-failed        failed     DOWN  "phase 1 NOTIFY: ..."        an IKEv1 reauthentication failed (the CHILD_SA went
//                                                                     with it), or the IKE_SA expired after refused rekeys
//   peer-timeout        available  DOWN  "peer did not respond: ..."  the initiator gave up retransmitting
//   dpd-timeout         available  DOWN  "DPD timeout: peer ..."      dead peer detection gave up
//   ike-down            available  DOWN  "peer ... deleted ..."       the peer closed the SAs
//   waiting-for-peer    available  DOWN  "waiting for peer ..."       startup action add, no SA
//   negotiation-failed  failed     DOWN  "charon refused ..."         load-conn / load-shared answered an error
//   negotiation-failed  failed     DOWN  "outside IP ... is not ..."  charon shares our netns and lacks the address
//   dataplane-unreachable available DOWN "strongSwan (VICI ...) is not reachable"
import type { DataplaneEvent, TunnelIntent } from '../driver.ts';
import { charonTransforms } from './charon-names.ts';
import type { Outcome } from './sa-log.ts';
import { type ChildSaView, type IkeSaView, negotiatedOf } from './sa-parse.ts';

export type Observation = DataplaneEvent['observation'];

function event(intent: TunnelIntent, at: number, kind: string, detail: string, observation: Observation, log?: string[]): DataplaneEvent {
  const e: DataplaneEvent = { tunnelId: intent.tunnelId, generation: intent.generation, at, observation, kind, detail };
  if (log && log.length > 0) e.log = log;
  return e;
}

export type UpKind = 'ike-up' | 'ike-rekey' | 'child-rekey';

/** The SA pair list-sas shows as installed; `kept` when it predates this driver (a restart). */
export function upEvent(
  intent: TunnelIntent,
  at: number,
  kind: UpKind,
  ike: IkeSaView,
  child: ChildSaView,
  log: string[],
  kept = false,
): DataplaneEvent {
  const parsed = negotiatedOf(ike, child);
  const establishedAt = new Date(at - (ike.established ?? 0) * 1000).toISOString();
  const selectors = { local: child.localTs, remote: child.remoteTs };
  const observation: Observation = {
    provisioning: 'available',
    ikeStatus: 'UP',
    statusMessage: parsed.ok ? '' : parsed.reason,
    selectors,
    establishedAt,
  };
  if (parsed.ok) observation.negotiated = parsed.params;
  const sa = `IKE${ike.version} SA ${ike.name}[${ike.uniqueId}]`;
  const ts = `${child.localTs.join(',')} === ${child.remoteTs.join(',')}`;
  const p1 = parsed.ok ? charonTransforms(parsed.params.phase1) : parsed.reason;
  const p2 = parsed.ok ? charonTransforms(parsed.params.phase2) : '';
  const peer = ike.remoteHost;
  const detail =
    kind === 'child-rekey'
      ? `CHILD_SA rekeyed with ${peer}: ${p2}, ${ts}`
      : kind === 'ike-rekey'
        ? `${sa} rekeyed with ${peer}: ${p1}, CHILD_SA ${ts}`
        : kept
          ? `${sa} with ${peer} kept (established ${ike.established ?? 0} s ago): ${p1}, CHILD_SA ${p2} ${ts}`
          : `${sa} established with ${peer}: ${p1}, CHILD_SA ${p2} ${ts}`;
  return event(intent, at, kind, detail, observation, log);
}

/**
 * A refused rekey: the current CHILD_SA (a CHILD_SA rekey) or both SAs (an IKEv2 IKE rekey) are
 * still installed. Worded as the simulated data plane words it (simulated/engine/events.ts), so
 * that both read alike.
 */
export function keptEvent(
  kept: 'child' | 'ike',
  intent: TunnelIntent,
  at: number,
  ike: IkeSaView,
  child: ChildSaView,
  o: Outcome,
  retryS: number | null,
  log: string[],
): DataplaneEvent {
  const up = upEvent(intent, at, kept === 'child' ? 'child-rekey' : 'ike-rekey', ike, child, log);
  const retry = retryS === null ? 'charon retries' : `charon retries in ${retryS} s`;
  const [what, stays] =
    kept === 'child'
      ? ['CHILD_SA rekey', 'the current CHILD_SA stays installed until it expires']
      : ['IKE rekey', 'the current IKE_SA and CHILD_SA stay up until the IKE_SA expires'];
  const detail = `${what} with ${ike.remoteHost} failed: ${o.reason}; ${stays}, ${retry}`;
  const statusMessage = `${kept === 'child' ? 'CHILD_SA' : 'IKE_SA'} rekey failed (${o.reason}); ${stays}`;
  return { ...up, kind: 'rekey-failed', detail, observation: { ...up.observation, statusMessage } };
}

function down(statusMessage: string, reason?: string): Observation {
  return reason === undefined
    ? { provisioning: 'available', ikeStatus: 'DOWN', statusMessage }
    : { provisioning: 'failed', provisioningReason: reason, ikeStatus: 'DOWN', statusMessage };
}

/** What charon's log said ended the negotiation or the SA; `next` says what happens now. */
export function outcomeEvent(intent: TunnelIntent, at: number, o: Outcome, next: string): DataplaneEvent {
  const peer = intent.remote.address;
  const log = o.lines.map((l) => `gateway: ${l}`);
  const tail = next ? `; ${next}` : '';
  switch (o.kind) {
    case 'failure':
      // A CHILD_SA that reached its hard lifetime (after refused rekeys) and could not be made anew.
      if (o.lines.some((l) => l === 'scheduling CHILD_SA recreate after hard expire')) {
        return event(intent, at, 'rekey-failed', `CHILD_SA rekey with ${peer} failed: ${o.reason}${tail}`, down(o.reason, o.reason), log);
      }
      // An IKEv1 reauthentication that failed, or an IKE_SA that expired after refused rekeys.
      if (o.ikeRekey) {
        return event(intent, at, 'rekey-failed', `IKE rekey with ${peer} failed: ${o.reason}${tail}`, down(o.reason, o.reason), log);
      }
      return event(
        intent,
        at,
        'negotiation-failed',
        `IKE negotiation with ${peer} failed: ${o.reason}${tail}`,
        down(o.reason, o.reason),
        log,
      );
    case 'timeout':
      return event(intent, at, 'peer-timeout', `IKE negotiation with ${peer}: ${o.reason}${tail}`, down(o.reason), log);
    case 'dpd':
      return event(intent, at, 'dpd-timeout', `${o.reason}; action ${intent.config.ike.dpd.action}${tail}`, down(o.reason), log);
    case 'deleted':
      return event(intent, at, 'ike-down', `${o.reason}${tail}`, down(o.reason), log);
  }
}

/** The outside IP is not an address of charon's host (checked only where that is reliable: host-check.ts). */
export function notOnHostEvent(intent: TunnelIntent, at: number, problem: string): DataplaneEvent {
  return event(intent, at, 'negotiation-failed', problem, down(problem, problem));
}

/** charon answered load-conn / load-shared with an error: the configuration cannot be used. */
export function refusedEvent(intent: TunnelIntent, at: number, command: string, errmsg: string): DataplaneEvent {
  const reason = `charon refused the configuration (${command}): ${errmsg || 'no reason given'}`;
  return event(intent, at, 'negotiation-failed', reason, down(reason, reason));
}

export function waitingEvent(intent: TunnelIntent, at: number): DataplaneEvent {
  const message = `waiting for peer ${intent.remote.address} to initiate (startup action ${intent.config.startupAction})`;
  return event(intent, at, 'waiting-for-peer', 'no SA; the gateway does not initiate', down(message));
}

export function unreachableEvent(intent: TunnelIntent, at: number, uri: string, why: string): DataplaneEvent {
  const message = `strongSwan (VICI ${uri}) is not reachable`;
  return event(intent, at, 'dataplane-unreachable', `${message}: ${why}`, down(message));
}
