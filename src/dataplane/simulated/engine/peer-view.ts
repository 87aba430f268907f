// What one tunnel's engine knows about the peer, apart from the SAs: whether it answers (the
// device profile, unless a fault said otherwise) and what a connection monitor's probes through
// the tunnel would see. The path is UP only while the SAs are up, the peer answers and no
// path-broken fault holds; it is reported on its own channel, on change, and can go DOWN while
// the SAs stay up (an unreachable peer before DPD notices, a broken path under live SAs).
import type { Fault, PathEvent, TunnelIntent } from '../../driver.ts';
import { deviceInitiates, profileReachable } from './device.ts';

/** The peer's reachability as a fault last set it; UNSET defers to the device profile. */
const UNSET = -1;
const UNREACHABLE = 0;
const REACHABLE = 1;
type Reach = typeof UNSET | typeof UNREACHABLE | typeof REACHABLE;

/** Bits of PeerView.state(). */
export const ANSWERS = 1;
export const CAN_INITIATE = 2;

export class PeerView {
  #reach: Reach = UNSET;
  /** A path-broken fault holds: probes are lost while the SAs stay up. */
  #pathBroken = false;
  /** The path status last reported for this generation; null before the first report. */
  #pathReported: string | null = null;

  /** A profile that changes the device's reachability overrides an earlier fault. */
  adopt(before: TunnelIntent, after: TunnelIntent): void {
    if (profileReachable(after) !== profileReachable(before)) this.#reach = UNSET;
  }

  /** Applies a peer or path fault; false for a fault that concerns the SAs instead. */
  fault(fault: Fault): boolean {
    if (fault.kind === 'peer-unreachable' || fault.kind === 'peer-reachable') {
      this.#reach = fault.kind === 'peer-reachable' ? REACHABLE : UNREACHABLE;
    } else if (fault.kind === 'path-broken' || fault.kind === 'path-restored') {
      this.#pathBroken = fault.kind === 'path-broken';
    } else {
      return false;
    }
    return true;
  }

  reachable(intent: TunnelIntent): boolean {
    return this.#reach === UNSET ? profileReachable(intent) : this.#reach === REACHABLE;
  }

  /** ANSWERS: the device is reachable; CAN_INITIATE: it can start a negotiation (reachable and initiating). */
  state(intent: TunnelIntent): number {
    const reachable = this.reachable(intent);
    return (reachable ? ANSWERS : 0) | (reachable && deviceInitiates(intent) ? CAN_INITIATE : 0);
  }

  /** A new negotiation: the path is reported afresh for this generation. */
  forgetPath(): void {
    this.#pathReported = null;
  }

  /** What the probes through the tunnel see now, or null when that is what was last reported. */
  path(intent: TunnelIntent, saUp: boolean, at: number): PathEvent | null {
    const [status, detail]: [PathEvent['status'], string] = !saUp
      ? ['DOWN', 'no CHILD_SA is installed: probes through the tunnel are not sent']
      : !this.reachable(intent)
        ? ['DOWN', `probes to ${intent.remote.address} through the tunnel are not answered: the peer is unreachable`]
        : this.#pathBroken
          ? ['DOWN', 'probes through the tunnel are lost while the IKE_SA and CHILD_SA stay up']
          : ['UP', 'probes through the tunnel are answered'];
    if (this.#pathReported === status) return null;
    this.#pathReported = status;
    return { tunnelId: intent.tunnelId, generation: intent.generation, at, status, detail };
  }
}
