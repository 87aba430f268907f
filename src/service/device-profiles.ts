// The customer device as the simulated data plane plays it: a customer gateway's device profile,
// the per-tunnel intents it feeds (for diagnostics and dry negotiations), and the faults an admin
// injects. A profile change re-applies every affected tunnel's intent with the SAME generation:
// the tunnel stays as it is and the driver uses the new profile at its next negotiation (rekey,
// retry, reset), except that a profile turning `reachable` off starts dead peer detection at once.
import { isDhGroup, isEncryption, isIntegrity, isAead } from '../domain/algorithms.ts';
import { isCidr, isIpv4 } from '../domain/cidr.ts';
import type { CustomerGateway, DeviceProfile, Tunnel, VpnConnection, VpnGateway } from '../domain/entities.ts';
import { DomainError } from '../domain/errors.ts';
import { systemClock, type Clock } from '../domain/ports.ts';
import { canInjectFaults, type DataplaneDriver, type Fault, type TunnelIntent } from '../dataplane/driver.ts';
import type { Store } from '../store/store.ts';
import { connectionOf, customerGatewayOf, gatewayOf } from './scoped.ts';
import { authorize, type RequestContext } from './context.ts';
import { tunnelIntent } from './intents.ts';
import { hasControlCharacters } from './validation.ts';

export interface TunnelIntentView {
  tunnel: Tunnel;
  intent: TunnelIntent;
}

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
  async set(ctx: RequestContext, cgwId: string, profile: DeviceProfile | undefined): Promise<{ cgw: CustomerGateway; connections: number }> {
    authorize(ctx, 'write', profile ? 'SetDeviceProfile' : 'DeleteDeviceProfile');
    const current = await customerGatewayOf(this.#store, ctx, cgwId);
    if (profile) checkDeviceProfile(profile);
    else if (!current.deviceProfile) throw new DomainError('NotFound', `customer gateway ${cgwId} has no device profile`);
    const cgw: CustomerGateway = { ...current, deviceProfile: profile, updatedAt: new Date(this.#clock.now()).toISOString() };
    await this.#store.updateCustomerGateway(cgw);
    return { cgw, connections: await this.#reapply(ctx, cgw) };
  }

  /**
   * The intents the data plane holds for a connection's tunnels, or, with `device`, the intents
   * it would hold with that device profile (null: with no profile at all). Nothing is changed.
   */
  async intents(ctx: RequestContext, connectionId: string, device?: DeviceProfile | null): Promise<{ connection: VpnConnection; tunnels: TunnelIntentView[] }> {
    authorize(ctx, 'read', 'DescribeVpnConnections');
    const connection = await connectionOf(this.#store, ctx, connectionId);
    const gateway = await gatewayOf(this.#store, ctx, connection.vgwId);
    let cgw = await customerGatewayOf(this.#store, ctx, connection.cgwId);
    if (device !== undefined) {
      if (device) checkDeviceProfile(device);
      cgw = { ...cgw, deviceProfile: device ?? undefined };
    }
    const tunnels = connection.tunnels.map((tunnel) => ({ tunnel, intent: tunnelIntent(connection, tunnel, gateway, cgw) }));
    return { connection, tunnels };
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

function invalid(field: string, message: string): never {
  throw DomainError.invalid(`deviceProfile.${field}`, `device profile: ${message}`);
}

/** The domain's own check of a profile, whatever the dialect validated at its edge. */
export function checkDeviceProfile(p: DeviceProfile): void {
  if (p.ikeVersions.length === 0 || new Set(p.ikeVersions).size !== p.ikeVersions.length || !p.ikeVersions.every((v) => v === 'v1' || v === 'v2')) {
    invalid('ikeVersions', 'IKE versions must be v1 and/or v2, each at most once');
  }
  if (p.ikeProposals.length === 0) invalid('ikeProposals', 'at least one IKE proposal is required');
  for (const ike of p.ikeProposals) {
    if (ike.encryption.length === 0 || !ike.encryption.every(isEncryption)) invalid('ikeProposals', 'invalid IKE encryption algorithms');
    if (ike.integrity.length === 0 || !ike.integrity.every(isIntegrity)) invalid('ikeProposals', 'invalid IKE integrity algorithms');
    if (ike.dhGroups.length === 0 || !ike.dhGroups.every(isDhGroup)) invalid('ikeProposals', 'invalid IKE DH groups');
  }
  if (p.espProposals.length === 0) invalid('espProposals', 'at least one ESP proposal is required');
  for (const esp of p.espProposals) {
    if (esp.encryption.length === 0 || !esp.encryption.every(isEncryption)) invalid('espProposals', 'invalid ESP encryption algorithms');
    if (!esp.integrity.every(isIntegrity)) invalid('espProposals', 'invalid ESP integrity algorithms');
    if (esp.integrity.length === 0 && !esp.encryption.every(isAead)) invalid('espProposals', 'an ESP proposal with a non-AEAD cipher needs an integrity algorithm');
    if (!esp.pfsGroups.every(isDhGroup)) invalid('espProposals', 'invalid ESP PFS groups');
  }
  if (p.psk !== undefined && (p.psk.length < 8 || p.psk.length > 128)) invalid('psk', 'the pre-shared key must be 8 to 128 characters');
  if (p.psk !== undefined && hasControlCharacters(p.psk)) invalid('psk', 'the pre-shared key must not contain control characters');
  if (p.idType === 'fqdn' && !p.idValue) invalid('idValue', 'an identity value is required when the identity type is fqdn');
  if (p.idType === 'ip' && p.idValue !== undefined && !isIpv4(p.idValue)) {
    invalid('idValue', 'the identity value must be an IPv4 address when the identity type is ip');
  }
  if (p.dpd && (p.dpd.intervalSeconds < 10 || p.dpd.intervalSeconds > 3600 || p.dpd.timeoutSeconds < 2 || p.dpd.timeoutSeconds > 60)) {
    invalid('dpd', 'DPD interval must be 10 to 3600 seconds and timeout 2 to 60 seconds');
  }
  if (p.subnets && (p.subnets.length === 0 || !p.subnets.every((s) => isCidr(s)))) invalid('subnets', 'subnets must be CIDR blocks');
}
