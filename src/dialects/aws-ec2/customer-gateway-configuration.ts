// The customerGatewayConfiguration document EC2 returns with a VPN connection: an XML description
// of both tunnels for the customer's device, built from this connection's real values. The
// pre-shared keys are the one thing left out: sitevpn never returns a secret.
import { addressOf } from '../../domain/cidr.ts';
import type { CustomerGateway, Tunnel, VpnConnection } from '../../domain/entities.ts';
import { escapeXml } from './protocol/xml-writer.ts';

const INTEGRITY_PROTOCOL: Record<string, string> = {
  sha1: 'hmac-sha1-96',
  'sha2-256': 'hmac-sha2-256-128',
  'sha2-384': 'hmac-sha2-384-192',
  'sha2-512': 'hmac-sha2-512-256',
  md5: 'hmac-md5-96',
  sm3: 'hmac-sm3',
};

function address(cidrAddress: string | undefined): { ip: string; mask: string } | undefined {
  if (!cidrAddress) return undefined;
  return { ip: addressOf(cidrAddress), mask: '255.255.255.252' };
}

function tunnelXml(c: VpnConnection, t: Tunnel, cgw: CustomerGateway, bgpAsnOfGateway: number): string {
  const ours = address(t.tunnelLocalAddress);
  const theirs = address(t.tunnelPeerAddress);
  const bgp = c.style === 'bgp';
  const inside = (a: { ip: string; mask: string } | undefined) =>
    a ? `<tunnel_inside_address><ip_address>${a.ip}</ip_address><network_mask>${a.mask}</network_mask><network_cidr>30</network_cidr></tunnel_inside_address>` : '';
  const pfs = t.ipsec.pfsGroups[0];
  return (
    `<ipsec_tunnel>` +
    `<customer_gateway><tunnel_outside_address><ip_address>${escapeXml(cgw.idValue)}</ip_address></tunnel_outside_address>${inside(theirs)}` +
    (bgp ? `<bgp><asn>${cgw.bgpAsn}</asn><hold_time>30</hold_time></bgp>` : '') +
    `</customer_gateway>` +
    `<vpn_gateway><tunnel_outside_address><ip_address>${t.outsideIp}</ip_address></tunnel_outside_address>${inside(ours)}` +
    (bgp ? `<bgp><asn>${bgpAsnOfGateway}</asn><hold_time>30</hold_time></bgp>` : '') +
    `</vpn_gateway>` +
    `<ike><authentication_protocol>${t.ike.integrity[0]}</authentication_protocol><encryption_protocol>${t.ike.encryption[0]}</encryption_protocol>` +
    `<lifetime>${t.ike.lifetimeSeconds}</lifetime><perfect_forward_secrecy>group${t.ike.dhGroups[0]}</perfect_forward_secrecy>` +
    `<mode>${t.ike.phase1Mode}</mode><version>ike${t.ike.versions[0]}</version><pre_shared_key redacted="true"/></ike>` +
    `<ipsec><protocol>esp</protocol><authentication_protocol>${INTEGRITY_PROTOCOL[t.ipsec.integrity[0]]}</authentication_protocol>` +
    `<encryption_protocol>${t.ipsec.encryption[0]}</encryption_protocol><lifetime>${t.ipsec.lifetimeSeconds}</lifetime>` +
    `<perfect_forward_secrecy>${pfs ? `group${pfs}` : 'none'}</perfect_forward_secrecy><mode>tunnel</mode>` +
    `<clear_df_bit>true</clear_df_bit><fragmentation_before_encryption>true</fragmentation_before_encryption>` +
    `<tcp_mss_adjustment>1379</tcp_mss_adjustment>` +
    `<dead_peer_detection><delay>${t.ike.dpd.intervalSeconds}</delay><retry>${Math.max(1, Math.round(t.ike.dpd.timeoutSeconds / t.ike.dpd.intervalSeconds))}</retry></dead_peer_detection>` +
    `</ipsec></ipsec_tunnel>`
  );
}

/** Connections and customer gateways are frozen snapshots: a new write is a new object. */
const rendered = new WeakMap<VpnConnection, { cgwVersion: string; xml: string }>();

export function customerGatewayConfiguration(c: VpnConnection, cgw: CustomerGateway, gatewayAsn = 64512): string {
  const cgwVersion = `${cgw.id}@${cgw.updatedAt}`;
  const hit = rendered.get(c);
  if (hit && hit.cgwVersion === cgwVersion) return hit.xml;
  const xml = renderConfiguration(c, cgw, gatewayAsn);
  rendered.set(c, { cgwVersion, xml });
  return xml;
}

function renderConfiguration(c: VpnConnection, cgw: CustomerGateway, gatewayAsn: number): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<vpn_connection id="${escapeXml(c.id)}">` +
    `<customer_gateway_id>${escapeXml(c.cgwId)}</customer_gateway_id><vpn_gateway_id>${escapeXml(c.vgwId)}</vpn_gateway_id>` +
    `<vpn_connection_type>ipsec.1</vpn_connection_type>` +
    c.tunnels.map((t) => tunnelXml(c, t, cgw, gatewayAsn)).join('') +
    `</vpn_connection>`
  );
}
