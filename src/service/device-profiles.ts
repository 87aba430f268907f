// The customer device as the simulated data plane plays it: a customer gateway's device profile
// and the faults an admin injects. A profile change re-applies every affected tunnel's intent with the SAME generation:
// the tunnel stays as it is and the driver uses the new profile at its next negotiation (rekey,
// retry, reset), except that a profile turning `reachable` off starts dead peer detection at once.

import { canInjectFaults, type DataplaneDriver, type Fault } from '../dataplane/driver.ts';
import type { CustomerGateway, DeviceProfile, Tunnel, VpnGateway } from '../domain/entities.ts';
import { DomainError } from '../domain/errors.ts';
import { type Clock, systemClock } from '../domain/ports.ts';
import type { Store } from '../store/store.ts';
import { authorize, type RequestContext } from './context.ts';
import { tunnelIntent } from './intents.ts';
import { connectionOf, customerGatewayOf } from './scoped.ts';
import { checkDeviceProfile } from './validation.ts';

export type { TunnelIntentView } from './intents.ts';
export { checkDeviceProfile };

const PAGE = 200;

export class DeviceProfileService {
  readonly #store: Store;
  readonly #dataplane: DataplaneDriver;
  readonly #clock: Clock;

  constructor(store: Store, dataplane: DataplaneDriver, clock: Clock = systemClock) {
    this.#store = store;
    this.#dataplane = dataplane;
    this.#clock = clock;
  }

  /** Whether the data plane accepts injected faults (the simulated one does). */
  get canInjectFaults(): boolean {
    return canInjectFaults(this.#dataplane);
  }

  async get(ctx: RequestContext, cgwId: string): Promise<DeviceProfile> {
    authorize(ctx, 'read', 'GetDeviceProfile');
    const profile = (await customerGatewayOf(this.#store, ctx, cgwId)).deviceProfile;
    if (!profile) throw new DomainError('NotFound', `customer gateway ${cgwId} has no device profile`);
    return profile;
  }

  /** Stores (or with undefined removes) the profile; returns how many connections were refreshed. */
  async set(
    ctx: RequestContext,
    cgwId: string,
    profile: DeviceProfile | undefined,
  ): Promise<{ cgw: CustomerGateway; connections: number }> {
    authorize(ctx, 'write', profile ? 'SetDeviceProfile' : 'DeleteDeviceProfile');
    const current = await customerGatewayOf(this.#store, ctx, cgwId);
    if (profile) checkDeviceProfile(profile);
    else if (!current.deviceProfile) throw new DomainError('NotFound', `customer gateway ${cgwId} has no device profile`);
    const cgw: CustomerGateway = { ...current, deviceProfile: profile, updatedAt: new Date(this.#clock.now()).toISOString() };
    await this.#store.updateCustomerGateway(cgw);
    return { cgw, connections: await this.#reapply(ctx, cgw) };
  }

  /** Hands a fault to the data plane for one tunnel (by index) or every tunnel of the connection. */
  async injectFault(ctx: RequestContext, connectionId: string, fault: Fault, tunnelIndex?: number): Promise<Tunnel[]> {
    authorize(ctx, 'admin', 'InjectFault');
    const connection = await connectionOf(this.#store, ctx, connectionId);
    const dataplane = this.#dataplane;
    if (!canInjectFaults(dataplane)) {
      throw new DomainError('Unsupported', `the ${dataplane.name} data plane cannot inject faults`);
    }
    const tunnels = tunnelIndex === undefined ? connection.tunnels : connection.tunnels.filter((t) => t.index === tunnelIndex);
    if (tunnels.length === 0) {
      throw DomainError.invalid('tunnelIndex', `vpn connection ${connectionId} has no tunnel with index ${tunnelIndex}`);
    }
    for (const t of tunnels) dataplane.injectFault(t.id, fault);
    return tunnels;
  }

  /** Every tunnel of every connection using the customer gateway gets its intent again, same generation. */
  async #reapply(ctx: RequestContext, cgw: CustomerGateway): Promise<number> {
    const gateways = new Map<string, VpnGateway | undefined>();
    let marker: string | undefined;
    let count = 0;
    do {
      const page = await this.#store.listConnections(ctx.tenantId, { cgwId: cgw.id }, { limit: PAGE, marker });
      for (const connection of page.items) {
        if (!gateways.has(connection.vgwId)) gateways.set(connection.vgwId, await this.#store.getGateway(ctx.tenantId, connection.vgwId));
        const gateway = gateways.get(connection.vgwId);
        if (!gateway) continue;
        for (const t of connection.tunnels) this.#dataplane.apply(tunnelIntent(connection, t, gateway, cgw));
        count++;
      }
      marker = page.nextMarker;
    } while (marker);
    return count;
  }
}
