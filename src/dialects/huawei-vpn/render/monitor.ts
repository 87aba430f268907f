// ConnectionMonitorInfo of the API reference, and the shorter answer of creation (no status).
// status: PENDING_CREATE until the data plane has observed the path, then ACTIVE while probes
// through the tunnel are answered and DOWN while they are not (Huawei documents ACTIVE,
// PENDING_CREATE and PENDING_DELETE only; DOWN is sitevpn's, see docs/OPERATIONS.md).
import type { MonitorView } from '../../../service/monitors.ts';

export function renderCreatedMonitor({ monitor: m }: MonitorView): Record<string, unknown> {
  return {
    id: m.id,
    vpn_connection_id: m.connectionId,
    type: 'gateway',
    source_ip: m.sourceIp,
    destination_ip: m.destinationIp,
    proto_type: 'icmp',
  };
}

export function renderMonitor(view: MonitorView): Record<string, unknown> {
  const { id, ...rest } = renderCreatedMonitor(view);
  return { id, status: status(view), ...rest };
}

function status({ path }: MonitorView): string {
  if (!path) return 'PENDING_CREATE';
  return path.status === 'UP' ? 'ACTIVE' : 'DOWN';
}
