// GET /v5/{project_id}/vpn-gateways/availability-zones — https://support.huaweicloud.com/intl/en-us/api-vpn/ListAvailabilityZones.html
import type { VpnGateway } from '../../../domain/entities.ts';
import type { RequestContext } from '../../../service/context.ts';
import type { Services } from '../../../service/services.ts';
import { route } from '../route.ts';

export interface ZonesByAttachment {
  vpc: string[];
  er: string[];
}

/** The AvailabilityZones object's keys, in the reference's order. */
const FLAVOR_KEYS = ['basic', 'professional1', 'Professional1-NonFixedIP', 'professional2', 'Professional2-NonFixedIP', 'gm'] as const;

const KEY_OF: Record<VpnGateway['flavor'], (typeof FLAVOR_KEYS)[number]> = {
  Basic: 'basic',
  Professional1: 'professional1',
  Professional2: 'professional2',
  GM: 'gm',
};

/**
 * A sitevpn region offers two zones, <region>a and <region>b, to every flavor it serves. Basic
 * gateways cannot attach to an enterprise router; the NonFixedIP flavors are not served.
 */
export function availabilityZones(region: string): Record<string, ZonesByAttachment> {
  const zones = [`${region}a`, `${region}b`];
  const out: Record<string, ZonesByAttachment> = {};
  for (const key of FLAVOR_KEYS) {
    if (key.endsWith('NonFixedIP')) out[key] = { vpc: [], er: [] };
    else out[key] = { vpc: [...zones], er: key === 'basic' ? [] : [...zones] };
  }
  return out;
}

/** The zones a gateway of this flavor and attachment may be placed in, for the caller's project. */
export async function zonesFor(
  services: Services,
  ctx: RequestContext,
  flavor: VpnGateway['flavor'],
  attachment: 'vpc' | 'er',
): Promise<string[]> {
  return availabilityZones(await regionOf(services, ctx))[KEY_OF[flavor]][attachment];
}

async function regionOf(services: Services, ctx: RequestContext): Promise<string> {
  const project = await services.tenants.projectOf(ctx.tenantId, ctx.projectId);
  return project?.region ?? 'default';
}

export default route({
  method: 'GET',
  url: '/vpn-gateways/availability-zones',
  status: 200,
  async handle({ ctx }, services) {
    return { availability_zones: availabilityZones(await regionOf(services, ctx)) };
  },
});
