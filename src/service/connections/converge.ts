// At start, and when the data plane returns: hand every stored tunnel to the data plane again.
import type { VpnConnection, VpnGateway } from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Page } from '../../store/store.ts';
import { tunnelIntent } from '../intents.ts';
import type { ConnectionDeps } from './deps.ts';

/**
 * Yields to the event loop between slices so requests are served meanwhile. A connection written
 * meanwhile is read afresh, and the driver ignores an older generation than it holds.
 */
export async function convergeConnections(deps: ConnectionDeps, opts: { signal?: AbortSignal; slice?: number } = {}): Promise<number> {
  const { store, dataplane } = deps;
  let applied = 0;
  for (const tenant of await store.listTenants()) {
    let marker: string | undefined;
    do {
      await new Promise((resolve) => setImmediate(resolve));
      const gateways = new Map<string, VpnGateway | undefined>();
      if (opts.signal?.aborted) return applied;
      let page: Page<VpnConnection>;
      try {
        page = await store.listConnections(tenant.id, {}, { limit: opts.slice ?? 200, marker });
      } catch (err) {
        // The marker's connection was deleted meanwhile: start over (a second apply only refreshes).
        if (err instanceof DomainError && marker !== undefined) {
          marker = undefined;
          continue;
        }
        throw err;
      }
      for (const connection of page.items) {
        if (!gateways.has(connection.vgwId)) gateways.set(connection.vgwId, await store.getGateway(tenant.id, connection.vgwId));
        const gateway = gateways.get(connection.vgwId);
        const cgw = await store.getCustomerGateway(tenant.id, connection.cgwId);
        if (!gateway || !cgw) continue;
        for (const t of connection.tunnels) dataplane.apply(tunnelIntent(connection, t, gateway, cgw));
        applied += connection.tunnels.length;
      }
      marker = page.nextMarker;
    } while (marker !== undefined);
  }
  return applied;
}
