import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keptMessage } from '../simulated/engine/events.ts';
import { connConfig } from './conn-config.ts';
import { keptEvent, outcomeEvent } from './events.ts';
import type { ChildSaView, IkeSaView } from './sa-parse.ts';
import { testIntent } from './test-support.ts';
import { markUp, newTunnelState, retryDelay, upKind } from './tunnel-state.ts';

const child = (uniqueId: number, dh?: string): ChildSaView => ({
  name: 'sv-x',
  uniqueId,
  state: 'INSTALLED',
  encr: 'AES_GCM_16',
  encrKeySize: '128',
  dh,
  localTs: ['10.10.0.0/24'],
  remoteTs: ['10.20.0.0/24'],
});
const ike = (uniqueId: number, c: ChildSaView): IkeSaView => ({
  name: '5107ab8d-a30b-4ec2-82b7-a13365c76675',
  uniqueId,
  state: 'ESTABLISHED',
  version: 'v1',
  localHost: '192.0.2.1',
  remoteHost: '198.51.100.7',
  initiator: true,
  established: 3,
  encr: 'AES_CBC',
  encrKeySize: '256',
  integ: 'HMAC_SHA2_256_128',
  prf: 'PRF_HMAC_SHA2_256',
  dh: 'MODP_2048',
  children: [c],
});

describe('strongSwan tunnel state: which UP a list-sas shows', () => {
  it('calls a new IKE_SA holding the same CHILD_SA an IKE rekey, though charon sent no ike-rekey event (an IKEv1 reauthentication adopts it)', () => {
    const intent = testIntent();
    const t = newTunnelState(intent, connConfig(intent));
    const c = child(2, 'MODP_2048');
    assert.equal(upKind(t, ike(3, c), c), 'ike-up');
    markUp(t, ike(3, c), c);
    assert.equal(upKind(t, ike(4, c), c), 'ike-rekey');
    assert.equal(
      upKind(t, ike(4, child(5)), child(5)),
      'ike-up',
      'a new IKE_SA with a new CHILD_SA without a rekey event is a new negotiation',
    );
    assert.equal(upKind(t, ike(3, child(5, 'ECP_256')), child(5, 'ECP_256')), 'child-rekey');
    assert.equal(upKind(t, ike(3, c), c), null);
  });

  it('reports a refused CHILD_SA rekey as UP on the current CHILD_SA, with the reason and charon’s retry', () => {
    const intent = testIntent();
    const c = child(2);
    const reason = "phase 2 NO_PROPOSAL_CHOSEN: the peer accepted none of the gateway's ESP proposals";
    const e = keptEvent(
      'child',
      intent,
      Date.parse('2026-01-01T00:00:10Z'),
      ike(3, c),
      c,
      { kind: 'failure', notify: 'NO_PROPOSAL_CHOSEN', phase: 2, reason, lines: [], ikeId: 3 },
      8,
      ['gateway: x'],
    );
    assert.equal(e.kind, 'rekey-failed');
    assert.deepEqual(
      { ...e.observation, negotiated: undefined },
      {
        provisioning: 'available',
        ikeStatus: 'UP',
        statusMessage: `CHILD_SA rekey failed (${reason}); the current CHILD_SA stays installed until it expires`,
        selectors: { local: ['10.10.0.0/24'], remote: ['10.20.0.0/24'] },
        establishedAt: '2026-01-01T00:00:07.000Z',
        negotiated: undefined,
      },
    );
    assert.equal(
      e.detail,
      `CHILD_SA rekey with 198.51.100.7 failed: ${reason}; the current CHILD_SA stays installed until it expires, charon retries in 8 s`,
    );
  });
});

describe('strongSwan events: a refused IKEv2 IKE rekey, and an IKE_SA lost to one', () => {
  const reason = "phase 1 NO_PROPOSAL_CHOSEN: the peer accepted none of the gateway's IKE proposals";
  const refusal = {
    kind: 'failure' as const,
    notify: 'NO_PROPOSAL_CHOSEN',
    phase: 1 as const,
    reason,
    lines: [],
    ikeId: 3,
    ikeRekey: true,
  };

  it('reports UP on the current IKE_SA and CHILD_SA with the reason and charon’s retry, worded as the simulated engine words it', () => {
    const c = child(2);
    const e = keptEvent('ike', testIntent(), Date.parse('2026-01-01T00:00:10Z'), ike(3, c), c, { ...refusal, retryS: 9 }, 9, []);
    assert.deepEqual([e.kind, e.observation.provisioning, e.observation.ikeStatus], ['rekey-failed', 'available', 'UP']);
    assert.equal(e.observation.statusMessage, keptMessage('ike', reason));
    assert.equal(
      e.observation.statusMessage,
      `IKE_SA rekey failed (${reason}); the current IKE_SA and CHILD_SA stay up until the IKE_SA expires`,
    );
    assert.equal(
      e.detail,
      `IKE rekey with 198.51.100.7 failed: ${reason}; the current IKE_SA and CHILD_SA stay up until the IKE_SA expires, charon retries in 9 s`,
    );
    const childKept = keptEvent('child', testIntent(), 0, ike(3, c), c, { ...refusal, phase: 2 }, 8, []);
    assert.equal(childKept.observation.statusMessage, keptMessage('child', reason));
  });

  it('reports the IKE_SA gone (expired after refused rekeys, or an IKEv1 reauthentication refused) as a failed IKE rekey, DOWN with the reason', () => {
    const e = outcomeEvent(testIntent(), 0, refusal, 'the gateway retries in 10 s');
    assert.deepEqual([e.kind, e.detail], ['rekey-failed', `IKE rekey with 198.51.100.7 failed: ${reason}; the gateway retries in 10 s`]);
    assert.deepEqual(e.observation, { provisioning: 'failed', provisioningReason: reason, ikeStatus: 'DOWN', statusMessage: reason });
  });
});

describe('strongSwan events: a CHILD_SA that expired and could not be made anew', () => {
  it('is a failed CHILD_SA rekey, DOWN with the reason, as the simulated engine reports it', () => {
    const reason = "phase 2 NO_PROPOSAL_CHOSEN: the peer accepted none of the gateway's ESP proposals";
    const lines = [
      'closing expired CHILD_SA sv-x{1} with SPIs 0f2814c4_i 874780b7_o and TS 10.10.0.0/24 === 10.20.0.0/24',
      'scheduling CHILD_SA recreate after hard expire',
      'received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built',
      'failed to establish CHILD_SA, keeping IKE_SA',
    ];
    const e = outcomeEvent(
      testIntent(),
      0,
      { kind: 'failure', notify: 'NO_PROPOSAL_CHOSEN', phase: 2, reason, lines, ikeId: 1 },
      'waiting for the peer to initiate',
    );
    assert.deepEqual(
      [e.kind, e.detail],
      ['rekey-failed', `CHILD_SA rekey with 198.51.100.7 failed: ${reason}; waiting for the peer to initiate`],
    );
    assert.deepEqual(e.observation, { provisioning: 'failed', provisioningReason: reason, ikeStatus: 'DOWN', statusMessage: reason });
    const first = outcomeEvent(
      testIntent(),
      0,
      { kind: 'failure', notify: 'NO_PROPOSAL_CHOSEN', phase: 2, reason, lines: lines.slice(2), ikeId: 1 },
      '',
    );
    assert.equal(first.kind, 'negotiation-failed');
  });
});

describe('strongSwan tunnel state: when a `start` tunnel tries again', () => {
  const state = (retries: number, kind: 'failure' | 'timeout' = 'failure') => {
    const intent = testIntent();
    return Object.assign(newTunnelState(intent, connConfig(intent)), { retries, outcome: { kind, reason: '', lines: [], ikeId: 1 } });
  };

  it('retries a refused tunnel first after 10 s, then after 30 s doubling to 10 min, as the simulated engine does', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelay(state(n), 30_000)),
      [10_000, 30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000],
    );
    assert.deepEqual(
      [1, 2].map((n) => retryDelay(state(n), 30_000, 2_000)),
      [2_000, 30_000],
    );
    assert.equal(retryDelay(state(1), 5_000), 5_000, 'the first retry never comes after the second');
  });

  it('retries after silence every retryMs', () => {
    assert.deepEqual(
      [1, 4].map((n) => retryDelay(state(n, 'timeout'), 30_000)),
      [30_000, 30_000],
    );
  });
});
