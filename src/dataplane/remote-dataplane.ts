// The data plane as an API instance sees it (role api, issue 13): the driver runs in the
// data-plane instances, which read intents from the store. An apply or remove here only announces
// that intents changed (NOTIFY), after a short delay so the write that follows it (a delete
// retires the connection after removing its tunnels) is committed first; the owners' periodic
// resync covers a lost announcement. Validation and dry runs are the configured driver's own,
// computed here without starting it.

import type { DomainError } from '../domain/errors.ts';
import type { DataplaneDriver, Diagnostician, DryNegotiator, TunnelIntent } from './driver.ts';
import { canDiagnose, canDryNegotiate } from './driver.ts';

const ANNOUNCE_DELAY_MS = 20;

export class RemoteDataplane implements DataplaneDriver {
  readonly name: string;
  readonly #local: DataplaneDriver;
  readonly #announce: () => Promise<void>;
  readonly #onError: (err: unknown) => void;
  #timer?: NodeJS.Timeout;
  dryNegotiate?: DryNegotiator['dryNegotiate'];
  remarks?: Diagnostician['remarks'];

  constructor(local: DataplaneDriver, announce: () => Promise<void>, onError: (err: unknown) => void) {
    this.name = local.name;
    this.#local = local;
    this.#announce = announce;
    this.#onError = onError;
    if (canDryNegotiate(local)) this.dryNegotiate = (intent, opts) => local.dryNegotiate(intent, opts);
    if (canDiagnose(local)) this.remarks = (intent, result) => local.remarks(intent, result);
  }

  validate(intent: TunnelIntent): DomainError | null {
    return this.#local.validate(intent);
  }

  async start(): Promise<void> {}

  apply(): void {
    this.#schedule();
  }

  remove(): void {
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#announce().catch(this.#onError);
    }, ANNOUNCE_DELAY_MS);
  }

  async stop(): Promise<void> {
    if (!this.#timer) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#announce().catch(this.#onError);
  }
}
