// Tunnel and connection modification, routes, replacement and device configuration actions.
import type { Ec2Action } from '../action.ts';
import CreateVpnConnectionRoute from './CreateVpnConnectionRoute.ts';
import DeleteVpnConnectionRoute from './DeleteVpnConnectionRoute.ts';
import GetVpnConnectionDeviceSampleConfiguration from './GetVpnConnectionDeviceSampleConfiguration.ts';
import GetVpnConnectionDeviceTypes from './GetVpnConnectionDeviceTypes.ts';
import GetVpnTunnelReplacementStatus from './GetVpnTunnelReplacementStatus.ts';
import ModifyVpnConnectionOptions from './ModifyVpnConnectionOptions.ts';
import ModifyVpnTunnelOptions from './ModifyVpnTunnelOptions.ts';
import ReplaceVpnTunnel from './ReplaceVpnTunnel.ts';

export const tunnelActions: Ec2Action<any, any>[] = [
  ModifyVpnTunnelOptions,
  ModifyVpnConnectionOptions,
  CreateVpnConnectionRoute,
  DeleteVpnConnectionRoute,
  ReplaceVpnTunnel,
  GetVpnTunnelReplacementStatus,
  GetVpnConnectionDeviceTypes,
  GetVpnConnectionDeviceSampleConfiguration,
];
