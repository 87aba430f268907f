// Response shapes shared by several actions, member names as in the EC2 API model (the writer
// derives the lowerCamel element names and the xSet/item lists from them).
import { bool, int, list, named, str, struct, timestamp, valueList } from './protocol/xml-writer.ts';

export const TagShape = struct({ Key: str, Value: str });
export const TagsShape = list(TagShape);

export const TunnelOptionShape = struct({
  OutsideIpAddress: str,
  TunnelInsideCidr: str,
  PreSharedKey: str,
  Phase1LifetimeSeconds: int,
  Phase2LifetimeSeconds: int,
  RekeyMarginTimeSeconds: int,
  RekeyFuzzPercentage: int,
  ReplayWindowSize: int,
  DpdTimeoutSeconds: int,
  DpdTimeoutAction: str,
  Phase1EncryptionAlgorithms: valueList(str),
  Phase2EncryptionAlgorithms: valueList(str),
  Phase1IntegrityAlgorithms: valueList(str),
  Phase2IntegrityAlgorithms: valueList(str),
  Phase1DHGroupNumbers: valueList(int),
  Phase2DHGroupNumbers: valueList(int),
  IkeVersions: named('ikeVersionSet', valueList(str)),
  StartupAction: str,
  EnableTunnelLifecycleControl: bool,
});

export const VgwTelemetryShape = struct({
  AcceptedRouteCount: int,
  LastStatusChange: timestamp,
  OutsideIpAddress: str,
  Status: str,
  StatusMessage: str,
});

export const VpnConnectionShape = struct({
  CustomerGatewayConfiguration: str,
  CustomerGatewayId: str,
  Category: str,
  State: str,
  Type: str,
  VpnConnectionId: str,
  VpnGatewayId: str,
  GatewayAssociationState: str,
  Options: struct({
    EnableAcceleration: bool,
    StaticRoutesOnly: bool,
    LocalIpv4NetworkCidr: str,
    RemoteIpv4NetworkCidr: str,
    OutsideIpAddressType: str,
    TunnelInsideIpVersion: str,
    TunnelOptions: list(TunnelOptionShape),
  }),
  Routes: list(struct({ DestinationCidrBlock: str, Source: str, State: str })),
  Tags: TagsShape,
  VgwTelemetry: list(VgwTelemetryShape),
});

export const VpnGatewayShape = struct({
  AvailabilityZone: str,
  State: str,
  Type: str,
  VpcAttachments: list(struct({ State: str, VpcId: str })),
  VpnGatewayId: str,
  AmazonSideAsn: int,
  Tags: TagsShape,
});

export const CustomerGatewayShape = struct({
  BgpAsn: str,
  BgpAsnExtended: str,
  CustomerGatewayId: str,
  IpAddress: str,
  CertificateArn: str,
  State: str,
  Type: str,
  DeviceName: str,
  Tags: TagsShape,
});

export const VpnConnectionDeviceTypeShape = struct({
  VpnConnectionDeviceTypeId: str,
  Vendor: str,
  Platform: str,
  Software: str,
});

export const MaintenanceDetailsShape = struct({
  PendingMaintenance: str,
  MaintenanceAutoAppliedAfter: timestamp,
  LastMaintenanceApplied: timestamp,
});
