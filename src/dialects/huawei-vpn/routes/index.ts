// Every Huawei VPN v5 operation sitevpn serves.
import type { HuaweiRoute } from '../route.ts';
import createVpnConnection from './create-vpn-connection.ts';
import deleteVpnConnection from './delete-vpn-connection.ts';
import listVpnConnections from './list-vpn-connections.ts';
import showVpnConnection from './show-vpn-connection.ts';
import updateVpnConnection from './update-vpn-connection.ts';

export const huaweiRoutes: HuaweiRoute[] = [
  createVpnConnection,
  listVpnConnections,
  showVpnConnection,
  updateVpnConnection,
  deleteVpnConnection,
];
