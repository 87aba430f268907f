// What a connection write refuses after its input checks: a second IKE peer pair on the same
// addresses, and settings the data plane cannot carry out.
import type { CustomerGateway, Tunnel, VpnConnection, VpnGateway } from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import type { RequestContext } from '../context.ts';
import { tunnelIntent } from '../intents.ts';
import type { ConnectionDeps } from './deps.ts';

/** One IKE peer pair per (gateway outside IP, customer gateway): IKE could not tell two apart. */
export async function refuseDuplicatePeer(
  deps: ConnectionDeps,
  ctx: RequestContext,
  tunnels: Tunnel[],
  cgwId: string,
  selfId: string,
): Promise<void> {
  for (const t of tunnels) {
    // Unpaged: at most one row matches, and a paged listing would also count every match.
    const other = await deps.store.listConnections(ctx.tenantId, { cgwId, outsideIp: t.outsideIp });
    const clash = other.items.find((c) => c.id !== selfId);
    if (clash) {
      throw new DomainError(
        'Duplicate',
        `the VPN gateway IP ${t.outsideIp} and customer gateway ${cgwId} are already used by vpn connection ${clash.id}`,
        { resource: 'VpnConnection', id: clash.id },
      );
    }
  }
}

export function refuseUnsupported(deps: ConnectionDeps, connection: VpnConnection, gateway: VpnGateway, cgw: CustomerGateway): void {
  for (const t of connection.tunnels) {
    const err = deps.dataplane.validate(tunnelIntent(connection, t, gateway, cgw));
    if (err) throw err;
  }
}
