// CreateVpnConnection / POST vpn-connection: validate, store the connection PENDING_CREATE within
// the quota, hand each tunnel's intent to the data plane.
import type { VpnConnection } from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import { authorize, type RequestContext } from '../context.ts';
import { tunnelIntent } from '../intents.ts';
import { customerGatewayOf, gatewayOf } from '../scoped.ts';
import { checkEc2TagSet } from '../tags.ts';
import { defaultConnectionName } from '../tunnel-defaults.ts';
import { checkCidrs, checkName, checkPolicyRules, checkTags } from '../validation.ts';
import { type ConnectionDeps, isoNow } from './deps.ts';
import type { CreateConnectionInput } from './inputs.ts';
import { refuseDuplicatePeer, refuseUnsupported } from './refusals.ts';
import { newTunnel, withResolvedIds } from './tunnels.ts';

export async function createConnection(deps: ConnectionDeps, ctx: RequestContext, input: CreateConnectionInput): Promise<VpnConnection> {
  authorize(ctx, 'write', 'CreateVpnConnection');
  const gateway = await gatewayOf(deps.store, ctx, input.vgwId);
  const cgw = await customerGatewayOf(deps.store, ctx, input.cgwId);
  if (input.name !== undefined) checkName('name', input.name);
  checkCidrs('peerSubnets', input.peerSubnets ?? []);
  for (const f of ['localNetworkCidr', 'remoteNetworkCidr'] as const) if (input[f]) checkCidrs(f, [input[f]!]);
  checkPolicyRules(input.policyRules ?? []);
  if (input.tagRules === 'ec2') checkEc2TagSet(input.tags ?? []);
  else checkTags(input.tags ?? []);
  if (input.enterpriseProjectId !== undefined && input.enterpriseProjectId !== gateway.enterpriseProjectId) {
    throw DomainError.invalid('enterpriseProjectId', 'enterprise_project_id must be the same as that of the VPN gateway');
  }
  const quota = {
    limit: deps.quota,
    exceeded: () =>
      new DomainError('QuotaExceeded', `the quota of ${deps.quota} VPN connections is used up`, { resource: 'VpnConnection' }),
  };
  if ((await deps.store.countConnections(ctx.tenantId, ctx.projectId)) >= deps.quota) throw quota.exceeded();
  const now = isoNow(deps.clock);
  const id = deps.ids.next('vpn-connection', ctx.idStyle);
  const tunnels = input.tunnels.map((t, index) => withResolvedIds(newTunnel(deps.ids, id, index, t, gateway, now), cgw));
  await refuseDuplicatePeer(deps, ctx, tunnels, cgw.id, id);
  const connection: VpnConnection = {
    id,
    tenantId: ctx.tenantId,
    projectId: ctx.projectId,
    name: input.name ?? defaultConnectionName(),
    vgwId: gateway.id,
    vgwTraits: { attachmentType: gateway.attachmentType, flavor: gateway.flavor, networkType: gateway.networkType },
    cgwId: cgw.id,
    style: input.style,
    peerSubnets: input.peerSubnets ?? [],
    localNetworkCidr: input.localNetworkCidr,
    remoteNetworkCidr: input.remoteNetworkCidr,
    enableNqa: input.enableNqa ?? false,
    policyRules: input.policyRules ?? [],
    haRole: input.haRole ?? 'master',
    enterpriseProjectId: gateway.enterpriseProjectId,
    staticRoutes: input.staticRoutes ?? [],
    tags: input.tags ?? [],
    state: 'pending',
    pendingOperation: 'create',
    createdAt: now,
    updatedAt: now,
    tunnels,
  };
  refuseUnsupported(deps, connection, gateway, cgw);
  // Counted again with the insert, atomically: creates racing for the last slot get one each.
  await deps.store.insertConnection(connection, quota);
  for (const t of tunnels) deps.dataplane.apply(tunnelIntent(connection, t, gateway, cgw));
  return connection;
}
