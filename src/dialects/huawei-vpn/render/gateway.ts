// The ResponseVpnGateway of the API reference (ShowVgw / ListVgws / UpdateVgw) and the shorter
// CreateResponseVpnGateway that creation answers, field by field and in the reference's order.
// A public gateway shows its outside IPs as eip1/eip2, a private one as access_private_ip_1/2.
import { createHash } from 'node:crypto';
import type { OutsideIp, VpnGateway } from '../../../domain/entities.ts';
import type { GatewayConnectionUsage } from '../../../service/quotas.ts';

/** 100 connection groups of two connections each per gateway (the documented default quota). */
export const CONNECTION_NUMBER = 200;

/** The most EIP bandwidth (Mbit/s) each flavor allows; an EIP is shown with its flavor's maximum. */
export const FLAVOR_BANDWIDTH: Record<VpnGateway['flavor'], number> = {
  Basic: 100,
  Professional1: 300,
  Professional2: 1000,
  GM: 300,
};

const STATUS: Record<VpnGateway['state'], string> = {
  pending: 'PENDING_CREATE',
  available: 'ACTIVE',
  deleting: 'PENDING_DELETE',
  deleted: 'PENDING_DELETE',
};

export function renderGateway(g: VpnGateway, usage: GatewayConnectionUsage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: g.id,
    name: g.name,
    network_type: g.networkType,
    status: STATUS[g.state],
  };
  Object.assign(out, attachment(g));
  out.bgp_asn = g.bgpAsn;
  out.flavor = g.flavor;
  out.availability_zone_ids = g.availabilityZoneIds;
  Object.assign(out, counts(usage));
  out.enterprise_project_id = g.enterpriseProjectId;
  if (g.networkType === 'public') {
    if (g.outsideIps[0]) out.eip1 = renderEip(g.outsideIps[0], g.flavor);
    if (g.outsideIps[1]) out.eip2 = renderEip(g.outsideIps[1], g.flavor);
  }
  out.created_at = g.createdAt;
  out.updated_at = g.updatedAt;
  Object.assign(out, access(g));
  if (g.networkType === 'private') {
    if (g.outsideIps[0]) out.access_private_ip_1 = g.outsideIps[0].ip;
    if (g.outsideIps[1]) out.access_private_ip_2 = g.outsideIps[1].ip;
  }
  out.ha_mode = g.haMode;
  if (g.tags.length > 0) out.tags = g.tags.map((t) => ({ key: t.key, value: t.value }));
  return out;
}

/** What creation answers: no status, outside IPs or timestamps yet (CreateResponseVpnGateway). */
export function renderCreatedGateway(g: VpnGateway, usage: GatewayConnectionUsage): Record<string, unknown> {
  const out: Record<string, unknown> = { id: g.id, name: g.name, network_type: g.networkType };
  Object.assign(out, attachment(g));
  out.bgp_asn = g.bgpAsn;
  out.flavor = g.flavor;
  Object.assign(out, counts(usage));
  out.enterprise_project_id = g.enterpriseProjectId;
  Object.assign(out, access(g));
  out.ha_mode = g.haMode;
  if (g.tags.length > 0) out.tags = g.tags.map((t) => ({ key: t.key, value: t.value }));
  return out;
}

function attachment(g: VpnGateway): Record<string, unknown> {
  const out: Record<string, unknown> = { attachment_type: g.attachmentType, ip_version: 'ipv4' };
  if (g.attachmentType === 'er') {
    if (g.erId) out.er_id = g.erId;
    return out;
  }
  if (g.vpcId) out.vpc_id = g.vpcId;
  out.local_subnets = g.localSubnets;
  if (g.connectSubnet) out.connect_subnet = g.connectSubnet;
  return out;
}

function counts(usage: GatewayConnectionUsage): Record<string, number> {
  return { connection_number: CONNECTION_NUMBER, used_connection_number: usage.connections, used_connection_group: usage.groups };
}

/** The access VPC and subnet default to the gateway's VPC and connect subnet. */
function access(g: VpnGateway): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (g.vpcId) out.access_vpc_id = g.vpcId;
  if (g.connectSubnet) out.access_subnet_id = g.connectSubnet;
  return out;
}

/**
 * ResponseEip: what the client asked for when it gave the EIP's parameters; otherwise (an EIP
 * by id, or none given) sitevpn's defaults, with a bandwidth id and name derived from the EIP id.
 */
function renderEip(ip: OutsideIp, flavor: VpnGateway['flavor']): Record<string, unknown> {
  const asked = ip.eip ?? {};
  return {
    id: ip.id,
    ip_version: 4,
    type: asked.type ?? '5_bgp',
    ip_address: ip.ip,
    charge_mode: asked.chargeMode ?? 'bandwidth',
    bandwidth_id: asked.bandwidthId ?? derivedUuid(`bandwidth:${ip.id}`),
    bandwidth_size: asked.bandwidthSize ?? FLAVOR_BANDWIDTH[flavor],
    bandwidth_name: asked.bandwidthName ?? `vpngw-bandwidth-${ip.id.replace(/-/g, '').slice(0, 4)}`,
  };
}

/** A stable version-4-shaped UUID derived from a seed. */
export function derivedUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(h[16], 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
