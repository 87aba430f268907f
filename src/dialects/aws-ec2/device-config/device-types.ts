// The customer devices sitevpn can write a sample configuration for (GetVpnConnectionDeviceTypes)
// and the generator of each. Ids are fixed strings: clients store them, so they never change.
import { genericConfig } from './generic.ts';
import { swanctlConf, type DeviceConfigInput } from './swanctl.ts';

export interface DeviceType {
  id: string;
  vendor: string;
  platform: string;
  software: string;
  render(input: DeviceConfigInput): string;
}

export const DEVICE_TYPES: readonly DeviceType[] = Object.freeze([
  { id: '5f1c3a70', vendor: 'strongSwan', platform: 'Ubuntu/Debian', software: 'strongSwan 5.9+ (swanctl)', render: swanctlConf },
  { id: '9e27b4d1', vendor: 'Generic', platform: 'Generic', software: 'Vendor Agnostic', render: genericConfig },
]);

export function deviceType(id: string): DeviceType | undefined {
  return DEVICE_TYPES.find((d) => d.id === id);
}
