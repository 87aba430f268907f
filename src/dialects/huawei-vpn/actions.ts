// Huawei's IAM action for each operation ("Permissions and Supported Actions" of the VPN API
// reference), keyed by method and route: a refused key is told which Huawei action it lacks.
// Reads whose action the reference does not name are absent: every key may read.
export const HUAWEI_ACTIONS: Record<string, string> = {
  'POST /vpn-gateways': 'vpn:vpnGateways:create',
  'GET /vpn-gateways': 'vpn:vpnGateways:list',
  'GET /vpn-gateways/:vgw_id': 'vpn:vpnGateways:get',
  'PUT /vpn-gateways/:vgw_id': 'vpn:vpnGateways:update',
  'DELETE /vpn-gateways/:vgw_id': 'vpn:vpnGateways:delete',
  'POST /customer-gateways': 'vpn:customerGateways:create',
  'GET /customer-gateways': 'vpn:customerGateways:list',
  'GET /customer-gateways/:customer_gateway_id': 'vpn:customerGateways:get',
  'PUT /customer-gateways/:customer_gateway_id': 'vpn:customerGateways:update',
  'DELETE /customer-gateways/:customer_gateway_id': 'vpn:customerGateways:delete',
  'POST /vpn-connection': 'vpn:vpnConnections:create',
  'GET /vpn-connection': 'vpn:vpnConnections:list',
  'GET /vpn-connection/:vpn_connection_id': 'vpn:vpnConnections:get',
  'PUT /vpn-connection/:vpn_connection_id': 'vpn:vpnConnections:update',
  'DELETE /vpn-connection/:vpn_connection_id': 'vpn:vpnConnections:delete',
  'POST /vpn-connection/:vpn_connection_id/reset': 'vpn:vpnConnections:reset',
  'POST /vpn-connection/:vpn_connection_id/peer-configuration/export': 'vpn:vpnConnections:exportPeerConfig',
  'POST /connection-monitors': 'vpn:connectionMonitors:create',
  'GET /connection-monitors': 'vpn:connectionMonitors:list',
  'GET /connection-monitors/:connection_monitor_id': 'vpn:connectionMonitors:get',
  'DELETE /connection-monitors/:connection_monitor_id': 'vpn:connectionMonitors:delete',
  'GET /vpn/quotas': 'vpn:quota:list',
};
