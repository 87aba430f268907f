// A safety net under charon's events. Reports are driven by events (ike-updown, child-updown, log);
// one that never reaches the driver would leave a tunnel's status wrong until the next event. So
// every few seconds one list-sas of everything is compared with what was last reported, and each
// tunnel that disagrees (an SA pair installed but not reported up, or reported up with none left)
// gets a look of its own. A tunnel whose reports agree costs nothing.
import { activeSa, type IkeSaView } from './sa-parse.ts';
import type { TunnelState } from './tunnel-state.ts';

/** The default of StrongswanDriverOptions.sweepMs. */
export const DEFAULT_SWEEP_MS = 10_000;

/** The tunnels whose installed SAs disagree with their last report. */
export function mismatchedTunnels(tunnels: Iterable<TunnelState>, views: IkeSaView[]): TunnelState[] {
  const byName = new Map<string, IkeSaView[]>();
  for (const v of views) {
    const list = byName.get(v.name);
    if (list) list.push(v);
    else byName.set(v.name, [v]);
  }
  const out: TunnelState[] = [];
  for (const t of tunnels) {
    if (t.removed || t.settle) continue; // a look is already due
    const installed = activeSa(byName.get(t.conn.name) ?? [], t.conn.child) !== undefined;
    const reportedUp = t.last?.up === true;
    if (installed !== reportedUp) out.push(t);
  }
  return out;
}
