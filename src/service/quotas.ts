// Quota usage: the configured per-project quotas beside real counts, computed through the other
// services' reads (so the caller's read access is checked and the counts are project-scoped).
import type { RequestContext } from './context.ts';
import type { Services } from './services.ts';

export type QuotaResource = 'customer_gateway' | 'vpn_connection' | 'vpn_gateway';

export interface QuotaUsage {
  type: QuotaResource;
  quota: number;
  used: number;
}

export async function quotaUsage(services: Services, ctx: RequestContext): Promise<QuotaUsage[]> {
  const [cgws, connections, gateways] = await Promise.all([
    services.customerGateways.list(ctx),
    services.connections.list(ctx, {}, { limit: 1 }),
    services.gateways.list(ctx),
  ]);
  return [
    { type: 'customer_gateway', quota: services.quotas.customerGateways, used: cgws.length },
    { type: 'vpn_connection', quota: services.quotas.connections, used: connections.total },
    { type: 'vpn_gateway', quota: services.quotas.gateways, used: gateways.length },
  ];
}

export interface GatewayConnectionUsage {
  /** Connections that use the gateway. */
  connections: number;
  /** Connection groups: the distinct customer gateways among those connections. */
  groups: number;
}

/** How many connections (and connection groups) each gateway of the project carries. */
export async function connectionUsageByGateway(
  services: Services,
  ctx: RequestContext,
  vgwId?: string,
): Promise<Map<string, GatewayConnectionUsage>> {
  const page = await services.connections.list(ctx, vgwId === undefined ? {} : { vgwId });
  const peers = new Map<string, Set<string>>();
  const usage = new Map<string, GatewayConnectionUsage>();
  for (const c of page.items) {
    const u = usage.get(c.vgwId) ?? { connections: 0, groups: 0 };
    const seen = peers.get(c.vgwId) ?? new Set<string>();
    u.connections++;
    seen.add(c.cgwId);
    u.groups = seen.size;
    usage.set(c.vgwId, u);
    peers.set(c.vgwId, seen);
  }
  return usage;
}

export const NO_CONNECTIONS: GatewayConnectionUsage = { connections: 0, groups: 0 };
