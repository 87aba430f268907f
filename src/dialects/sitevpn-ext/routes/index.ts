// Every sitevpn extension operation.
import type { ExtRoute } from '../route.ts';
import deleteDeviceProfile from './delete-device-profile.ts';
import dryNegotiation from './dry-negotiation.ts';
import getDeviceProfile from './get-device-profile.ts';
import injectFault from './inject-fault.ts';
import listConnectionHistory from './list-connection-history.ts';
import listEvents from './list-events.ts';
import putDeviceProfile from './put-device-profile.ts';
import showConnectionDiagnostics from './show-connection-diagnostics.ts';

export const extRoutes: ExtRoute[] = [
  putDeviceProfile,
  getDeviceProfile,
  deleteDeviceProfile,
  listConnectionHistory,
  showConnectionDiagnostics,
  dryNegotiation,
  injectFault,
  listEvents,
];
