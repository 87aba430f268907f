// Chooses the data plane driver from the config.
import type { Logger } from 'pino';
import type { SitevpnConfig } from '../config/config.ts';
import type { Clock } from '../domain/ports.ts';
import type { DataplaneDriver } from './driver.ts';
import { SimulatedDriver } from './simulated/engine/simulated-driver.ts';
import { StrongswanDriver } from './strongswan/driver.ts';

export function createDataplane(config: SitevpnConfig, clock: Clock, logger?: Logger): DataplaneDriver {
  if (config.dataplane === 'strongswan') {
    if (!config.viciUri) {
      throw new Error(
        'the strongswan data plane needs the VICI socket of charon: pass --vici unix:///path/charon.vici (or set SITEVPN_VICI)',
      );
    }
    return new StrongswanDriver(clock, { viciUri: config.viciUri, logger });
  }
  return new SimulatedDriver(clock, { negotiationDelayMs: config.simulatedDelayMs });
}
