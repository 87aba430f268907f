// Every Huawei VPN v5 operation sitevpn serves.
import type { HuaweiRoute } from '../route.ts';
import createConnectionMonitor from './create-connection-monitor.ts';
import createCustomerGateway from './create-customer-gateway.ts';
import createVpnConnection from './create-vpn-connection.ts';
import createVpnGateway from './create-vpn-gateway.ts';
import deleteConnectionMonitor from './delete-connection-monitor.ts';
import deleteCustomerGateway from './delete-customer-gateway.ts';
import deleteVpnConnection from './delete-vpn-connection.ts';
import deleteVpnGateway from './delete-vpn-gateway.ts';
import exportPeerConfig from './export-peer-config.ts';
import listAvailabilityZones from './list-availability-zones.ts';
import listConnectionMonitors from './list-connection-monitors.ts';
import listCustomerGateways from './list-customer-gateways.ts';
import listVpnConnectionIpsecSa from './list-vpn-connection-ipsec-sa.ts';
import listVpnConnectionLogs from './list-vpn-connection-logs.ts';
import listVpnConnections from './list-vpn-connections.ts';
import listVpnGateways from './list-vpn-gateways.ts';
import resetVpnConnection from './reset-vpn-connection.ts';
import showConnectionMonitor from './show-connection-monitor.ts';
import showCustomerGateway from './show-customer-gateway.ts';
import showQuotas from './show-quotas.ts';
import showVpnConnection from './show-vpn-connection.ts';
import showVpnGateway from './show-vpn-gateway.ts';
import updateCustomerGateway from './update-customer-gateway.ts';
import updateVpnConnection from './update-vpn-connection.ts';
import updateVpnGateway from './update-vpn-gateway.ts';

export const huaweiRoutes: HuaweiRoute[] = [
  createVpnConnection,
  listVpnConnections,
  showVpnConnection,
  updateVpnConnection,
  deleteVpnConnection,
  createVpnGateway,
  listVpnGateways,
  listAvailabilityZones,
  showVpnGateway,
  updateVpnGateway,
  deleteVpnGateway,
  createCustomerGateway,
  listCustomerGateways,
  showCustomerGateway,
  updateCustomerGateway,
  deleteCustomerGateway,
  showQuotas,
  listVpnConnectionLogs,
  resetVpnConnection,
  listVpnConnectionIpsecSa,
  exportPeerConfig,
  createConnectionMonitor,
  listConnectionMonitors,
  showConnectionMonitor,
  deleteConnectionMonitor,
];
