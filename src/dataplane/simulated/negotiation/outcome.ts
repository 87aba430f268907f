// What a simulated negotiation ends in, and the transcript both peers write while getting there.
import type { NegotiatedParameters } from '../../../domain/entities.ts';

export type Role = 'gateway' | 'device';

export type FailureNotify = 'NO_PROPOSAL_CHOSEN' | 'AUTHENTICATION_FAILED' | 'TS_UNACCEPTABLE' | 'INVALID_KE_PAYLOAD' | 'TIMEOUT';

/** Both SAs are up. */
export interface NegotiationSuccess {
  ok: true;
  params: NegotiatedParameters;
  /** The agreed traffic selectors from the gateway's side (after any narrowing). */
  selectors: { local: string[]; remote: string[] };
  /** True when the agreed selectors are narrower than the gateway's configuration. */
  narrowed: boolean;
  log: string[];
}

/** The negotiation failed; `notify` is the IKEv2 notify type that names the failure. */
export interface NegotiationFailure {
  ok: false;
  notify: FailureNotify;
  phase: 1 | 2;
  /** e.g. "phase 1 NO_PROPOSAL_CHOSEN: no matching encryption algorithm (...)". */
  reason: string;
  log: string[];
}

/**
 * Nothing happened: the device was asked to initiate but never does (`initiates: false`), or its
 * requests never reach the gateway (`reachable: false`). Not a failure of any exchange.
 */
export interface NegotiationIdle {
  ok: false;
  notify: 'NONE';
  reason: string;
  log: string[];
}

export type NegotiationOutcome = NegotiationSuccess | NegotiationFailure | NegotiationIdle;

export interface NegotiateOptions {
  initiator: Role;
  /** Retransmissions before the initiator gives up on a silent peer (charon's default: 5). */
  retransmits?: number;
  /** INVALID_KE_PAYLOAD retries the initiator makes per exchange (default 1; 0 never retries). */
  keRetries?: number;
  /** A CHILD_SA rekey: the CHILD_SA is negotiated in CREATE_CHILD_SA with its PFS key exchange. */
  childRekey?: boolean;
}

/** A charon-like log written by both peers, each line prefixed with the writer's role. */
export class Transcript {
  readonly lines: string[] = [];

  add(role: Role, line: string): void {
    this.lines.push(`${role}: ${line}`);
  }

  fail(notify: FailureNotify, phase: 1 | 2, detail: string): NegotiationFailure {
    return { ok: false, notify, phase, reason: `phase ${phase} ${notify}: ${detail}`, log: this.lines };
  }

  idle(reason: string): NegotiationIdle {
    return { ok: false, notify: 'NONE', reason, log: this.lines };
  }
}
