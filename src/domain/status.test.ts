import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectionState, PendingOperation, ProvisioningStatus, Tunnel, VpnConnection } from './entities.ts';
import { connectionStatus, isInFlight } from './status.ts';

function tunnel(provisioning: ProvisioningStatus, ikeStatus: 'UP' | 'DOWN' = 'DOWN'): Tunnel {
  return { observed: { provisioning, ikeStatus, statusMessage: '', lastStatusChange: '', generation: 1 } } as Tunnel;
}

function connection(state: ConnectionState, pendingOperation: PendingOperation | null, ...tunnels: Tunnel[]): VpnConnection {
  return { state, pendingOperation, tunnels } as VpnConnection;
}

describe('connectionStatus', () => {
  const cases: [string, VpnConnection, string][] = [
    [
      'PENDING_DELETE while deleting, whatever the tunnels say',
      connection('deleting', 'delete', tunnel('available', 'UP')),
      'PENDING_DELETE',
    ],
    [
      'PENDING_CREATE while a new tunnel is pending',
      connection('pending', 'create', tunnel('pending'), tunnel('available', 'UP')),
      'PENDING_CREATE',
    ],
    ['PENDING_UPDATE while a modified tunnel is pending', connection('available', 'update', tunnel('pending')), 'PENDING_UPDATE'],
    ['ERROR when a tunnel failed to provision', connection('available', null, tunnel('failed'), tunnel('available', 'UP')), 'ERROR'],
    ['ACTIVE when any tunnel is up', connection('available', null, tunnel('available'), tunnel('available', 'UP')), 'ACTIVE'],
    [
      'DOWN when every tunnel is configured but none is up',
      connection('available', null, tunnel('available'), tunnel('available')),
      'DOWN',
    ],
  ];
  for (const [name, c, want] of cases) it(`is ${name}`, () => assert.equal(connectionStatus(c), want));
});

describe('isInFlight', () => {
  it('is true for every PENDING_* status and false otherwise', () => {
    assert.equal(isInFlight(connection('pending', 'create', tunnel('pending'))), true);
    assert.equal(isInFlight(connection('available', 'update', tunnel('pending'))), true);
    assert.equal(isInFlight(connection('deleting', 'delete')), true);
    assert.equal(isInFlight(connection('available', null, tunnel('failed'))), false);
    assert.equal(isInFlight(connection('available', null, tunnel('available', 'UP'))), false);
  });
});
