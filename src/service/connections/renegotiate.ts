// Huawei reset / AWS ReplaceVpnTunnel: tear a tunnel's SAs down and negotiate again.
import type { VpnConnection } from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import { isInFlight } from '../../domain/status.ts';
import { authorize, type RequestContext } from '../context.ts';
import { tunnelIntent } from '../intents.ts';
import { connectionOf, customerGatewayOf, gatewayOf } from '../scoped.ts';
import { type ConnectionDeps, isoNow } from './deps.ts';
import { renegotiating } from './tunnels.ts';

export async function renegotiateConnection(
  deps: ConnectionDeps,
  ctx: RequestContext,
  id: string,
  tunnelIndex?: number,
): Promise<VpnConnection> {
  authorize(ctx, 'write', 'ResetVpnConnection');
  const connection = await connectionOf(deps.store, ctx, id);
  if (isInFlight(connection)) {
    throw new DomainError('IncorrectState', `vpn connection ${id} is in a pending state`, { resource: 'VpnConnection', id });
  }
  const gateway = await gatewayOf(deps.store, ctx, connection.vgwId);
  const cgw = await customerGatewayOf(deps.store, ctx, connection.cgwId);
  const now = isoNow(deps.clock);
  const chosen = (index: number) => tunnelIndex === undefined || index === tunnelIndex;
  const next: VpnConnection = {
    ...connection,
    pendingOperation: 'update',
    tunnels: connection.tunnels.map((t) => (chosen(t.index) ? { ...renegotiating(t, now), lastReplacedAt: now } : t)),
  };
  await deps.store.updateConnection(next);
  for (const t of next.tunnels) if (chosen(t.index)) deps.dataplane.apply(tunnelIntent(next, t, gateway, cgw));
  return next;
}
