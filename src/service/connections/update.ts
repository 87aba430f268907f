// ModifyVpnConnection / PUT vpn-connection: merge the change, renegotiate the tunnels whose
// config or selectors changed (PENDING_UPDATE), leave the others as they are.
import type { Tunnel, VpnConnection } from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import { isInFlight } from '../../domain/status.ts';
import { authorize, type RequestContext } from '../context.ts';
import { tunnelIntent } from '../intents.ts';
import { connectionOf, customerGatewayOf, gatewayOf } from '../scoped.ts';
import { checkCidrs, checkName, checkPolicyRules, checkTags } from '../validation.ts';
import { type ConnectionDeps, isoNow } from './deps.ts';
import type { UpdateConnectionInput } from './inputs.ts';
import { refuseDuplicatePeer, refuseUnsupported } from './refusals.ts';
import { checkTunnel, configDiffers, renegotiating, withResolvedIds } from './tunnels.ts';

export async function updateConnection(
  deps: ConnectionDeps,
  ctx: RequestContext,
  id: string,
  input: UpdateConnectionInput,
): Promise<VpnConnection> {
  authorize(ctx, 'write', 'ModifyVpnConnection');
  const current = await connectionOf(deps.store, ctx, id);
  if (input.name !== undefined) checkName('name', input.name);
  if (input.peerSubnets) checkCidrs('peerSubnets', input.peerSubnets);
  if (input.policyRules) checkPolicyRules(input.policyRules);
  if (input.tags) checkTags(input.tags);
  const gateway = await gatewayOf(deps.store, ctx, current.vgwId);
  const cgw = await customerGatewayOf(deps.store, ctx, input.cgwId ?? current.cgwId);
  const now = isoNow(deps.clock);
  const next: VpnConnection = {
    ...current,
    name: input.name ?? current.name,
    cgwId: cgw.id,
    peerSubnets: input.peerSubnets ?? current.peerSubnets,
    enableNqa: input.enableNqa ?? current.enableNqa,
    policyRules: input.policyRules ?? current.policyRules,
    staticRoutes: input.staticRoutes ?? current.staticRoutes,
    tags: input.tags ?? current.tags,
    localNetworkCidr: input.localNetworkCidr ?? current.localNetworkCidr,
    remoteNetworkCidr: input.remoteNetworkCidr ?? current.remoteNetworkCidr,
    updatedAt: now,
  };
  const selectors = (c: VpnConnection) => JSON.stringify([c.cgwId, c.peerSubnets, c.policyRules, c.localNetworkCidr, c.remoteNetworkCidr]);
  const selectorsChanged = selectors(next) !== selectors(current);
  next.tunnels = current.tunnels.map((t) => {
    const change = input.tunnels?.find((c) => c.index === t.index)?.changes;
    const merged: Tunnel = withResolvedIds(change ? { ...t, ...change } : t, cgw);
    if (change) checkTunnel(merged);
    return selectorsChanged || (change && configDiffers(t, merged)) ? renegotiating(merged, now) : merged;
  });
  // Bad input is refused as such whatever the state; only a valid change waits for a pending one.
  if (isInFlight(current)) {
    throw new DomainError('IncorrectState', `vpn connection ${id} is in a pending state and cannot be modified`, {
      resource: 'VpnConnection',
      id,
    });
  }
  if (next.cgwId !== current.cgwId) await refuseDuplicatePeer(deps, ctx, next.tunnels, next.cgwId, id);
  const renegotiate = next.tunnels.filter((t, i) => t.generation !== current.tunnels[i].generation);
  if (renegotiate.length > 0) {
    next.pendingOperation = 'update';
    refuseUnsupported(deps, next, gateway, cgw);
  }
  await deps.store.updateConnection(next);
  for (const t of renegotiate) deps.dataplane.apply(tunnelIntent(next, t, gateway, cgw));
  return next;
}
