// A SimulatedDriver on a ManualClock that collects what it emits, and intents built on the
// negotiation tests' fixtures (gateway 192.0.2.1 / 10.0.0.0/16, device 203.0.113.9 /
// 10.1.0.0/16, IKEv2 aes256-cbc/sha2-256/group 14, IKE lifetime 86400 s, ESP 3600 s, rekey
// margin 540 s with 100 % fuzz, DPD interval 30 s + timeout 15 s, action restart, startup start).
import type { DpdPolicy, TunnelConfig } from '../../../domain/entities.ts';
import { ManualClock } from '../../../domain/manual-clock.ts';
import type { DataplaneEvent, TunnelIntent } from '../../driver.ts';
import { type IntentChanges, intentWith } from '../negotiation/test-fixtures.ts';
import { SimulatedDriver, type SimulatedDriverOptions } from './simulated-driver.ts';

export const DELAY_MS = 20;
export const SEED = 7;

export interface TunnelChanges extends IntentChanges {
  startupAction?: TunnelConfig['startupAction'];
  dpd?: Partial<DpdPolicy>;
  generation?: number;
  tunnelId?: string;
}

export function tunnel(c: TunnelChanges = {}): TunnelIntent {
  const base = intentWith(c);
  const ike = { ...base.config.ike, dpd: { ...base.config.ike.dpd, ...c.dpd } };
  return {
    ...base,
    tunnelId: c.tunnelId ?? base.tunnelId,
    generation: c.generation ?? base.generation,
    config: { ...base.config, ike, startupAction: c.startupAction ?? base.config.startupAction },
  };
}

export interface Harness {
  clock: ManualClock;
  driver: SimulatedDriver;
  events: DataplaneEvent[];
  /** Milliseconds since the harness started. */
  elapsed(): number;
  /** Moves the clock to `ms` after the start. */
  advanceTo(ms: number): void;
  /** "20 ike-up g1 available UP", with ": statusMessage" when there is one. */
  lines(): string[];
}

export function harness(opts: Partial<SimulatedDriverOptions> = {}): Harness {
  const clock = new ManualClock();
  const start = clock.now();
  const driver = new SimulatedDriver(clock, { negotiationDelayMs: DELAY_MS, seed: SEED, ...opts });
  const events: DataplaneEvent[] = [];
  void driver.start((e) => events.push(e));
  return {
    clock,
    driver,
    events,
    elapsed: () => clock.now() - start,
    advanceTo: (ms) => clock.advance(start + ms - clock.now()),
    lines: () => events.map((e) => line(e, start)),
  };
}

export function line(e: DataplaneEvent, start: number): string {
  const o = e.observation;
  const message = o.statusMessage === '' ? '' : `: ${o.statusMessage}`;
  return `${e.at - start} ${e.kind} g${e.generation} ${o.provisioning} ${o.ikeStatus}${message}`;
}
