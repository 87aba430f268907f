// What the strongSwan driver remembers per tunnel between charon's events, and the small
// decisions made from it: which kind of UP to report, whether a DOWN is news, which tunnel an SA
// without a name belongs to, and when a `start` tunnel tries again.
import type { DataplaneEvent, TunnelIntent } from '../driver.ts';
import type { ConnConfig } from './conn-config.ts';
import type { UpKind } from './events.ts';
import type { Outcome } from './sa-log.ts';
import type { ChildSaView, IkeSaView } from './sa-parse.ts';

export interface LastReport {
  up: boolean;
  message: string;
  generation: number;
  ikeId?: number;
  childId?: number;
  childDh?: string;
}

export interface TunnelState {
  intent: TunnelIntent;
  conn: ConnConfig;
  /** Every VICI job of this tunnel runs in this chain, one after the other. */
  chain: Promise<void>;
  settle: (() => void) | null;
  /** When the pending settle is due (clock ms). */
  settleAt: number;
  retry: (() => void) | null;
  retryDue: boolean;
  /** Initiations since the tunnel was last up (drives the back-off). */
  retries: number;
  last: LastReport | null;
  /** What charon's log said ended the last negotiation or SA, until the tunnel is up again. */
  outcome: Outcome | null;
  /** Why the peer refused the current IKE_SA's rekey (IKEv2): the reason once the IKE_SA expires. */
  ikeRefusal: Outcome | null;
  rekey: UpKind | null;
  /** A childless IKE_SA was initiated; its CHILD_SA follows once it is up. */
  pendingChild: boolean;
  /** Initiate childless (the peer did not refuse RFC 6023 so far). */
  childless: boolean;
  /** A DOWN without a reason waits once more for charon's log. */
  graced: boolean;
  /** IKE_SAs of an older configuration the driver terminated: their news is not the tunnel's. */
  oldIkeIds: Set<number>;
  removed: boolean;
}

export function newTunnelState(intent: TunnelIntent, conn: ConnConfig): TunnelState {
  return {
    intent,
    conn,
    chain: Promise.resolve(),
    settle: null,
    settleAt: 0,
    retry: null,
    retryDue: false,
    retries: 0,
    last: null,
    outcome: null,
    ikeRefusal: null,
    rekey: null,
    pendingChild: false,
    childless: true,
    graced: false,
    oldIkeIds: new Set(),
    removed: false,
  };
}

/** Forget the last negotiation (a new configuration, a reset). */
export function restartState(t: TunnelState): void {
  Object.assign(t, { outcome: null, ikeRefusal: null, retries: 0, retryDue: false, rekey: null, pendingChild: false, graced: false });
}

export function cancelTimers(t: TunnelState): void {
  t.settle?.();
  t.retry?.();
  t.settle = t.retry = null;
}

/** The kind of an UP report for this SA pair, or null when nothing changed since the last one. */
export function upKind(t: TunnelState, ike: IkeSaView, child: ChildSaView): UpKind | null {
  const last = t.last?.up && t.last.generation === t.intent.generation ? t.last : null;
  if (!last) return 'ike-up';
  // A new IKE_SA holding the same CHILD_SA is an IKE rekey: IKEv2 moves the CHILD_SA over, and an
  // IKEv1 reauthentication (no ike-rekey event) adopts it.
  if (last.ikeId !== ike.uniqueId) return t.rekey === 'ike-rekey' || last.childId === child.uniqueId ? 'ike-rekey' : 'ike-up';
  return last.childId !== child.uniqueId || last.childDh !== child.dh ? 'child-rekey' : null;
}

export function markUp(t: TunnelState, ike: IkeSaView, child: ChildSaView): void {
  Object.assign(t, { outcome: null, retries: 0, retryDue: false, rekey: null, graced: false });
  t.retry?.();
  t.retry = null;
  t.last = { up: true, message: '', generation: t.intent.generation, ikeId: ike.uniqueId, childId: child.uniqueId, childDh: child.dh };
}

/** Reports change only: the same DOWN message for the same generation is not news. */
export function isNews(t: TunnelState, e: DataplaneEvent): boolean {
  const { ikeStatus, statusMessage } = e.observation;
  if (ikeStatus !== 'DOWN') return true;
  if (t.last && !t.last.up && t.last.message === statusMessage && t.last.generation === e.generation) return false;
  t.last = { up: false, message: statusMessage, generation: e.generation };
  return true;
}

/** The tunnel an SA belongs to: by conn name, else (an unnamed responder SA) by its addresses. */
export function tunnelOfSa(tunnels: Map<string, TunnelState>, o: Outcome): TunnelState | undefined {
  if (o.name) return tunnels.get(o.name);
  if (!o.local) return undefined;
  const byLocal = [...tunnels.values()].filter((t) => t.intent.local.address === o.local);
  const exact = byLocal.filter((t) => t.intent.remote.address === o.remote);
  if (exact.length === 1) return exact[0];
  const any = byLocal.filter((t) => t.intent.remote.address === '%any');
  return exact.length === 0 && any.length === 1 ? any[0] : undefined;
}

const MAX_RETRY_MS = 600_000;
/** The default first retry after a refusal (a customer who just loaded its configuration waits little). */
export const FIRST_RETRY_MS = 10_000;

/**
 * After a silent peer: every retryMs. After a refusal: firstRetryMs (never more than retryMs),
 * then retryMs doubling up to 10 min. The simulated engine keeps the same schedule (timing.ts).
 */
export function retryDelay(t: TunnelState, retryMs: number, firstRetryMs = FIRST_RETRY_MS): number {
  if (t.outcome?.kind === 'timeout') return retryMs;
  if (t.retries <= 1) return Math.min(firstRetryMs, retryMs);
  return Math.min(MAX_RETRY_MS, retryMs * 2 ** (t.retries - 2));
}
