// VPN connection actions.
import type { Ec2Action } from '../action.ts';
import CreateVpnConnection from './CreateVpnConnection.ts';
import DeleteVpnConnection from './DeleteVpnConnection.ts';
import DescribeVpnConnections from './DescribeVpnConnections.ts';
import GetActiveVpnTunnelStatus from './GetActiveVpnTunnelStatus.ts';

export const connectionActions: Ec2Action<any, any>[] = [
  CreateVpnConnection,
  DescribeVpnConnections,
  DeleteVpnConnection,
  GetActiveVpnTunnelStatus,
];
