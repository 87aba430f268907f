// What every connection use case needs, handed in once by ConnectionService.
import type { DataplaneDriver } from '../../dataplane/driver.ts';
import type { Clock, IdGenerator } from '../../domain/ports.ts';
import type { Store } from '../../store/store.ts';
import type { DeletionPolicy } from '../retention.ts';

export interface ConnectionDeps {
  store: Store;
  dataplane: DataplaneDriver;
  clock: Clock;
  ids: IdGenerator;
  /** VPN connections per project. */
  quota: number;
  deletion: DeletionPolicy;
}

export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
