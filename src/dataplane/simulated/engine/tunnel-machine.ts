// One tunnel's life in the simulated data plane.
//
//   apply (new generation), reset ──► CONNECTING ──(negotiationDelayMs)──► negotiate()
//     success ──────────────► UP ──► IKE / CHILD rekey at lifetime − margin − fuzz ──► UP
//       an IKE rekey renegotiates the IKE_SA only: the CHILD_SA moves over unchanged
//       an IKEv2 IKE rekey refused: UP with the reason, both SAs stay and the gateway retries in
//         6-15 s until the IKE_SA's lifetime ends; then charon deletes it with its CHILD_SA: DOWN
//         (an IKEv1 reauthentication that fails takes the CHILD_SA with it: DOWN at once)
//       a CHILD rekey refused: UP with the reason, the old CHILD_SA stays and the gateway retries
//         in 6-15 s until the CHILD_SA expires; then a new CHILD_SA is negotiated, or DOWN
//     NO_PROPOSAL_CHOSEN, ... ► DOWN, failed:  the initiator retries with back-off (CONNECTING)
//     TIMEOUT ──────────────► DOWN:           the gateway retries every retransmit window
//     device does not start ► IDLE:           waiting for the peer (startup action add)
//   UP and the peer goes silent ──(DPD interval + timeout)──► action clear: IDLE,
//     restart: CONNECTING with the gateway initiating until the peer answers, none: stays UP
//   IDLE, startup add, and the device becomes able to initiate ──► CONNECTING
//
// What the probes through the tunnel see, and the peer's reachability, are peer-view.ts's.
//
// Events report changes only: a retry that ends in the same DOWN status as the last report for
// this generation is not reported again. The machine keeps no logs (they leave in the events),
// only the intent, a few numbers and a reference to shared negotiated parameters.
import type { NegotiatedParameters } from '../../../domain/entities.ts';
import type { DataplaneEvent, Fault, PathEvent, TunnelIntent } from '../../driver.ts';
import { type NegotiationFailure, type NegotiationOutcome, negotiate } from '../negotiation/index.ts';
import { gatewayInitiates, withReachability } from './device.ts';
import { dpdEvent, failureEvent, type KeptSa, keptEvent, rekeyLog, type Stage, upEvent, waitingEvent } from './events.ts';
import { ANSWERS, CAN_INITIATE, PeerView } from './peer-view.ts';
import { childExpiryLog, ikeExpiryLog, rekeyOutcome } from './rekeys.ts';
import { Agenda, CHILD_REKEY, CONNECT, DPD, IKE_REKEY, NEVER, type Slot, type TimerHost } from './timers.ts';
import { dpdDelayMs, failureRetryMs, rekeyDelayMs, rekeyRetryMs, rekeyWindow, TIMEOUT_RETRY_MS } from './timing.ts';

export interface EngineContext extends TimerHost {
  readonly negotiationDelayMs: number;
  readonly keRetries: number;
  /** The driver's seeded generator, [0, 1). */
  readonly random: () => number;
  emit(event: DataplaneEvent): void;
  /** Reports what the monitor probes through the tunnel would see. */
  path(event: PathEvent): void;
  /** One shared copy of equal negotiated parameters, so that tunnels hold only a reference. */
  intern(params: NegotiatedParameters): NegotiatedParameters;
}

const IDLE = 0;
const CONNECTING = 1;
const UP = 2;
const GONE = 3;
type Mode = typeof IDLE | typeof CONNECTING | typeof UP | typeof GONE;

export class TunnelMachine extends Agenda<EngineContext> {
  #intent: TunnelIntent;
  #mode: Mode = IDLE;
  /** Whether the gateway initiates the pending attempts (startup action start, or a DPD restart). */
  #byGateway = false;
  readonly #peer = new PeerView();
  /** Retries since the last first attempt. */
  #retries = 0;
  /** The statusMessage last reported for this generation; null before the first report. */
  #lastMessage: string | null = null;
  /** The negotiated parameters of the SAs while UP (interned). */
  #sa: NegotiatedParameters | undefined = undefined;
  /** The CHILD_SA's traffic selectors while UP (kept by an IKE rekey). */
  #selectors: { local: string[]; remote: string[] } = { local: [], remote: [] };
  /** When the installed CHILD_SA reaches its hard lifetime. */
  #childExpiresAt = NEVER;
  /** When the current IKE_SA was established, and when it reaches its hard lifetime. */
  #upSince = 0;
  #ikeExpiresAt = NEVER;
  /** Why the peer refused the last IKE rekey while the current IKE_SA stays (IKEv2). */
  #ikeRefusal: NegotiationFailure | undefined = undefined;

  constructor(ctx: EngineContext, intent: TunnelIntent) {
    super(ctx);
    this.#intent = intent;
    this.renegotiate(intent);
  }

  get generation(): number {
    return this.#intent.generation;
  }

  protected get alive(): boolean {
    return this.#mode !== GONE;
  }

  /** Tears the SAs down and negotiates from scratch after negotiationDelayMs. */
  renegotiate(intent: TunnelIntent): void {
    this.#adopt(intent);
    this.clearAll();
    this.#byGateway = gatewayInitiates(intent);
    this.#retries = 0;
    this.#lastMessage = null;
    this.#sa = undefined;
    this.#connectIn(this.ctx.negotiationDelayMs);
    this.arm();
    // A new negotiation: the path is down until it succeeds, reported afresh for this generation.
    this.#peer.forgetPath();
    this.#reportPath();
  }

  /** The same generation again: only what the engine knows about the device changes. */
  refresh(intent: TunnelIntent): void {
    const before = this.#peer.state(this.#intent);
    this.#adopt(intent);
    this.#peerChanged(before);
    if (this.alive) this.arm();
    this.#reportPath();
  }

  fault(fault: Fault): void {
    const before = this.#peer.state(this.#intent);
    if (this.#peer.fault(fault)) {
      this.#peerChanged(before);
    } else if (this.#mode === UP) {
      if (fault.kind === 'force-rekey') this.#rekey('ike-rekey');
      else this.#peerDead(true);
    }
    if (this.alive) this.arm();
    this.#reportPath();
  }

  dispose(): void {
    this.#mode = GONE;
    this.disarmAll();
  }

  protected onDue(slot: Slot): void {
    if (slot === CONNECT) this.#connect();
    else if (slot === DPD) this.#peerDead(false);
    else if (slot === IKE_REKEY) this.ctx.clock.now() >= this.#ikeExpiresAt ? this.#ikeExpired() : this.#rekey('ike-rekey');
    else if (this.ctx.clock.now() >= this.#childExpiresAt) this.#childExpired();
    else this.#rekey('child-rekey');
  }

  #adopt(intent: TunnelIntent): void {
    this.#peer.adopt(this.#intent, intent);
    this.#intent = intent;
  }

  /** UP: a silent peer starts the DPD clock, an answering one stops it. IDLE: a device that can now initiate does. */
  #peerChanged(before: number): void {
    const after = this.#peer.state(this.#intent);
    const now = this.ctx.clock.now();
    if (this.#mode === UP && (before & ANSWERS) !== (after & ANSWERS)) {
      const { dpd } = this.#intent.config.ike;
      this.set(DPD, after & ANSWERS || dpd.action === 'none' ? NEVER : now + dpdDelayMs(dpd));
    } else if (this.#mode === IDLE && !this.#byGateway && !(before & CAN_INITIATE) && after & CAN_INITIATE) {
      this.#connectIn(this.ctx.negotiationDelayMs);
    }
  }

  #connectIn(ms: number): void {
    this.#mode = CONNECTING;
    this.set(CONNECT, this.ctx.clock.now() + ms);
  }

  #connect(): void {
    const intent = this.#intent;
    const outcome = negotiate(withReachability(intent, this.#peer.reachable(this.#intent)), {
      initiator: this.#byGateway ? 'gateway' : 'device',
      keRetries: this.ctx.keRetries,
    });
    if (outcome.ok) return this.#established('connect', outcome, outcome.log);
    if (outcome.notify !== 'NONE') return this.#down('connect', outcome);
    this.#mode = IDLE;
    this.#report(waitingEvent(intent, this.ctx.clock.now(), outcome));
  }

  /** The gateway rekeys with the current profile (rekeys.ts says what each rekey negotiates). */
  #rekey(stage: 'ike-rekey' | 'child-rekey'): void {
    const sa = this.#sa;
    if (sa === undefined) return;
    const outcome = this.#rekeyOutcome(stage, sa);
    const log = rekeyLog(stage, this.#intent, outcome.log);
    if (outcome.ok) return this.#established(stage, outcome, log);
    if (outcome.notify === 'NONE') return;
    // charon keeps a CHILD_SA whose rekey was refused until it expires, retrying meanwhile, and
    // likewise an IKEv2 IKE_SA (an IKEv1 reauthentication moved the CHILD_SA to the failed SA).
    if (outcome.notify !== 'TIMEOUT' && stage === 'child-rekey') return this.#kept('child', outcome, log);
    if (outcome.notify !== 'TIMEOUT' && sa.ikeVersion === 'v2') return this.#kept('ike', outcome, log);
    this.#down(stage, outcome, log);
  }

  /** A refused rekey: the SA stays until its hard lifetime, the rekey is retried in 6-15 s meanwhile. */
  #kept(kept: KeptSa, failure: NegotiationFailure, log: string[]): void {
    const now = this.ctx.clock.now();
    const retry = Math.min(now + rekeyRetryMs(this.ctx.random), kept === 'child' ? this.#childExpiresAt : this.#ikeExpiresAt);
    this.set(kept === 'child' ? CHILD_REKEY : IKE_REKEY, retry);
    if (kept === 'ike') this.#ikeRefusal = failure;
    const success = { ok: true as const, params: this.#sa!, selectors: this.#selectors, narrowed: false, log };
    this.#report(keptEvent(kept, this.#intent, now, success, this.#upSince, failure, Math.round((retry - now) / 1000), log));
  }

  /** The IKE_SA reached its hard lifetime after refused rekeys: charon deletes it and its CHILD_SA. */
  #ikeExpired(): void {
    if (this.#ikeRefusal === undefined) return this.#rekey('ike-rekey');
    this.#down('ike-rekey', this.#ikeRefusal, ikeExpiryLog(this.#intent));
  }

  /** The CHILD_SA reached its hard lifetime: charon closes it and negotiates a new one at once. */
  #childExpired(): void {
    const sa = this.#sa;
    if (sa === undefined) return;
    const outcome = this.#rekeyOutcome('child-rekey', sa);
    const log = childExpiryLog(this.#intent, { params: sa, selectors: this.#selectors }, outcome.log);
    if (outcome.ok) return this.#established('child-rekey', outcome, log);
    if (outcome.notify !== 'NONE') this.#down('child-rekey', outcome, log);
  }

  #rekeyOutcome(stage: 'ike-rekey' | 'child-rekey', sa: NegotiatedParameters): NegotiationOutcome {
    const intent = withReachability(this.#intent, this.#peer.reachable(this.#intent));
    return rekeyOutcome(stage, intent, { params: sa, selectors: this.#selectors }, this.ctx.keRetries);
  }

  #established(stage: Stage, outcome: Parameters<typeof upEvent>[3], log: string[]): void {
    const now = this.ctx.clock.now();
    const { ike, ipsec } = this.#intent.config;
    this.#mode = UP;
    this.#retries = 0;
    this.#byGateway = gatewayInitiates(this.#intent);
    this.#sa = this.ctx.intern(outcome.params);
    this.#selectors = outcome.selectors;
    this.set(CONNECT, NEVER);
    this.set(DPD, NEVER);
    if (stage !== 'child-rekey') {
      this.#upSince = now;
      this.#ikeExpiresAt = now + Math.max(1, ike.lifetimeSeconds) * 1000;
      this.#ikeRefusal = undefined;
      this.set(
        IKE_REKEY,
        now + rekeyDelayMs(rekeyWindow(ike.lifetimeSeconds, ike.rekeyMarginSeconds, ike.rekeyFuzzPercent), this.ctx.random),
      );
    }
    // An IKE rekey leaves the CHILD_SA (and its rekey and expiry times) as it was.
    if (stage !== 'ike-rekey') {
      const child = rekeyWindow(ipsec.lifetimeSeconds, ike.rekeyMarginSeconds, ike.rekeyFuzzPercent);
      this.set(CHILD_REKEY, now + rekeyDelayMs(child, this.ctx.random));
      this.#childExpiresAt = now + Math.max(1, ipsec.lifetimeSeconds) * 1000;
    }
    this.#report(upEvent(this.#intent, now, stage, outcome, this.#upSince, log));
  }

  #down(stage: Stage, failure: NegotiationFailure, log: string[] = failure.log): void {
    const now = this.ctx.clock.now();
    this.clearAll();
    this.#sa = undefined;
    const next = this.#retryOrWait(failure.notify);
    this.#report(failureEvent(this.#intent, now, stage, failure, next, log));
  }

  /** Whoever initiates tries again; a device that cannot initiate leaves the tunnel waiting. */
  #retryOrWait(notify: NegotiationFailure['notify']): string {
    if (!this.#byGateway && !(this.#peer.state(this.#intent) & CAN_INITIATE)) {
      this.#mode = IDLE;
      return 'waiting for the peer to initiate';
    }
    this.#retries++;
    const delay = notify === 'TIMEOUT' ? TIMEOUT_RETRY_MS : failureRetryMs(this.#retries);
    this.#connectIn(delay);
    return `${this.#byGateway ? 'the gateway' : 'the device'} retries in ${Math.round(delay / 1000)} s`;
  }

  /** DPD gave up on the peer (or a fault says it did): apply the DPD action. */
  #peerDead(forced: boolean): void {
    const { dpd } = this.#intent.config.ike;
    if (dpd.action === 'none') return;
    const now = this.ctx.clock.now();
    this.clearAll();
    this.#sa = undefined;
    if (dpd.action === 'restart') {
      this.#byGateway = true;
      this.#retries = 0;
      this.#connectIn(this.ctx.negotiationDelayMs);
    } else {
      this.#mode = IDLE;
    }
    this.#report(dpdEvent(this.#intent, now, dpd, forced));
  }

  /** Arms the timer for the new deadlines, then emits, unless nothing changed since the last report. */
  #report(event: DataplaneEvent): void {
    this.arm();
    const { ikeStatus, statusMessage } = event.observation;
    // A DOWN, or an UP with a remark (a refused CHILD_SA rekey), said again is not news.
    if ((ikeStatus === 'DOWN' || statusMessage !== '') && statusMessage === this.#lastMessage) return;
    this.#lastMessage = statusMessage;
    this.ctx.emit(event);
    this.#reportPath();
  }

  /** What the probes through the tunnel see now, reported when it differs from the last report. */
  #reportPath(): void {
    if (this.#mode === GONE) return;
    const event = this.#peer.path(this.#intent, this.#mode === UP, this.ctx.clock.now());
    if (event) this.ctx.path(event);
  }
}
