// What the dialects hand the connection use cases.
import type { ConnectionStyle, IkePolicy, IpsecPolicy, PolicyRule, StaticRoute, Tag, TunnelConfig } from '../../domain/entities.ts';

export interface TunnelInput {
  /** One of the gateway's outside IPs, by address or EIP id; default: the one at the tunnel's index. */
  outsideIpRef?: string;
  tunnelLocalAddress?: string;
  tunnelPeerAddress?: string;
  psk?: string;
  ike: IkePolicy;
  ipsec: IpsecPolicy;
  startupAction: 'add' | 'start';
}

export interface CreateConnectionInput {
  name?: string;
  vgwId: string;
  cgwId: string;
  style: ConnectionStyle;
  peerSubnets?: string[];
  localNetworkCidr?: string;
  remoteNetworkCidr?: string;
  enableNqa?: boolean;
  policyRules?: PolicyRule[];
  haRole?: 'master' | 'slave';
  enterpriseProjectId?: string;
  staticRoutes?: StaticRoute[];
  tags?: Tag[];
  /** Whose tag rules apply: EC2 allows 50 tags and its own key rules; default the domain's. */
  tagRules?: 'ec2';
  tunnels: TunnelInput[];
}

/** Fields left undefined are kept. A tunnel change names the tunnel by index. */
export interface UpdateConnectionInput {
  name?: string;
  cgwId?: string;
  peerSubnets?: string[];
  enableNqa?: boolean;
  policyRules?: PolicyRule[];
  staticRoutes?: StaticRoute[];
  tags?: Tag[];
  localNetworkCidr?: string;
  remoteNetworkCidr?: string;
  tunnels?: { index: number; changes: Partial<TunnelConfig> }[];
}
