// What the driver reports when list-sas shows the tunnel's SA pair installed, and what explains a
// tunnel that was UP and has no SA any more. Both decide from the tunnel's state and charon's
// last outcome alone; the driver reads list-sas and sends the event.
//
//   SA pair installed   new pair or rekey               ike-up / ike-rekey / child-rekey
//                       a phase-2 failure, same CHILD   rekey-failed UP (CHILD_SA rekey refused)
//                       "IKE_SA rekeying failed ..."    rekey-failed UP (IKEv2 IKE rekey refused)
//                       nothing new                     nothing
//   no SA, was UP       a phase-1 failure               an IKEv1 reauthentication that failed
//                       nothing, after the grace        the IKE_SA expired after refused rekeys
import type { DataplaneEvent } from '../driver.ts';
import { keptEvent, upEvent } from './events.ts';
import type { ChildSaView, IkeSaView } from './sa-parse.ts';
import { markUp, type TunnelState, upKind } from './tunnel-state.ts';

export interface UpLook {
  now: number;
  /** The conn was unchanged in charon at this look (its SAs predate the driver). */
  restarted: boolean;
  /** The IKE_SA's log, for the event. */
  lines: string[];
  /** charon's latest "CHILD_SA rekeying failed, trying again in N seconds". */
  childRetryS: number | null;
}

/** The event for an installed SA pair, or null when there is nothing new to say. */
export function upReport(t: TunnelState, ike: IkeSaView, child: ChildSaView, look: UpLook): DataplaneEvent | null {
  const { intent } = t;
  const sameChild = t.last?.up === true && t.last.childId === child.uniqueId;
  const remark = sameChild ? t.last!.message : '';
  const o = sameChild && t.outcome?.kind === 'failure' ? t.outcome : null;
  const keep = o?.phase === 2 ? 'child' : o?.retryS !== undefined && o.ikeId === ike.uniqueId ? 'ike' : null;
  const kind = upKind(t, ike, child);
  if (kind === 'ike-up' || kind === 'ike-rekey') t.ikeRefusal = null;
  markUp(t, ike, child);
  if (o && keep) {
    if (keep === 'ike') t.ikeRefusal = o;
    const retryS = keep === 'ike' ? (o.retryS ?? null) : look.childRetryS;
    const e = keptEvent(keep, intent, look.now, ike, child, o, retryS, look.lines);
    t.last!.message = e.observation.statusMessage;
    return e.observation.statusMessage === remark ? null : e;
  }
  if (kind) return upEvent(intent, look.now, kind, ike, child, look.lines, look.restarted && kind === 'ike-up');
  t.last!.message = remark;
  return null;
}

/**
 * No SA after UP: a phase-1 failure is the IKEv1 reauthentication's (it took the CHILD_SA with
 * it); without a reason after the grace, an IKE_SA whose rekeys were refused has expired.
 */
export function explainDown(t: TunnelState): void {
  const wasUp = t.last?.up === true && t.last.generation === t.intent.generation;
  if (wasUp && t.outcome?.kind === 'failure' && t.outcome.phase === 1) t.outcome = { ...t.outcome, ikeRekey: true };
  else if (wasUp && !t.outcome && t.graced && t.ikeRefusal) t.outcome = { ...t.ikeRefusal, retryS: undefined };
  if (!wasUp) t.ikeRefusal = null;
}
