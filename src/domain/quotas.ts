// Per-project quotas when none are configured: the one definition the config and the services use.
export interface Quotas {
  gateways: number;
  customerGateways: number;
  connections: number;
}

export const QUOTA_DEFAULTS: Readonly<Quotas> = Object.freeze({ gateways: 50, customerGateways: 1000, connections: 1000 });
