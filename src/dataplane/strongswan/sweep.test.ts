// The sweep under charon's events: an SA pair that came up without any event reaching the driver
// is reported at the next sweep, and one that went away silently too. The driver runs on a
// ManualClock against a fake charon over a real unix socket.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../domain/manual-clock.ts';
import type { DataplaneEvent } from '../driver.ts';
import { StrongswanDriver } from './driver.ts';
import { loopbackTunnel, startFakeCharon } from './test-support.ts';
import { type FakeViciServer, waitFor } from './vici/fake-server.ts';
import type { ViciInputSection } from './vici/message.ts';

const { intent, conn } = loopbackTunnel();

const SA: ViciInputSection = {
  uniqueid: '1',
  version: '2',
  state: 'ESTABLISHED',
  'local-host': '127.0.0.1',
  'remote-host': '198.51.100.7',
  initiator: 'no',
  established: '1',
  'encr-alg': 'AES_CBC',
  'encr-keysize': '256',
  'integ-alg': 'HMAC_SHA2_256_128',
  'prf-alg': 'PRF_HMAC_SHA2_256',
  'dh-group': 'MODP_2048',
  'child-sas': {
    [`${conn.child}-1`]: {
      name: conn.child,
      uniqueid: '1',
      state: 'INSTALLED',
      'encr-alg': 'AES_CBC',
      'encr-keysize': '128',
      'integ-alg': 'HMAC_SHA2_256_128',
      'local-ts': ['10.10.0.0/24'],
      'remote-ts': ['10.20.0.0/24'],
    },
  },
};

describe('strongSwan driver: the sweep of all SAs (fake charon, no events)', () => {
  const clock = new ManualClock();
  const events: DataplaneEvent[] = [];
  let sas: ViciInputSection[] = [];
  let fake: FakeViciServer;
  let driver: StrongswanDriver;
  const reported = (n: number, stepMs = 50) =>
    waitFor(() => {
      clock.advance(stepMs);
      return events.length >= n;
    });

  before(async () => {
    fake = await startFakeCharon(conn.name, () => sas);
    driver = new StrongswanDriver(clock, { viciUri: fake.uri, settleMs: 50, gcDelayMs: 3_600_000, reconnectMs: 3_600_000, sweepMs: 5_000 });
    await driver.start((e) => events.push(e));
    driver.apply(intent);
    await reported(1);
  });

  after(async () => {
    await driver.stop();
    await fake.close();
  });

  it('reports an SA pair that came up without an event at the next sweep', async () => {
    assert.deepEqual(
      events.map((e) => e.kind),
      ['waiting-for-peer'],
    );
    sas = [SA]; // the peer initiated; no ike-updown or child-updown reaches the driver
    await reported(2, 500);
    assert.deepEqual(
      events.map((e) => [e.kind, e.observation.ikeStatus]),
      [
        ['waiting-for-peer', 'DOWN'],
        ['ike-up', 'UP'],
      ],
    );
  });

  it('reports a tunnel whose SAs went away without an event as down at a later sweep', async () => {
    sas = [];
    await reported(3, 500);
    assert.equal(events[2].observation.ikeStatus, 'DOWN');
  });
});
