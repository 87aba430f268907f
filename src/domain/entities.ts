// The dialect-neutral domain model. Dialects map their request/response shapes onto these types;
// the store persists them; the data plane receives tunnel intents derived from them.
import type { DhGroup, Encryption, IkeVersion, Integrity } from './algorithms.ts';

export interface Tag {
  key: string;
  value: string;
}

export interface Tenant {
  id: string;
  /** 12-digit AWS-style account id. */
  accountId: string;
  name: string;
  createdAt: string;
}

export interface Project {
  /** 32 hex characters, Huawei style. */
  id: string;
  tenantId: string;
  name: string;
  region: string;
  createdAt: string;
}

/** What a key may do: read-only keys may only call reads; admin keys may also inject faults. */
export type KeyPolicy = 'read-only' | 'full' | 'admin';

export interface AccessKey {
  accessKeyId: string;
  tenantId: string;
  /** Plain secret; only ever held in memory, encrypted at rest by the store. */
  secret: string;
  policy: KeyPolicy;
  description: string;
  createdAt: string;
}

export interface OutsideIp {
  /** EIP id (UUID) as Huawei exposes it. */
  id: string;
  ip: string;
  /** What the client asked for when the EIP was made with the gateway, shown back as asked. */
  eip?: EipSpec;
}

/** A new EIP's parameters as a client gave them (Huawei CreateRequestEip). */
export interface EipSpec {
  type?: string;
  chargeMode?: string;
  bandwidthSize?: number;
  bandwidthName?: string;
  bandwidthId?: string;
}

export type GatewayState = 'pending' | 'available' | 'deleting' | 'deleted';

export interface VpcAttachment {
  vpcId: string;
  state: 'attaching' | 'attached' | 'detaching' | 'detached';
}

export interface VpnGateway {
  id: string;
  tenantId: string;
  projectId: string;
  name: string;
  attachmentType: 'vpc' | 'er' | 'none';
  vpcId?: string;
  erId?: string;
  localSubnets: string[];
  connectSubnet?: string;
  bgpAsn: number;
  flavor: 'Basic' | 'Professional1' | 'Professional2' | 'GM';
  networkType: 'public' | 'private';
  haMode: 'active-active' | 'active-standby';
  availabilityZoneIds: string[];
  outsideIps: OutsideIp[];
  enterpriseProjectId: string;
  /** AWS VPC attachments (AttachVpnGateway); Huawei uses vpcId instead. */
  attachments: VpcAttachment[];
  state: GatewayState;
  tags: Tag[];
  createdAt: string;
  updatedAt: string;
}

/** What the customer's device offers; used by the simulated data plane. */
export interface DeviceProfile {
  ikeVersions: IkeVersion[];
  ikeProposals: { encryption: Encryption[]; integrity: Integrity[]; dhGroups: DhGroup[] }[];
  espProposals: { encryption: Encryption[]; integrity: Integrity[]; pfsGroups: DhGroup[] }[];
  psk?: string;
  idType?: 'ip' | 'fqdn';
  idValue?: string;
  /** The gateway identity the device expects; defaults to whatever the gateway presents. */
  gatewayId?: string;
  phase1Mode?: 'main' | 'aggressive';
  initiates: boolean;
  reachable: boolean;
  dpd?: { intervalSeconds: number; timeoutSeconds: number };
  subnets?: string[];
}

export interface CustomerGateway {
  id: string;
  tenantId: string;
  projectId: string;
  name: string;
  idType: 'ip' | 'fqdn';
  /** The IP address or FQDN that identifies the device. */
  idValue: string;
  bgpAsn: number;
  caCertificate?: string;
  deviceName?: string;
  state: GatewayState;
  tags: Tag[];
  deviceProfile?: DeviceProfile;
  createdAt: string;
  updatedAt: string;
}

export interface DpdPolicy {
  /** Seconds between DPD retransmissions (Huawei `timeout`), or until the peer is dead (AWS). */
  timeoutSeconds: number;
  /** Idle seconds before DPD probes start (Huawei `interval`). */
  intervalSeconds: number;
  msg: 'seq-hash-notify' | 'seq-notify-hash';
  action: 'clear' | 'none' | 'restart';
}

export interface IkePolicy {
  /** Allowed versions in preference order. */
  versions: IkeVersion[];
  phase1Mode: 'main' | 'aggressive';
  encryption: Encryption[];
  integrity: Integrity[];
  dhGroups: DhGroup[];
  authMethod: 'pre-share' | 'digital-envelope-v2';
  lifetimeSeconds: number;
  rekeyMarginSeconds: number;
  rekeyFuzzPercent: number;
  localIdType: 'ip' | 'fqdn';
  /** For type ip the service fills in the tunnel's outside IP. */
  localId?: string;
  peerIdType: 'ip' | 'fqdn';
  /** For type ip the service fills in the customer gateway's address. */
  peerId?: string;
  dpd: DpdPolicy;
}

export interface IpsecPolicy {
  encryption: Encryption[];
  integrity: Integrity[];
  /** Empty means PFS disabled. */
  pfsGroups: DhGroup[];
  lifetimeSeconds: number;
  transformProtocol: 'esp';
  encapsulationMode: 'tunnel';
  replayWindowSize: number;
}

export type ProvisioningStatus = 'pending' | 'available' | 'failed';

export interface NegotiatedParameters {
  ikeVersion: IkeVersion;
  phase1: { encryption: Encryption; integrity: Integrity; prf?: Integrity; dhGroup: DhGroup };
  phase2: { encryption: Encryption; integrity?: Integrity; dhGroup?: DhGroup };
}

/** What the data plane last reported for a tunnel. Written only by the reconciler. */
export interface TunnelObservation {
  provisioning: ProvisioningStatus;
  provisioningReason?: string;
  ikeStatus: 'UP' | 'DOWN';
  statusMessage: string;
  lastStatusChange: string;
  negotiated?: NegotiatedParameters;
  /** The traffic selectors the CHILD_SA was installed with, from the gateway's side. */
  selectors?: { local: string[]; remote: string[] };
  /** When the current IKE_SA was established. */
  establishedAt?: string;
  /** The config generation this observation refers to. */
  generation: number;
  /** Set on read when nobody currently observes the tunnel (its data-plane owner is gone): why. */
  stale?: string;
}

export interface TunnelConfig {
  outsideIpId: string;
  outsideIp: string;
  /** e.g. 169.254.56.225/30 (gateway side) and 169.254.56.226/30 (customer side). */
  tunnelLocalAddress?: string;
  tunnelPeerAddress?: string;
  psk: string;
  ike: IkePolicy;
  ipsec: IpsecPolicy;
  startupAction: 'add' | 'start';
}

export interface Tunnel extends TunnelConfig {
  id: string;
  connectionId: string;
  index: number;
  /** Bumped on every config change; observations for older generations are ignored. */
  generation: number;
  observed: TunnelObservation;
  /** AWS ReplaceVpnTunnel bookkeeping. */
  lastReplacedAt?: string;
}

export type ConnectionStyle = 'policy' | 'static' | 'bgp' | 'policy-template';

export interface PolicyRule {
  ruleIndex: number;
  source: string;
  destinations: string[];
}

export interface StaticRoute {
  cidr: string;
  state: 'pending' | 'available' | 'deleting' | 'deleted';
}

export type ConnectionState = 'pending' | 'available' | 'deleting' | 'deleted';
export type PendingOperation = 'create' | 'update' | 'delete';

/** Gateway properties that never change after creation, copied so reads need no join. */
export interface GatewayTraits {
  attachmentType: VpnGateway['attachmentType'];
  flavor: VpnGateway['flavor'];
  networkType: VpnGateway['networkType'];
}

export interface VpnConnection {
  id: string;
  tenantId: string;
  projectId: string;
  name: string;
  vgwId: string;
  vgwTraits: GatewayTraits;
  cgwId: string;
  style: ConnectionStyle;
  peerSubnets: string[];
  /** AWS LocalIpv4NetworkCidr (the customer side) / RemoteIpv4NetworkCidr (the gateway side). */
  localNetworkCidr?: string;
  remoteNetworkCidr?: string;
  enableNqa: boolean;
  policyRules: PolicyRule[];
  haRole: 'master' | 'slave';
  enterpriseProjectId: string;
  connectionMonitorId?: string;
  staticRoutes: StaticRoute[];
  tags: Tag[];
  state: ConnectionState;
  pendingOperation: PendingOperation | null;
  createdAt: string;
  updatedAt: string;
  tunnels: Tunnel[];
}

export interface TunnelEvent {
  tunnelId: string;
  connectionId: string;
  at: string;
  kind: string;
  detail: string;
}

/**
 * Whether traffic through a tunnel gets answered, as the data plane last observed it: the path
 * of a connection monitor (Huawei NQA), independent of the IKE status.
 */
export interface PathObservation {
  status: 'UP' | 'DOWN';
  detail: string;
  at: string;
}

/** A health check of a connection's path (Huawei connection-monitors). */
export interface ConnectionMonitor {
  id: string;
  tenantId: string;
  projectId: string;
  connectionId: string;
  sourceIp: string;
  destinationIp: string;
  createdAt: string;
}
