// The strongSwan driver against a fake charon that replays what charon 5.9.8 logs when a peer
// refuses an IKEv2 IKE_SA rekey (the two charons of the lab cannot show it: a customer charon
// rekeys with the configuration its IKE_SA was made with, whatever it reloads since). charon's
// code: the new IKE_SA logs the notify, the current one "IKE_SA rekeying failed, trying again in N
// seconds" and stays ESTABLISHED with its CHILD_SA; at its hard lifetime charon deletes it.
// The driver runs on a ManualClock; the fake's answers arrive over a real unix socket.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../domain/manual-clock.ts';
import type { DataplaneEvent } from '../driver.ts';
import { StrongswanDriver } from './driver.ts';
import { loopbackTunnel, startFakeCharon } from './test-support.ts';
import { type FakeViciServer, waitFor } from './vici/fake-server.ts';
import type { ViciInputSection } from './vici/message.ts';

const { intent, conn } = loopbackTunnel();
const REASON = "phase 1 NO_PROPOSAL_CHOSEN: the peer accepted none of the gateway's IKE proposals";

/** list-sas' section for IKE_SA 1 with its CHILD_SA 1, as charon 5.9.8 lists it. */
const SA: ViciInputSection = {
  uniqueid: '1',
  version: '2',
  state: 'ESTABLISHED',
  'local-host': '192.0.2.1',
  'remote-host': '198.51.100.7',
  initiator: 'yes',
  established: '100',
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
      'encr-alg': 'AES_GCM_16',
      'encr-keysize': '128',
      'dh-group': 'ECP_256',
      'local-ts': ['10.10.0.0/24'],
      'remote-ts': ['10.20.0.0/24'],
    },
  },
};

describe('strongSwan driver: a refused IKEv2 IKE_SA rekey (fake charon)', () => {
  const clock = new ManualClock();
  const events: DataplaneEvent[] = [];
  let sas: ViciInputSection[] = [];
  let fake: FakeViciServer;
  let driver: StrongswanDriver;
  const log = (ikeId: number, msg: string) => fake.emit('log', { 'ikesa-uniqueid': String(ikeId), 'ikesa-name': conn.name, msg });
  /** Moves the driver's clock on, a settle at a time, until `n` events were reported. */
  const reported = (n: number) =>
    waitFor(() => {
      clock.advance(50);
      return events.length >= n;
    });

  before(async () => {
    fake = await startFakeCharon(conn.name, () => sas);
    driver = new StrongswanDriver(clock, { viciUri: fake.uri, settleMs: 50, gcDelayMs: 3_600_000, reconnectMs: 3_600_000 });
    await driver.start((e) => events.push(e));
    driver.apply(intent);
    await reported(1);
    // The customer initiates: the SA pair comes up on the conn the driver loaded.
    sas = [SA];
    fake.emit('child-updown', { up: 'yes', [conn.name]: SA });
    await reported(2);
  });

  after(async () => {
    await driver.stop();
    await fake.close();
  });

  it('is UP on the SAs charon keeps, with the reason the new IKE_SA logged and charon’s retry, as the simulator words it', async () => {
    assert.deepEqual(
      events.map((e) => [e.kind, e.observation.ikeStatus]),
      [
        ['waiting-for-peer', 'DOWN'],
        ['ike-up', 'UP'],
      ],
    );
    log(1, "vici rekey IKE_SA '5107ab8d-a30b-4ec2-82b7-a13365c76675'");
    log(2, 'received NO_PROPOSAL_CHOSEN notify error');
    log(1, 'IKE_SA rekeying failed, trying again in 9 seconds');
    await reported(3);
    const kept = events[2];
    assert.deepEqual([kept.kind, kept.observation.provisioning, kept.observation.ikeStatus], ['rekey-failed', 'available', 'UP']);
    assert.equal(
      kept.observation.statusMessage,
      `IKE_SA rekey failed (${REASON}); the current IKE_SA and CHILD_SA stay up until the IKE_SA expires`,
    );
    assert.equal(
      kept.detail,
      `IKE rekey with 198.51.100.7 failed: ${REASON}; the current IKE_SA and CHILD_SA stay up until the IKE_SA expires, charon retries in 9 s`,
    );
    assert.deepEqual(kept.observation.negotiated, events[1].observation.negotiated, 'the current IKE_SA’s values');
    // charon's next try, refused the same way: the driver looks (list-sas) and finds nothing new;
    // were it news, it would come before the DOWN the next test waits for.
    const looks = () => fake.commandNames.filter((n) => n === 'list-sas').length;
    const before = looks();
    log(3, 'received NO_PROPOSAL_CHOSEN notify error');
    log(1, 'IKE_SA rekeying failed, trying again in 14 seconds');
    await waitFor(() => {
      clock.advance(50);
      return looks() > before;
    });
  });

  it('goes DOWN with the refusal as the reason when charon deletes the IKE_SA at its lifetime', async () => {
    sas = [];
    log(1, 'deleting IKE_SA 5107ab8d-a30b-4ec2-82b7-a13365c76675[1] between 192.0.2.1[192.0.2.1]...198.51.100.7[198.51.100.7]');
    fake.emit('ike-updown', { [conn.name]: { ...SA, state: 'DELETING' } });
    await reported(4);
    const down = events[3];
    assert.deepEqual(down.observation, { provisioning: 'failed', provisioningReason: REASON, ikeStatus: 'DOWN', statusMessage: REASON });
    assert.deepEqual(
      [down.kind, down.detail],
      ['rekey-failed', `IKE rekey with 198.51.100.7 failed: ${REASON}; waiting for the peer to initiate`],
    );
  });
});
