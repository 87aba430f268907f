// The simulated data plane: every tunnel is a TunnelMachine negotiating with the pure
// negotiation core on the driver's clock. Deterministic for a clock and a seed (the seed only
// drives rekey fuzz). See tunnel-machine.ts for a tunnel's life and timing.ts for the formulas.
import type { NegotiatedParameters } from '../../../domain/entities.ts';
import type { DomainError } from '../../../domain/errors.ts';
import type { Clock } from '../../../domain/ports.ts';
import type {
  DataplaneDriver,
  DataplaneEvent,
  DataplaneListener,
  Diagnostician,
  DryNegotiator,
  DryRunOutcome,
  Fault,
  FaultInjector,
  PathEvent,
  PathListener,
  TunnelIntent,
  TunnelRemarks,
} from '../../driver.ts';
import { describeDrift, describeWeakChoices, negotiate } from '../negotiation/index.ts';
import { DEFAULT_SEED, seededRandom } from './prng.ts';
import { type EngineContext, TunnelMachine } from './tunnel-machine.ts';

export interface SimulatedDriverOptions {
  /** How long a negotiation takes, from apply (or retry, reset, restart) to its event. */
  negotiationDelayMs: number;
  /** Seeds the rekey fuzz. */
  seed?: number;
  /**
   * INVALID_KE_PAYLOAD round trips an initiator makes per exchange (default 1, as charon: one
   * retry with the group the responder asks for always settles it). 0 makes a first-group
   * mismatch fail with INVALID_KE_PAYLOAD, like a device that never retries.
   */
  keRetries?: number;
}

export class SimulatedDriver implements DataplaneDriver, FaultInjector, DryNegotiator, Diagnostician {
  readonly name = 'simulated';
  readonly #tunnels = new Map<string, TunnelMachine>();
  readonly #interned = new Map<string, NegotiatedParameters>();
  readonly #ctx: EngineContext;
  #listener: DataplaneListener = () => {};
  #onPath: PathListener = () => {};

  constructor(clock: Clock, opts: SimulatedDriverOptions) {
    this.#ctx = {
      clock,
      negotiationDelayMs: Math.max(0, opts.negotiationDelayMs),
      keRetries: opts.keRetries ?? 1,
      random: seededRandom(opts.seed ?? DEFAULT_SEED),
      emit: (event: DataplaneEvent) => this.#listener(event),
      path: (event: PathEvent) => this.#onPath(event),
      intern: (params) => this.#intern(params),
    };
  }

  /** The simulator can play every configuration the domain allows. */
  validate(_intent: TunnelIntent): DomainError | null {
    return null;
  }

  async start(listener: DataplaneListener, onPath?: PathListener): Promise<void> {
    this.#listener = listener;
    if (onPath) this.#onPath = onPath;
  }

  /**
   * A tunnel the driver does not know, or a newer generation: negotiate from scratch. The same
   * generation: refresh the device profile. An older generation is stale and ignored.
   */
  apply(intent: TunnelIntent): void {
    const tunnel = this.#tunnels.get(intent.tunnelId);
    if (!tunnel) this.#tunnels.set(intent.tunnelId, new TunnelMachine(this.#ctx, intent));
    else if (intent.generation > tunnel.generation) tunnel.renegotiate(intent);
    else if (intent.generation === tunnel.generation) tunnel.refresh(intent);
  }

  remove(tunnelId: string): void {
    this.#tunnels.get(tunnelId)?.dispose();
    this.#tunnels.delete(tunnelId);
  }

  /** Faults for a tunnel the driver does not hold are ignored. */
  injectFault(tunnelId: string, fault: Fault): void {
    this.#tunnels.get(tunnelId)?.fault(fault);
  }

  /** The engine's first attempt for the intent, with this driver's INVALID_KE_PAYLOAD retries. */
  dryNegotiate(intent: TunnelIntent, opts: { initiator: 'gateway' | 'device' }): DryRunOutcome {
    return negotiate(intent, { initiator: opts.initiator, keRetries: this.#ctx.keRetries });
  }

  /** Weak choices and drift, the selectors narrowed as the simulated device would narrow them. */
  remarks(intent: TunnelIntent, result: { negotiated: NegotiatedParameters }): TunnelRemarks {
    return { weak: describeWeakChoices(result.negotiated), drift: describeDrift(intent, result.negotiated) };
  }

  async stop(): Promise<void> {
    for (const tunnel of this.#tunnels.values()) tunnel.dispose();
    this.#tunnels.clear();
  }

  /** How many tunnels the driver holds. */
  get size(): number {
    return this.#tunnels.size;
  }

  #intern(params: NegotiatedParameters): NegotiatedParameters {
    const { ikeVersion, phase1: p1, phase2: p2 } = params;
    const key = `${ikeVersion} ${p1.encryption} ${p1.integrity} ${p1.prf} ${p1.dhGroup} ${p2.encryption} ${p2.integrity} ${p2.dhGroup}`;
    let shared = this.#interned.get(key);
    if (!shared) this.#interned.set(key, (shared = structuredClone(params)));
    return shared;
  }
}
