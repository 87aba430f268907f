// Domain objects in EC2's response terms.
import type { CustomerGateway, Tag, Tunnel, VpnConnection, VpnGateway } from '../../domain/entities.ts';
import { insideCidrOf } from '../../service/tunnel-defaults.ts';
import { awsEncryption, awsIkeVersion, awsIntegrity } from './names.ts';

export function renderTags(tags: Tag[]) {
  return tags.map((t) => ({ Key: t.key, Value: t.value }));
}

/** EC2 states of a connection: pending until the data plane has reported, then available. */
export function connectionState(c: VpnConnection): string {
  if (c.state === 'deleting' || c.state === 'deleted') return c.state;
  return c.pendingOperation === 'create' ? 'pending' : 'available';
}

/** A tunnel's options; the pre-shared key only when the caller may see it (and it was kept). */
export function renderTunnelOptions(t: Tunnel, withKeys = false) {
  return {
    OutsideIpAddress: t.outsideIp,
    TunnelInsideCidr: t.tunnelLocalAddress ? insideCidrOf(t.tunnelLocalAddress) : undefined,
    PreSharedKey: withKeys && t.psk ? t.psk : undefined,
    Phase1LifetimeSeconds: t.ike.lifetimeSeconds,
    Phase2LifetimeSeconds: t.ipsec.lifetimeSeconds,
    RekeyMarginTimeSeconds: t.ike.rekeyMarginSeconds,
    RekeyFuzzPercentage: t.ike.rekeyFuzzPercent,
    ReplayWindowSize: t.ipsec.replayWindowSize,
    DpdTimeoutSeconds: t.ike.dpd.timeoutSeconds,
    DpdTimeoutAction: t.ike.dpd.action,
    Phase1EncryptionAlgorithms: t.ike.encryption.map((e) => ({ Value: awsEncryption(e) })),
    Phase2EncryptionAlgorithms: t.ipsec.encryption.map((e) => ({ Value: awsEncryption(e) })),
    Phase1IntegrityAlgorithms: t.ike.integrity.map((i) => ({ Value: awsIntegrity(i) })),
    Phase2IntegrityAlgorithms: t.ipsec.integrity.map((i) => ({ Value: awsIntegrity(i) })),
    Phase1DHGroupNumbers: t.ike.dhGroups.map((g) => ({ Value: g })),
    Phase2DHGroupNumbers: t.ipsec.pfsGroups.map((g) => ({ Value: g })),
    IkeVersions: t.ike.versions.map((v) => ({ Value: awsIkeVersion(v) })),
    StartupAction: t.startupAction,
    EnableTunnelLifecycleControl: false,
  };
}

export function renderTelemetry(t: Tunnel) {
  return {
    AcceptedRouteCount: 0,
    LastStatusChange: t.observed.lastStatusChange,
    OutsideIpAddress: t.outsideIp,
    Status: t.observed.ikeStatus,
    StatusMessage: t.observed.stale ?? t.observed.statusMessage,
  };
}

export function renderConnection(c: VpnConnection, customerGatewayConfiguration?: string, withKeys = false) {
  return {
    CustomerGatewayConfiguration: customerGatewayConfiguration,
    CustomerGatewayId: c.cgwId,
    Category: 'VPN',
    State: connectionState(c),
    Type: 'ipsec.1',
    VpnConnectionId: c.id,
    VpnGatewayId: c.vgwId,
    GatewayAssociationState: 'associated',
    Options: {
      EnableAcceleration: false,
      StaticRoutesOnly: c.style === 'static',
      LocalIpv4NetworkCidr: c.localNetworkCidr ?? '0.0.0.0/0',
      RemoteIpv4NetworkCidr: c.remoteNetworkCidr ?? '0.0.0.0/0',
      OutsideIpAddressType: 'PublicIpv4',
      TunnelInsideIpVersion: 'ipv4',
      TunnelOptions: c.tunnels.map((t) => renderTunnelOptions(t, withKeys)),
    },
    Routes: c.staticRoutes.map((r) => ({ DestinationCidrBlock: r.cidr, Source: 'Static', State: r.state })),
    Tags: renderTags(c.tags),
    VgwTelemetry: c.tunnels.map(renderTelemetry),
  };
}

export function renderGateway(g: VpnGateway) {
  return {
    State: g.state,
    Type: 'ipsec.1',
    VpcAttachments: g.attachments.map((a) => ({ State: a.state, VpcId: a.vpcId })),
    VpnGatewayId: g.id,
    AmazonSideAsn: g.bgpAsn,
    Tags: renderTags(g.tags),
  };
}

export function renderCustomerGateway(c: CustomerGateway) {
  return {
    BgpAsn: String(c.bgpAsn),
    BgpAsnExtended: c.bgpAsn > 2147483647 ? String(c.bgpAsn) : undefined,
    CustomerGatewayId: c.id,
    IpAddress: c.idType === 'ip' ? c.idValue : undefined,
    State: c.state,
    Type: 'ipsec.1',
    DeviceName: c.deviceName,
    Tags: renderTags(c.tags),
  };
}

/** A VPN gateway as the EC2 gateway actions return it: renderGateway plus the zone it was made in. */
export function renderVpnGatewayWithZone(g: VpnGateway) {
  return { ...renderGateway(g), AvailabilityZone: g.availabilityZoneIds[0] };
}
