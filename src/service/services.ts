// The bundle of use cases handed to the dialects.
import type { ConnectionService } from './connections.ts';
import type { CustomerGatewayService } from './customer-gateways.ts';
import type { DeviceProfileService } from './device-profiles.ts';
import type { GatewayService } from './gateways.ts';
import type { MonitorService } from './monitors.ts';
import type { TagService } from './tags.ts';
import type { TenantService } from './tenants.ts';

export interface Services {
  tenants: TenantService;
  gateways: GatewayService;
  customerGateways: CustomerGatewayService;
  connections: ConnectionService;
  deviceProfiles: DeviceProfileService;
  tags: TagService;
  monitors: MonitorService;
  quotas: { gateways: number; customerGateways: number; connections: number };
}
