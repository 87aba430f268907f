// The bundle of use cases handed to the dialects.
import type { Quotas } from '../domain/quotas.ts';
import type { ConnectionService } from './connections.ts';
import type { CustomerGatewayService } from './customer-gateways.ts';
import type { DeviceProfileService } from './device-profiles.ts';
import type { GatewayService } from './gateways.ts';
import type { TagService } from './tags.ts';
import type { TenantService } from './tenants.ts';

export interface Services {
  tenants: TenantService;
  gateways: GatewayService;
  customerGateways: CustomerGatewayService;
  connections: ConnectionService;
  deviceProfiles: DeviceProfileService;
  tags: TagService;
  quotas: Quotas;
}
