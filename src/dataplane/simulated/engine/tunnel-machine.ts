// One tunnel's life in the simulated data plane.
//
//   apply (new generation), reset ──► CONNECTING ──(negotiationDelayMs)──► negotiate()
//     success ──────────────► UP ──► IKE / CHILD rekey at lifetime − margin − fuzz ──► UP
//       an IKE rekey renegotiates the IKE_SA only: the CHILD_SA moves over unchanged
//       a CHILD rekey refused: UP with the reason, the old CHILD_SA stays and the gateway retries
//         in 6-15 s until the CHILD_SA expires; then a new CHILD_SA is negotiated, or DOWN
//     NO_PROPOSAL_CHOSEN, ... ► DOWN, failed:  the initiator retries with back-off (CONNECTING)
//     TIMEOUT ──────────────► DOWN:           the gateway retries every retransmit window
//     device does not start ► IDLE:           waiting for the peer (startup action add)
//   UP and the peer goes silent ──(DPD interval + timeout)──► action clear: IDLE,
//     restart: CONNECTING with the gateway initiating until the peer answers, none: stays UP
//   IDLE, startup add, and the device becomes able to initiate ──► CONNECTING
//
// The path (what a connection monitor's probes see) is UP only while UP, the peer answers and no
// path-broken fault holds; it is reported on its own channel, on change, and can go DOWN while
// the SAs stay up (an unreachable peer before DPD notices, a broken path under live SAs).
//
// Events report changes only: a retry that ends in the same DOWN status as the last report for
// this generation is not reported again. The machine keeps no logs (they leave in the events),
// only the intent, a few numbers and a reference to shared negotiated parameters.
import type { NegotiatedParameters } from '../../../domain/entities.ts';
import type { DataplaneEvent, Fault, PathEvent, TunnelIntent } from '../../driver.ts';
import { rekeyIkeSa } from '../negotiation/ike-rekey.ts';
import { type NegotiateOptions, type NegotiationFailure, negotiate, type Role } from '../negotiation/index.ts';
import { deviceInitiates, gatewayInitiates, pinnedToIkeSa, profileReachable, withReachability } from './device.ts';
import { childKeptEvent, dpdEvent, failureEvent, rekeyLog, type Stage, upEvent, waitingEvent } from './events.ts';
import { Agenda, CHILD_REKEY, CONNECT, DPD, IKE_REKEY, NEVER, type Slot, type TimerHost } from './timers.ts';
import { childRekeyRetryMs, dpdDelayMs, failureRetryMs, rekeyDelayMs, rekeyWindow, TIMEOUT_RETRY_MS } from './timing.ts';

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

/** The peer's reachability as a fault last set it; UNSET defers to the device profile. */
const UNSET = -1;
const UNREACHABLE = 0;
const REACHABLE = 1;
type Reach = typeof UNSET | typeof UNREACHABLE | typeof REACHABLE;

export class TunnelMachine extends Agenda<EngineContext> {
  #intent: TunnelIntent;
  #mode: Mode = IDLE;
  /** Whether the gateway initiates the pending attempts (startup action start, or a DPD restart). */
  #byGateway = false;
  #reach: Reach = UNSET;
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
  /** When the current IKE_SA was established. */
  #upSince = 0;
  /** A path-broken fault holds: probes are lost while the SAs stay up. */
  #pathBroken = false;
  /** The path status last reported for this generation; null before the first report. */
  #pathReported: string | null = null;

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
    this.#pathReported = null;
    this.#reportPath();
  }

  /** The same generation again: only what the engine knows about the device changes. */
  refresh(intent: TunnelIntent): void {
    const before = this.#peerState();
    this.#adopt(intent);
    this.#peerChanged(before);
    if (this.alive) this.arm();
    this.#reportPath();
  }

  fault(fault: Fault): void {
    if (fault.kind === 'peer-unreachable' || fault.kind === 'peer-reachable') {
      const before = this.#peerState();
      this.#reach = fault.kind === 'peer-reachable' ? REACHABLE : UNREACHABLE;
      this.#peerChanged(before);
    } else if (fault.kind === 'path-broken' || fault.kind === 'path-restored') {
      this.#pathBroken = fault.kind === 'path-broken';
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
    else if (slot === IKE_REKEY) this.#rekey('ike-rekey');
    else if (this.ctx.clock.now() >= this.#childExpiresAt) this.#childExpired();
    else this.#rekey('child-rekey');
  }

  /** A profile that changes the device's reachability overrides an earlier fault. */
  #adopt(intent: TunnelIntent): void {
    if (profileReachable(intent) !== profileReachable(this.#intent)) this.#reach = UNSET;
    this.#intent = intent;
  }

  #reachable(): boolean {
    return this.#reach === UNSET ? profileReachable(this.#intent) : this.#reach === REACHABLE;
  }

  /** Bit 0: the device is reachable; bit 1: it can start a negotiation (reachable and initiating). */
  #peerState(): number {
    const reachable = this.#reachable();
    return (reachable ? 1 : 0) | (reachable && deviceInitiates(this.#intent) ? 2 : 0);
  }

  /** UP: a silent peer starts the DPD clock, an answering one stops it. IDLE: a device that can now initiate does. */
  #peerChanged(before: number): void {
    const after = this.#peerState();
    const now = this.ctx.clock.now();
    if (this.#mode === UP && (before & 1) !== (after & 1)) {
      const { dpd } = this.#intent.config.ike;
      this.set(DPD, after & 1 || dpd.action === 'none' ? NEVER : now + dpdDelayMs(dpd));
    } else if (this.#mode === IDLE && !this.#byGateway && !(before & 2) && after & 2) {
      this.#connectIn(this.ctx.negotiationDelayMs);
    }
  }

  #options(initiator: Role): NegotiateOptions {
    return { initiator, keRetries: this.ctx.keRetries };
  }

  #connectIn(ms: number): void {
    this.#mode = CONNECTING;
    this.set(CONNECT, this.ctx.clock.now() + ms);
  }

  #connect(): void {
    const intent = this.#intent;
    const outcome = negotiate(withReachability(intent, this.#reachable()), this.#options(this.#byGateway ? 'gateway' : 'device'));
    if (outcome.ok) return this.#established('connect', outcome, outcome.log);
    if (outcome.notify !== 'NONE') return this.#down('connect', outcome);
    this.#mode = IDLE;
    this.#report(waitingEvent(intent, this.ctx.clock.now(), outcome));
  }

  /**
   * The gateway rekeys with the current profile. An IKE rekey negotiates the IKE_SA alone (IKEv1:
   * reauthenticates) and the CHILD_SA moves over unchanged. A CHILD_SA rekey is a CREATE_CHILD_SA
   * with its own key exchange: PFS is negotiated (and a PFS mismatch shows) here, not in IKE_AUTH.
   */
  #rekey(stage: 'ike-rekey' | 'child-rekey'): void {
    const sa = this.#sa;
    if (sa === undefined) return;
    const reachable = this.#reachable();
    const outcome =
      stage === 'ike-rekey'
        ? rekeyIkeSa(
            withReachability(this.#intent, reachable),
            { params: sa, selectors: this.#selectors },
            { keRetries: this.ctx.keRetries },
          )
        : negotiate(withReachability(pinnedToIkeSa(this.#intent, sa), reachable), { ...this.#options('gateway'), childRekey: true });
    const log = rekeyLog(stage, this.#intent, outcome.log);
    if (outcome.ok) return this.#established(stage, outcome, log);
    if (outcome.notify === 'NONE') return;
    // charon keeps a CHILD_SA whose rekey was refused until it expires, retrying meanwhile.
    if (stage === 'child-rekey' && outcome.notify !== 'TIMEOUT') return this.#childKept(outcome, log);
    this.#down(stage, outcome, log);
  }

  #childKept(failure: NegotiationFailure, log: string[]): void {
    const now = this.ctx.clock.now();
    const retry = Math.min(now + childRekeyRetryMs(this.ctx.random), this.#childExpiresAt);
    this.set(CHILD_REKEY, retry);
    const params = this.#sa!;
    const success = { ok: true as const, params, selectors: this.#selectors, narrowed: false, log };
    this.#report(childKeptEvent(this.#intent, now, success, this.#upSince, failure, Math.round((retry - now) / 1000), log));
  }

  /** The CHILD_SA reached its hard lifetime: charon closes it and negotiates a new one at once. */
  #childExpired(): void {
    const sa = this.#sa;
    if (sa === undefined) return;
    const outcome = negotiate(withReachability(pinnedToIkeSa(this.#intent, sa), this.#reachable()), {
      ...this.#options('gateway'),
      childRekey: true,
    });
    const closing = `gateway: closing expired CHILD_SA ${this.#intent.tunnelId}{1} with TS ${this.#selectors.local.join(',')} === ${this.#selectors.remote.join(',')}`;
    const log = [closing, ...rekeyLog('child-rekey', this.#intent, outcome.log).slice(1)];
    if (outcome.ok) return this.#established('child-rekey', outcome, log);
    if (outcome.notify !== 'NONE') this.#down('child-rekey', outcome, log);
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
    if (!this.#byGateway && !(this.#peerState() & 2)) {
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
    const [status, detail]: [PathEvent['status'], string] =
      this.#mode !== UP
        ? ['DOWN', 'no CHILD_SA is installed: probes through the tunnel are not sent']
        : !this.#reachable()
          ? ['DOWN', `probes to ${this.#intent.remote.address} through the tunnel are not answered: the peer is unreachable`]
          : this.#pathBroken
            ? ['DOWN', 'probes through the tunnel are lost while the IKE_SA and CHILD_SA stay up']
            : ['UP', 'probes through the tunnel are answered'];
    if (this.#pathReported === status) return;
    this.#pathReported = status;
    const { tunnelId, generation } = this.#intent;
    this.ctx.path({ tunnelId, generation, at: this.ctx.clock.now(), status, detail });
  }
}
