// charon's events and log lines, routed to the tunnel they concern: they never report anything
// themselves, they mark the tunnel for a look at list-sas (the driver's settle) and say how soon.
import type { Clock } from '../../domain/ports.ts';
import type { LinkEvent } from './link.ts';
import type { SaLogBook } from './sa-log.ts';
import { parseListSa } from './sa-parse.ts';
import { type TunnelState, tunnelOfSa } from './tunnel-state.ts';
import type { ViciClient } from './vici/commands.ts';
import { getString, type ViciMessage } from './vici/message.ts';

/** A CHILD_SA coming up needs no reason from the log: look at once (its log lines are close behind). */
const UP_SETTLE_MS = 5;
/** A CHILD_SA failure logged before its cause: wait this long for the line that names it. */
const UNCAUSED_SETTLE_MS = 500;

export interface CharonEventTarget {
  readonly tunnels: Map<string, TunnelState>;
  readonly book: SaLogBook;
  readonly clock: Clock;
  readonly settleMs: number;
  client(): ViciClient | null;
  /** A look at list-sas in `ms`; `postpone` moves one already due later. */
  settleSoon(t: TunnelState, ms: number, postpone?: boolean): void;
  enqueue(t: TunnelState, job: () => Promise<void>): void;
}

export function onCharonEvent(target: CharonEventTarget, event: LinkEvent, message: ViciMessage): void {
  if (event === 'log') return onCharonLog(target, message);
  for (const view of parseListSa(message)) {
    const t = target.tunnels.get(view.name);
    if (!t) continue;
    if (event === 'ike-rekey') t.rekey = 'ike-rekey';
    else if (event === 'child-rekey') t.rekey ??= 'child-rekey';
    else if (event === 'ike-updown') {
      const up = getString(message, 'up') === 'yes';
      if (up) target.book.established(view.uniqueId, view.name);
      else target.clock.setTimer(10_000, () => target.book.forget(view.uniqueId));
      // A childless IKE_SA is up: now the CHILD_SA, with its own key exchange (PFS).
      if (up && t.pendingChild && view.initiator && view.children.length === 0) {
        t.pendingChild = false;
        target.enqueue(t, async () => void (await target.client()?.initiate({ ike: t.conn.name, child: t.conn.child, timeout: -1 })));
      }
    }
    target.settleSoon(t, event === 'child-updown' && getString(message, 'up') === 'yes' ? UP_SETTLE_MS : target.settleMs);
  }
}

function onCharonLog(target: CharonEventTarget, message: ViciMessage): void {
  const ikeId = Number(getString(message, 'ikesa-uniqueid') ?? 0);
  const outcome = target.book.add(ikeId, getString(message, 'ikesa-name'), getString(message, 'msg') ?? '');
  if (!outcome) return;
  const t = tunnelOfSa(target.tunnels, outcome);
  if (!t || t.oldIkeIds.has(outcome.ikeId)) return;
  if (outcome.lines.some((l) => /childless/i.test(l))) t.childless = false;
  t.outcome = outcome;
  // An uncaused CHILD_SA failure waits (postponing a look already due) for the line naming its cause.
  target.settleSoon(t, outcome.uncaused ? UNCAUSED_SETTLE_MS : target.settleMs, outcome.uncaused);
}
