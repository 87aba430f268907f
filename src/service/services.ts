// The bundle of use cases handed to the dialects.
import type { Quotas } from '../domain/quotas.ts';
import type { ConnectionService } from './connections.ts';
import type { CustomerGatewayService } from './customer-gateways.ts';
import type { DeviceProfileService } from './device-profiles.ts';
import type { DiagnosticsService } from './diagnostics.ts';
import type { EventService } from './events.ts';
import type { GatewayService } from './gateways.ts';
import type { MonitorService } from './monitors.ts';
import type { NegotiationService } from './negotiation.ts';
import type { TagService } from './tags.ts';
import type { TenantService } from './tenants.ts';

export interface Services {
  tenants: TenantService;
  gateways: GatewayService;
  customerGateways: CustomerGatewayService;
  connections: ConnectionService;
  deviceProfiles: DeviceProfileService;
  tags: TagService;
  /** Data-plane capabilities, reached through the driver interface. */
  negotiation: NegotiationService;
  diagnostics: DiagnosticsService;
  events: EventService;
  monitors: MonitorService;
  quotas: Quotas;
}
