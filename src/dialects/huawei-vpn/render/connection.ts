// The ResponseVpnConnection of the show-connection seed (Tables 3-8), field by field and in its
// order. Conditional fields appear only where the seed says. A Huawei connection has one tunnel;
// for a connection made through the EC2 dialect, its first tunnel is shown.
import type { Tunnel, VpnConnection } from '../../../domain/entities.ts';
import { connectionStatus } from '../../../domain/status.ts';
import { huaweiDhGroup, huaweiEncryption, huaweiIntegrity, huaweiStyle } from '../names.ts';

export function renderConnection(c: VpnConnection): Record<string, unknown> {
  const t = c.tunnels[0];
  const gm = c.vgwTraits.flavor === 'GM';
  const out: Record<string, unknown> = {
    id: c.id,
    name: c.name,
    status: connectionStatus(c),
    // Only while stale (issue 13): why the status is UNKNOWN.
    ...(t.observed.stale ? { status_reason: t.observed.stale } : {}),
    vgw_id: c.vgwId,
    vgw_ip: c.vgwTraits.networkType === 'private' ? t.outsideIp : t.outsideIpId,
    style: huaweiStyle(c.style),
    cgw_id: c.cgwId,
  };
  const erHidesSubnets = c.vgwTraits.attachmentType === 'er' && (c.style === 'bgp' || c.style === 'policy');
  if (!erHidesSubnets) out.peer_subnets = c.peerSubnets;
  if (c.style === 'static' || c.style === 'bgp') {
    if (t.tunnelLocalAddress) out.tunnel_local_address = t.tunnelLocalAddress;
    if (t.tunnelPeerAddress) out.tunnel_peer_address = t.tunnelPeerAddress;
  }
  if (c.style === 'static') out.enable_nqa = c.enableNqa;
  if (c.style === 'policy') {
    out.policy_rules = c.policyRules.map((r) => ({ rule_index: r.ruleIndex, source: r.source, destination: r.destinations }));
  }
  out.ikepolicy = renderIkePolicy(t, gm);
  out.ipsecpolicy = renderIpsecPolicy(t, gm);
  out.created_at = c.createdAt;
  out.updated_at = c.updatedAt;
  out.enterprise_project_id = c.enterpriseProjectId;
  if (c.connectionMonitorId) out.connection_monitor_id = c.connectionMonitorId;
  out.ha_role = c.haRole;
  if (c.tags.length > 0) out.tags = c.tags.map((tag) => ({ key: tag.key, value: tag.value }));
  return out;
}

function renderIkePolicy(t: Tunnel, gm: boolean): Record<string, unknown> {
  const ike = t.ike;
  const version = ike.versions[0];
  const out: Record<string, unknown> = { ike_version: version };
  if (version === 'v1') out.phase1_negotiation_mode = ike.phase1Mode;
  out.authentication_algorithm = huaweiIntegrity(ike.integrity[0]);
  out.encryption_algorithm = huaweiEncryption(ike.encryption[0]);
  if (!gm) out.dh_group = huaweiDhGroup(ike.dhGroups[0]);
  out.authentication_method = ike.authMethod;
  out.lifetime_seconds = ike.lifetimeSeconds;
  if (!gm) {
    out.local_id_type = ike.localIdType;
    out.local_id = ike.localId ?? t.outsideIp;
    out.peer_id_type = ike.peerIdType;
    out.peer_id = ike.peerId;
  }
  out.dpd = { timeout: ike.dpd.timeoutSeconds, interval: ike.dpd.intervalSeconds, msg: ike.dpd.msg };
  return out;
}

function renderIpsecPolicy(t: Tunnel, gm: boolean): Record<string, unknown> {
  const ipsec = t.ipsec;
  const out: Record<string, unknown> = {
    authentication_algorithm: huaweiIntegrity(ipsec.integrity[0]),
    encryption_algorithm: huaweiEncryption(ipsec.encryption[0]),
  };
  if (!gm) out.pfs = ipsec.pfsGroups.length > 0 ? huaweiDhGroup(ipsec.pfsGroups[0]) : 'disable';
  out.transform_protocol = ipsec.transformProtocol;
  out.lifetime_seconds = ipsec.lifetimeSeconds;
  out.encapsulation_mode = ipsec.encapsulationMode;
  return out;
}
