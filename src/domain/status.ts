// How a connection's status is derived from its lifecycle and its tunnels' observations.
// The table in DESIGN.md ("Status across dialects") is the specification.
import type { VpnConnection } from './entities.ts';

export type ConnectionStatus = 'PENDING_CREATE' | 'PENDING_UPDATE' | 'PENDING_DELETE' | 'ACTIVE' | 'DOWN' | 'ERROR' | 'FREEZED' | 'UNKNOWN';

export function connectionStatus(connection: VpnConnection): ConnectionStatus {
  if (connection.state === 'deleting' || connection.state === 'deleted') return 'PENDING_DELETE';
  const tunnels = connection.tunnels;
  // Nobody observes the tunnels now (their data-plane owner is gone): the last status is not current.
  if (tunnels.some((t) => t.observed.stale)) return 'UNKNOWN';
  if (tunnels.some((t) => t.observed.provisioning === 'pending')) {
    return connection.pendingOperation === 'update' ? 'PENDING_UPDATE' : 'PENDING_CREATE';
  }
  if (tunnels.some((t) => t.observed.provisioning === 'failed')) return 'ERROR';
  if (tunnels.some((t) => t.observed.ikeStatus === 'UP')) return 'ACTIVE';
  return 'DOWN';
}

/** An update is refused while anything about the connection is still in flight. */
export function isInFlight(connection: VpnConnection): boolean {
  const s = connectionStatus(connection);
  return s === 'PENDING_CREATE' || s === 'PENDING_UPDATE' || s === 'PENDING_DELETE';
}
