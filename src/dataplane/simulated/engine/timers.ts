// One tunnel's deadlines, served by a single clock timer.
//
//   slot         set when                         cleared when
//   CONNECT      a negotiation (or retry) is due  it runs, the tunnel comes up
//   DPD          the peer went silent while UP    the peer answers, the tunnel goes down
//   IKE_REKEY    the IKE_SA was established       the tunnel goes down
//   CHILD_REKEY  the CHILD_SA was established     the tunnel goes down
//
// Only the earliest deadline holds a clock timer. A later deadline does not move it (the timer
// fires, finds nothing due and re-arms), an earlier one replaces it. One timer per tunnel keeps
// 10,000 tunnels at 10,000 timers, and rescheduling a rekey costs no cancellation.
import type { Clock } from '../../../domain/ports.ts';

export const CONNECT = 0;
export const DPD = 1;
export const IKE_REKEY = 2;
export const CHILD_REKEY = 3;
export type Slot = typeof CONNECT | typeof DPD | typeof IKE_REKEY | typeof CHILD_REKEY;

/** No deadline. */
export const NEVER = Number.POSITIVE_INFINITY;

/** Which slot goes first when two fall due at the same moment. */
const TIE_ORDER = [DPD, IKE_REKEY, CHILD_REKEY, CONNECT] as const;

export interface TimerHost {
  readonly clock: Clock;
}

export abstract class Agenda<C extends TimerHost> {
  protected readonly ctx: C;
  #connect = NEVER;
  #dpd = NEVER;
  #ikeRekey = NEVER;
  #childRekey = NEVER;
  #armedAt = NEVER;
  #cancel: (() => void) | null = null;

  constructor(ctx: C) {
    this.ctx = ctx;
  }

  /** Runs the work of a slot that fell due (the slot is already cleared). */
  protected abstract onDue(slot: Slot): void;

  /** False once the tunnel is gone; the timer loop stops there. */
  protected abstract get alive(): boolean;

  protected at(slot: Slot): number {
    switch (slot) {
      case CONNECT:
        return this.#connect;
      case DPD:
        return this.#dpd;
      case IKE_REKEY:
        return this.#ikeRekey;
      case CHILD_REKEY:
        return this.#childRekey;
    }
  }

  /** Sets (or with NEVER clears) a deadline; call arm() once the transition is complete. */
  protected set(slot: Slot, at: number): void {
    switch (slot) {
      case CONNECT:
        this.#connect = at;
        break;
      case DPD:
        this.#dpd = at;
        break;
      case IKE_REKEY:
        this.#ikeRekey = at;
        break;
      case CHILD_REKEY:
        this.#childRekey = at;
        break;
    }
  }

  protected clearAll(): void {
    this.#connect = this.#dpd = this.#ikeRekey = this.#childRekey = NEVER;
  }

  /** Makes sure a clock timer fires no later than the earliest deadline. */
  protected arm(): void {
    const next = Math.min(this.#connect, this.#dpd, this.#ikeRekey, this.#childRekey);
    if (next === NEVER) return this.#disarm();
    if (this.#cancel !== null && this.#armedAt <= next) return;
    this.#disarm();
    this.#armedAt = next;
    this.#cancel = this.ctx.clock.setTimer(next - this.ctx.clock.now(), () => this.#fire());
  }

  /** Clears every deadline and cancels the timer. */
  protected disarmAll(): void {
    this.clearAll();
    this.#disarm();
  }

  #disarm(): void {
    this.#cancel?.();
    this.#cancel = null;
    this.#armedAt = NEVER;
  }

  /** The slot due now, earliest first; on a tie DPD, then IKE, then CHILD, then CONNECT. */
  #due(now: number): Slot | -1 {
    let slot: Slot | -1 = -1;
    let best = now;
    for (const s of TIE_ORDER) {
      const at = this.at(s);
      if (at <= best && (slot === -1 || at < best)) [slot, best] = [s, at];
    }
    return slot;
  }

  #fire(): void {
    this.#cancel = null;
    this.#armedAt = NEVER;
    for (let slot = this.#due(this.ctx.clock.now()); slot !== -1 && this.alive; slot = this.#due(this.ctx.clock.now())) {
      this.set(slot, NEVER);
      this.onDue(slot);
    }
    if (this.alive) this.arm();
  }
}
