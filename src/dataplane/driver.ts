// The contract between the control plane and whatever negotiates tunnels. Services hand the
// driver intents (what a tunnel should look like); the driver reports what actually happened as
// events, which the reconciler writes to the store. Nobody asks a driver synchronously for status.

import type {
  ConnectionStyle,
  DeviceProfile,
  NegotiatedParameters,
  PolicyRule,
  TunnelConfig,
  TunnelObservation,
} from '../domain/entities.ts';
import type { DomainError } from '../domain/errors.ts';

export interface TunnelIntent {
  tunnelId: string;
  connectionId: string;
  tenantId: string;
  /** Config generation; the driver echoes it in every event about this intent. */
  generation: number;
  style: ConnectionStyle;
  config: TunnelConfig;
  local: { address: string; id: string; subnets: string[] };
  remote: { address: string; id: string; subnets: string[] };
  policyRules: PolicyRule[];
  /** The customer device's behaviour, when known (used by the simulated data plane). */
  device?: DeviceProfile;
}

export interface DataplaneEvent {
  tunnelId: string;
  generation: number;
  /** Milliseconds since the epoch, from the driver's clock. */
  at: number;
  /** The new observed state; lastStatusChange and generation are filled by the reconciler. */
  observation: Omit<TunnelObservation, 'generation' | 'lastStatusChange'>;
  /** A history line: what happened and why (e.g. kind 'ike-up', 'rekey', 'dpd-timeout'). */
  kind: string;
  detail: string;
  /** Negotiation log lines (charon style) written while getting here, kept as the tunnel's log. */
  log?: string[];
}

export type DataplaneListener = (event: DataplaneEvent) => void;

/**
 * Whether traffic through a tunnel is answered (what a connection monitor shows), reported on
 * change only. It can change while the IKE status does not: a peer that stops answering, or a
 * path that breaks under established SAs. A driver says in `detail` what it actually observed.
 */
export interface PathEvent {
  tunnelId: string;
  generation: number;
  /** Milliseconds since the epoch, from the driver's clock. */
  at: number;
  status: 'UP' | 'DOWN';
  detail: string;
}

export type PathListener = (event: PathEvent) => void;

export interface DataplaneDriver {
  readonly name: string;
  /** Refuse, before anything is stored, what this data plane cannot do. */
  validate(intent: TunnelIntent): DomainError | null;
  /** `onPath`, when given, receives what the driver observes of each tunnel's path. */
  start(listener: DataplaneListener, onPath?: PathListener): Promise<void>;
  /**
   * Create or replace the tunnel described by the intent. A new generation (re)negotiates at once;
   * the same generation only refreshes what the driver knows (e.g. the device profile), which
   * takes effect at the next negotiation (rekey, restart, reset).
   */
  apply(intent: TunnelIntent): void;
  /** Tear the tunnel down and forget it. */
  remove(tunnelId: string): void;
  stop(): Promise<void>;
}

/** Faults a tester may inject (simulated data plane only; admin keys). */
export type Fault =
  | { kind: 'peer-unreachable' }
  | { kind: 'peer-reachable' }
  | { kind: 'force-rekey' }
  | { kind: 'dpd-timeout' }
  /** Traffic through the tunnel stops being answered while IKE and the CHILD_SA stay up. */
  | { kind: 'path-broken' }
  | { kind: 'path-restored' };

export interface FaultInjector {
  injectFault(tunnelId: string, fault: Fault): void;
}

export function canInjectFaults(driver: DataplaneDriver): driver is DataplaneDriver & FaultInjector {
  return typeof (driver as Partial<FaultInjector>).injectFault === 'function';
}

// --- optional capabilities, reached through services (a dialect never imports a driver) -------

/** What a dry negotiation ends in: nothing is stored and no tunnel is touched. */
export type DryRunOutcome =
  | { ok: true; params: NegotiatedParameters; selectors: Selectors; narrowed: boolean; log: string[] }
  /** A failed exchange: the IKEv2 notify naming it and its phase; notify NONE: nothing happened. */
  | { ok: false; notify: string; phase?: 1 | 2; reason: string; log: string[] };

export interface Selectors {
  local: string[];
  remote: string[];
}

export interface DryNegotiator {
  /** What negotiating the intent would give now, by this data plane's own rules. */
  dryNegotiate(intent: TunnelIntent, opts: { initiator: 'gateway' | 'device' }): DryRunOutcome;
}

export interface TunnelRemarks {
  /** Weak algorithms among the negotiated ones. */
  weak: string[];
  /** Where the result leaves the operator's first choices (algorithms, PFS, selectors). */
  drift: string[];
}

export interface Diagnostician {
  /** Remarks on what was (or would be) negotiated for the intent, from this data plane's view. */
  remarks(intent: TunnelIntent, result: { negotiated: NegotiatedParameters; selectors?: Selectors }): TunnelRemarks;
}

export function canDryNegotiate(driver: DataplaneDriver): driver is DataplaneDriver & DryNegotiator {
  return typeof (driver as Partial<DryNegotiator>).dryNegotiate === 'function';
}

export function canDiagnose(driver: DataplaneDriver): driver is DataplaneDriver & Diagnostician {
  return typeof (driver as Partial<Diagnostician>).remarks === 'function';
}

/** A data plane that depends on a session to something else (charon over VICI) says whether it is up. */
export interface SessionReporter {
  sessionUp(): boolean;
}

export function reportsSession(driver: DataplaneDriver): driver is DataplaneDriver & SessionReporter {
  return typeof (driver as Partial<SessionReporter>).sessionUp === 'function';
}
