// Chooses the data plane driver from the config.
import type { SitevpnConfig } from '../config/config.ts';
import type { Clock } from '../domain/ports.ts';
import type { DataplaneDriver } from './driver.ts';
import { SimulatedDriver } from './simulated/engine/simulated-driver.ts';

export function createDataplane(config: SitevpnConfig, clock: Clock): DataplaneDriver {
  if (config.dataplane === 'strongswan') {
    throw new Error('the strongswan data plane is not available in this build yet; use --dataplane simulated');
  }
  return new SimulatedDriver(clock, { negotiationDelayMs: config.simulatedDelayMs });
}
