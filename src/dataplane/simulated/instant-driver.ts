// The simplest data plane: after a short delay it reports each tunnel up with the first of its
// configured values. It stands in until the negotiation engine (simulated/engine) is wired in.
import type { DomainError } from '../../domain/errors.ts';
import type { Clock } from '../../domain/ports.ts';
import type { DataplaneDriver, DataplaneListener, TunnelIntent } from '../driver.ts';

export class InstantDriver implements DataplaneDriver {
  readonly name = 'instant';
  readonly #clock: Clock;
  readonly #delayMs: number;
  readonly #timers = new Map<string, () => void>();
  #listener: DataplaneListener = () => {};

  constructor(clock: Clock, delayMs: number) {
    this.#clock = clock;
    this.#delayMs = delayMs;
  }

  validate(_intent: TunnelIntent): DomainError | null {
    return null;
  }

  async start(listener: DataplaneListener): Promise<void> {
    this.#listener = listener;
  }

  apply(intent: TunnelIntent): void {
    this.#timers.get(intent.tunnelId)?.();
    const cancel = this.#clock.setTimer(this.#delayMs, () => {
      this.#timers.delete(intent.tunnelId);
      const { ike, ipsec } = intent.config;
      this.#listener({
        tunnelId: intent.tunnelId,
        generation: intent.generation,
        at: this.#clock.now(),
        kind: 'ike-up',
        detail: `IKE_SA and CHILD_SA established with ${intent.remote.address}`,
        observation: {
          provisioning: 'available',
          ikeStatus: 'UP',
          statusMessage: '',
          negotiated: {
            ikeVersion: ike.versions[0],
            phase1: { encryption: ike.encryption[0], integrity: ike.integrity[0], prf: ike.integrity[0], dhGroup: ike.dhGroups[0] },
            phase2: {
              encryption: ipsec.encryption[0],
              integrity: ipsec.encryption[0].endsWith('gcm16') ? undefined : ipsec.integrity[0],
              dhGroup: ipsec.pfsGroups[0],
            },
          },
        },
      });
    });
    this.#timers.set(intent.tunnelId, cancel);
  }

  remove(tunnelId: string): void {
    this.#timers.get(tunnelId)?.();
    this.#timers.delete(tunnelId);
  }

  reset(_tunnelId: string): void {}

  async stop(): Promise<void> {
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }
}
