// Keeps a data-plane instance's driver holding exactly the intents of the gateways it owns
// (issue 13): every tunnel of every live connection on an owned gateway is applied when its intent
// changed since last applied (a new generation, a new device profile), and a tunnel no longer
// owned or no longer there is removed. Intents come from the store, so an API instance only has
// to write and announce; a missed announcement is caught by the next periodic resync.
import type { DataplaneDriver } from '../dataplane/driver.ts';
import type { Store } from '../store/store.ts';
import { tunnelIntent } from './intents.ts';

export interface OwnedGateway {
  gatewayId: string;
  tenantId: string;
}

export class GatewaySync {
  readonly #store: Store;
  readonly #driver: DataplaneDriver;
  /** tunnel id → the intent last applied, serialized (it holds the PSK: memory only). */
  readonly #applied = new Map<string, string>();

  constructor(store: Store, driver: DataplaneDriver) {
    this.#store = store;
    this.#driver = driver;
  }

  /** Applies what changed and removes what went; returns how many tunnels the driver now holds. */
  async sync(owned: OwnedGateway[]): Promise<number> {
    const seen = new Set<string>();
    for (const { gatewayId, tenantId } of owned) {
      const gateway = await this.#store.getGateway(tenantId, gatewayId);
      if (!gateway) continue;
      let marker: string | undefined;
      do {
        const page = await this.#store.listConnections(tenantId, { vgwId: gatewayId }, { limit: 200, marker });
        for (const connection of page.items) {
          if (connection.state === 'deleting' || connection.state === 'deleted') continue;
          const cgw = await this.#store.getCustomerGateway(tenantId, connection.cgwId);
          if (!cgw) continue;
          for (const tunnel of connection.tunnels) {
            const intent = tunnelIntent(connection, tunnel, gateway, cgw);
            const key = JSON.stringify(intent);
            seen.add(tunnel.id);
            if (this.#applied.get(tunnel.id) === key) continue;
            this.#applied.set(tunnel.id, key);
            this.#driver.apply(intent);
          }
        }
        marker = page.nextMarker;
      } while (marker !== undefined);
    }
    for (const tunnelId of [...this.#applied.keys()]) {
      if (seen.has(tunnelId)) continue;
      this.#applied.delete(tunnelId);
      this.#driver.remove(tunnelId);
    }
    return this.#applied.size;
  }
}
