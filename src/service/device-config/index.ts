// Device configurations for the customer's side of a connection: the one entry point both
// dialects call (EC2 GetVpnConnectionDeviceTypes / GetVpnConnectionDeviceSampleConfiguration,
// Huawei peer-configuration/export). One generator per format; ids are fixed strings: clients
// store them, so they never change.
import type { DeviceConfigInput } from './common.ts';
import { genericConfig } from './generic.ts';
import { swanctlConf } from './swanctl.ts';

export type { AlgorithmSpelling, DeviceConfigInput } from './common.ts';
export { pskPlaceholder } from './common.ts';

export interface DeviceType {
  id: string;
  vendor: string;
  platform: string;
  software: string;
}

interface Generator extends DeviceType {
  render(input: DeviceConfigInput): string;
}

/** The strongSwan (swanctl.conf) device type. */
export const STRONGSWAN_DEVICE_TYPE = '5f1c3a70';
/** The vendor-agnostic text device type. */
export const GENERIC_DEVICE_TYPE = '9e27b4d1';

const GENERATORS: readonly Generator[] = Object.freeze([
  {
    id: STRONGSWAN_DEVICE_TYPE,
    vendor: 'strongSwan',
    platform: 'Ubuntu/Debian',
    software: 'strongSwan 5.9+ (swanctl)',
    render: swanctlConf,
  },
  { id: GENERIC_DEVICE_TYPE, vendor: 'Generic', platform: 'Generic', software: 'Vendor Agnostic', render: genericConfig },
]);

/** Every device type sitevpn writes a configuration for, in a stable order. */
export const DEVICE_TYPES: readonly DeviceType[] = Object.freeze(
  GENERATORS.map(({ id, vendor, platform, software }) => Object.freeze({ id, vendor, platform, software })),
);

export function deviceType(id: string): DeviceType | undefined {
  return DEVICE_TYPES.find((d) => d.id === id);
}

/**
 * The configuration of `deviceTypeId` for the connection in `input`, or undefined for an unknown
 * device type (each dialect refuses that in its own words). Pre-shared keys are written only
 * when `input.psk` gives them.
 */
export function renderDeviceConfig(deviceTypeId: string, input: DeviceConfigInput): string | undefined {
  return GENERATORS.find((g) => g.id === deviceTypeId)?.render(input);
}
