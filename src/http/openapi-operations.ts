// What the OpenAPI document says about each Huawei and extension operation beyond its route: a
// name, a summary, the TypeBox schema its handler validates the body with, and an example body.
// Keyed by "METHOD url" exactly as the route declares it; the document is built by walking the
// routes, so a route missing here is still listed, and a test catches it.
import type { TSchema } from '@sinclair/typebox';
import { ExportPeerConfigBody } from '../dialects/huawei-vpn/routes/export-peer-config.ts';
import { CreateConnectionBody, UpdateConnectionBody } from '../dialects/huawei-vpn/schemas/connection.ts';
import { CreateCustomerGatewayBody, UpdateCustomerGatewayBody } from '../dialects/huawei-vpn/schemas/customer-gateway.ts';
import { CreateGatewayBody, UpdateGatewayBody } from '../dialects/huawei-vpn/schemas/gateway.ts';
import { CreateMonitorBody } from '../dialects/huawei-vpn/schemas/monitor.ts';
import { DryNegotiationBody } from '../dialects/sitevpn-ext/routes/dry-negotiation.ts';
import { InjectFaultBody } from '../dialects/sitevpn-ext/routes/inject-fault.ts';
import { DeviceProfileBody } from '../dialects/sitevpn-ext/schemas/device-profile.ts';

export interface OperationDoc {
  name: string;
  summary: string;
  body?: TSchema;
  example?: Record<string, unknown>;
}

/** Placeholder ids in the examples (a reader replaces them with their own). */
export const EXAMPLE_IDS = {
  vgw: '3b1c5ad0-0000-4000-8000-00000000a001',
  eip: '3b1c5ad0-0000-4000-8000-00000000a002',
  cgw: '3b1c5ad0-0000-4000-8000-00000000a003',
  connection: '3b1c5ad0-0000-4000-8000-00000000a004',
} as const;

const ikepolicy = {
  ike_version: 'v2',
  encryption_algorithm: 'aes-256',
  authentication_algorithm: 'sha2-256',
  dh_group: 'group14',
  lifetime_seconds: 86400,
};
const ipsecpolicy = { encryption_algorithm: 'aes-256', authentication_algorithm: 'sha2-256', pfs: 'group14', lifetime_seconds: 3600 };
const deviceProfile = {
  ike_versions: ['v2'],
  ike_proposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dh_groups: [14] }],
  esp_proposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfs_groups: [14] }],
  initiates: true,
  reachable: true,
};

export const HUAWEI_OPERATIONS: Record<string, OperationDoc> = {
  'POST /vpn-gateways': {
    name: 'CreateVpnGateway',
    summary: 'Create a VPN gateway',
    body: CreateGatewayBody,
    example: {
      vpn_gateway: {
        name: 'vpngw-example',
        vpc_id: '0b6b9a2e-3f7c-4d7e-9a51-2f1d6c8e4a10',
        connect_subnet: '5c0e7d11-8a2b-4c3d-9e4f-6a7b8c9d0e1f',
        local_subnets: ['10.10.0.0/16'],
        flavor: 'Professional1',
        bgp_asn: 64512,
      },
    },
  },
  'GET /vpn-gateways': { name: 'ListVpnGateways', summary: 'List VPN gateways' },
  'GET /vpn-gateways/availability-zones': { name: 'ListAvailabilityZones', summary: 'List the availability zones of VPN gateways' },
  'GET /vpn-gateways/:vgw_id': { name: 'ShowVpnGateway', summary: 'Show a VPN gateway' },
  'PUT /vpn-gateways/:vgw_id': {
    name: 'UpdateVpnGateway',
    summary: 'Update a VPN gateway',
    body: UpdateGatewayBody,
    example: { vpn_gateway: { name: 'vpngw-renamed', local_subnets: ['10.10.0.0/16', '10.11.0.0/16'] } },
  },
  'DELETE /vpn-gateways/:vgw_id': { name: 'DeleteVpnGateway', summary: 'Delete a VPN gateway' },
  'POST /customer-gateways': {
    name: 'CreateCustomerGateway',
    summary: 'Create a customer gateway',
    body: CreateCustomerGatewayBody,
    example: { customer_gateway: { name: 'cgw-example', id_type: 'ip', id_value: '198.51.100.10', bgp_asn: 65000 } },
  },
  'GET /customer-gateways': { name: 'ListCustomerGateways', summary: 'List customer gateways' },
  'GET /customer-gateways/:customer_gateway_id': { name: 'ShowCustomerGateway', summary: 'Show a customer gateway' },
  'PUT /customer-gateways/:customer_gateway_id': {
    name: 'UpdateCustomerGateway',
    summary: 'Rename a customer gateway',
    body: UpdateCustomerGatewayBody,
    example: { customer_gateway: { name: 'cgw-renamed' } },
  },
  'DELETE /customer-gateways/:customer_gateway_id': { name: 'DeleteCustomerGateway', summary: 'Delete a customer gateway' },
  'POST /vpn-connection': {
    name: 'CreateVpnConnection',
    summary: 'Create a VPN connection (one tunnel)',
    body: CreateConnectionBody,
    example: {
      vpn_connection: {
        name: 'vpn-example',
        vgw_id: EXAMPLE_IDS.vgw,
        vgw_ip: EXAMPLE_IDS.eip,
        cgw_id: EXAMPLE_IDS.cgw,
        style: 'POLICY',
        peer_subnets: ['192.168.0.0/24'],
        psk: 'Example-PSK-Change-Me1',
        ikepolicy,
        ipsecpolicy,
      },
    },
  },
  'GET /vpn-connection': { name: 'ListVpnConnections', summary: 'List VPN connections' },
  'GET /vpn-connection/:vpn_connection_id': { name: 'ShowVpnConnection', summary: 'Show a VPN connection with its tunnel status' },
  'PUT /vpn-connection/:vpn_connection_id': {
    name: 'UpdateVpnConnection',
    summary: 'Update a VPN connection',
    body: UpdateConnectionBody,
    example: { vpn_connection: { name: 'vpn-renamed', peer_subnets: ['192.168.0.0/24', '192.168.1.0/24'] } },
  },
  'DELETE /vpn-connection/:vpn_connection_id': { name: 'DeleteVpnConnection', summary: 'Delete a VPN connection' },
  'POST /vpn-connection/:vpn_connection_id/reset': { name: 'ResetVpnConnection', summary: 'Tear down the SAs and negotiate again' },
  'GET /vpn-connection/:vpn_connection_id/log': { name: 'ListVpnConnectionLogs', summary: "The tunnel's negotiation log" },
  'GET /vpn-connection/:vpn_connection_id/ipsec-sa': { name: 'ListVpnConnectionIpsecSa', summary: 'The IPsec SAs of the connection' },
  'POST /vpn-connection/:vpn_connection_id/peer-configuration/export': {
    name: 'ExportVpnConnectionPeerConfig',
    summary: "The customer device's configuration (strongSwan swanctl.conf)",
    body: ExportPeerConfigBody,
    example: { vendor: 'strongswan', type: 'swanctl', model: 'swanctl.conf', version: '5.9' },
  },
  'POST /connection-monitors': {
    name: 'CreateConnectionMonitor',
    summary: 'Create a connection monitor',
    body: CreateMonitorBody,
    example: { connection_monitor: { vpn_connection_id: EXAMPLE_IDS.connection } },
  },
  'GET /connection-monitors': { name: 'ListConnectionMonitors', summary: 'List connection monitors' },
  'GET /connection-monitors/:connection_monitor_id': { name: 'ShowConnectionMonitor', summary: 'Show a connection monitor' },
  'DELETE /connection-monitors/:connection_monitor_id': { name: 'DeleteConnectionMonitor', summary: 'Delete a connection monitor' },
  'GET /vpn/quotas': { name: 'ShowQuotas', summary: "The project's resource quotas" },
};

export const EXT_OPERATIONS: Record<string, OperationDoc> = {
  'PUT /customer-gateways/:customer_gateway_id/device-profile': {
    name: 'PutDeviceProfile',
    summary: 'Store what the customer device offers (used by the simulated data plane)',
    body: DeviceProfileBody,
    example: { device_profile: deviceProfile },
  },
  'GET /customer-gateways/:customer_gateway_id/device-profile': {
    name: 'GetDeviceProfile',
    summary: "The customer gateway's device profile",
  },
  'DELETE /customer-gateways/:customer_gateway_id/device-profile': { name: 'DeleteDeviceProfile', summary: 'Forget the device profile' },
  'GET /vpn-connections/:vpn_connection_id/history': { name: 'ListConnectionHistory', summary: "The tunnels' status history" },
  'GET /vpn-connections/:vpn_connection_id/diagnostics': {
    name: 'ShowConnectionDiagnostics',
    summary: 'Negotiated values, weak choices and drift per tunnel',
  },
  'POST /vpn-connections/:vpn_connection_id/dry-negotiation': {
    name: 'DryNegotiation',
    summary: 'What negotiating with a device profile would give now (nothing is stored)',
    body: DryNegotiationBody,
    example: { device_profile: deviceProfile, initiator: 'device' },
  },
  'POST /vpn-connections/:vpn_connection_id/faults': {
    name: 'InjectFault',
    summary: 'Inject a fault into a tunnel (simulated data plane, admin keys)',
    body: InjectFaultBody,
    example: { fault: 'force-rekey', tunnel_index: 0 },
  },
  'GET /events': { name: 'ListEvents', summary: 'Tunnel events of the project; with follow=true a newline-delimited JSON stream' },
};
