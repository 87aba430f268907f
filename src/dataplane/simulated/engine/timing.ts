// When the engine's timers fire, in milliseconds of the driver's clock.
//
//   rekey    lifetime − margin − fuzz,  fuzz uniform in [0, margin × fuzz% / 100]   (strongSwan's
//            rekey_time = life_time − margin − random(0..rand_time)); the margin is capped at half
//            the lifetime and the fuzz at half of what is left, so a rekey never comes before a
//            quarter of the lifetime, whatever the configuration says.
//   DPD      interval + timeout: the link has to be idle for `interval` before the first probe
//            goes out, then the peer is declared dead `timeout` later (AWS DPDTimeoutSeconds;
//            for Huawei, whose `timeout` is the gap between retransmissions, one gap).
//   retries  after a negotiation failure the initiator tries again in 10 s (a customer who
//            loads its configuration just after the first try is not kept waiting), then backs
//            off 30 s, 60 s, 120 s ... at most 10 min: only a configuration change on either side
//            can cure a mismatch, so hammering the peer is pointless, but the next try picks up a
//            corrected device profile.
//            After a TIMEOUT it tries again every retransmit window (165 s with charon's
//            defaults), as charon does with keyingtries=%forever against a silent peer.
import type { DpdPolicy } from '../../../domain/entities.ts';
import { DEFAULT_RETRANSMITS } from '../negotiation/index.ts';

export interface RekeyWindow {
  /** Earliest rekey, ms after the SA was established (lifetime − margin − maximum fuzz). */
  earliestMs: number;
  /** Latest rekey, ms after the SA was established (lifetime − margin). */
  latestMs: number;
}

export function rekeyWindow(lifetimeSeconds: number, marginSeconds: number, fuzzPercent: number): RekeyWindow {
  const lifetime = Math.max(1, lifetimeSeconds) * 1000;
  const margin = Math.min(Math.max(0, marginSeconds) * 1000, lifetime / 2);
  const fuzz = Math.min((margin * Math.max(0, fuzzPercent)) / 100, (lifetime - margin) / 2);
  return { earliestMs: Math.ceil(lifetime - margin - fuzz), latestMs: Math.floor(lifetime - margin) };
}

/** A rekey delay inside the window; `random` gives [0, 1). */
export function rekeyDelayMs(window: RekeyWindow, random: () => number): number {
  return window.latestMs - Math.floor(random() * (window.latestMs - window.earliestMs + 1));
}

/** How long after the peer goes silent the gateway declares it dead. */
export function dpdDelayMs(dpd: DpdPolicy): number {
  return (dpd.intervalSeconds + dpd.timeoutSeconds) * 1000;
}

/** charon's retransmission schedule: timeout 4 s, base 1.8, the wait after the last retransmit included. */
export function retransmitWindowMs(retransmits: number = DEFAULT_RETRANSMITS): number {
  let total = 0;
  for (let k = 0; k <= retransmits; k++) total += Math.round(4000 * 1.8 ** k);
  return total;
}

export const FIRST_RETRY_MS = 10_000;
export const RETRY_BASE_MS = 30_000;
export const RETRY_MAX_MS = 600_000;
export const TIMEOUT_RETRY_MS = retransmitWindowMs();

/** The wait before the n-th retry (n ≥ 1) after a negotiation failure: 10 s, 30 s, 60 s ... 10 min. */
export function failureRetryMs(n: number): number {
  if (n <= 1) return FIRST_RETRY_MS;
  return Math.min(RETRY_BASE_MS * 2 ** Math.min(n - 2, 20), RETRY_MAX_MS);
}

/**
 * After a refused CHILD_SA rekey charon keeps the CHILD_SA and tries again in 15 s less a jitter
 * of 0..9 s ("CHILD_SA rekeying failed, trying again in N seconds", N seen from 6 to 15 in the
 * lab); after a refused IKEv2 IKE_SA rekey the same ("IKE_SA rekeying failed, trying again in N
 * seconds": charon's RETRY_INTERVAL 15 less random() % RETRY_JITTER 10, as for a CHILD_SA).
 */
export function rekeyRetryMs(random: () => number): number {
  return (15 - Math.floor(random() * 10)) * 1000;
}
