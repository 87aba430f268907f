import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DELAY_MS, harness, tunnel } from './test-support.ts';

const START = Date.UTC(2026, 0, 1);

describe('SimulatedDriver: first negotiation', () => {
  it('reports nothing before the negotiation delay has passed', () => {
    const h = harness();
    h.driver.apply(tunnel());
    h.advanceTo(DELAY_MS - 1);
    assert.deepEqual(h.events, []);
  });

  it('comes up with the first proposal of the gateway when the device has no profile', () => {
    const h = harness();
    h.driver.apply(
      tunnel({
        device: null,
        ike: { encryption: ['aes128-cbc', 'aes256-cbc'], integrity: ['sha2-256', 'sha1'], dhGroups: [15, 14] },
        ipsec: { encryption: ['aes256-gcm16', 'aes128-cbc'], integrity: ['sha2-512'], pfsGroups: [19, 14] },
        remote: { address: '198.51.100.7', id: '198.51.100.7', subnets: ['192.168.0.0/24'] },
        local: { subnets: ['10.0.0.0/24'] },
      }),
    );
    h.advanceTo(DELAY_MS);
    assert.equal(h.events.length, 1);
    const [e] = h.events;
    assert.deepEqual(
      { ...e, log: undefined },
      {
        tunnelId: 'tun-1',
        generation: 1,
        at: START + DELAY_MS,
        kind: 'ike-up',
        detail: 'IKEv2 SA established with 198.51.100.7: AES_CBC_128/HMAC_SHA2_256_128/MODP_3072, CHILD_SA 10.0.0.0/24 === 192.168.0.0/24',
        observation: {
          provisioning: 'available',
          ikeStatus: 'UP',
          statusMessage: '',
          negotiated: {
            ikeVersion: 'v2',
            phase1: { encryption: 'aes128-cbc', integrity: 'sha2-256', prf: 'sha2-256', dhGroup: 15 },
            phase2: { encryption: 'aes256-gcm16', dhGroup: 19 },
          },
          selectors: { local: ['10.0.0.0/24'], remote: ['192.168.0.0/24'] },
          establishedAt: '2026-01-01T00:00:00.020Z',
        },
        log: undefined,
      },
    );
    assert.equal(e.log?.[0], 'gateway: using IKEv2 (gateway allows v2, device allows v2)');
    assert.equal(e.log?.at(-1), 'gateway: CHILD_SA tun-1{1} established with TS 10.0.0.0/24 === 192.168.0.0/24');
  });

  it('lets the device initiate with startup action add and no profile, and still comes up', () => {
    const h = harness();
    h.driver.apply(tunnel({ device: null, startupAction: 'add' }));
    h.advanceTo(DELAY_MS);
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP']);
    assert.equal(h.events[0].log?.[1], 'device: initiating IKE_SA tun-1[1] to 192.0.2.1');
  });

  it('stays DOWN and available, waiting, with startup action add and a device that does not initiate', () => {
    const h = harness();
    h.driver.apply(tunnel({ startupAction: 'add', device: { initiates: false } }));
    h.advanceTo(600_000);
    assert.deepEqual(h.lines(), ['20 waiting-for-peer g1 available DOWN: waiting for peer 203.0.113.9 to initiate (startup action add)']);
    assert.equal(
      h.events[0].detail,
      'not initiating: device does not initiate (initiates: false); nothing happens until the gateway initiates',
    );
    assert.deepEqual(h.events[0].log, ['device: not initiating: configured to wait for the peer']);
    assert.equal(h.clock.pending, 0);
  });

  it('initiates from the gateway with startup action start even when the device would not', () => {
    const h = harness();
    h.driver.apply(tunnel({ startupAction: 'start', device: { initiates: false } }));
    h.advanceTo(DELAY_MS);
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP']);
    assert.equal(h.events[0].log?.[1], 'gateway: initiating IKE_SA tun-1[1] to 203.0.113.9');
  });

  it('starts negotiating when a waiting device is refreshed into one that initiates', () => {
    const h = harness();
    h.driver.apply(tunnel({ startupAction: 'add', device: { initiates: false } }));
    h.advanceTo(1000);
    h.driver.apply(tunnel({ startupAction: 'add', device: { initiates: true } }));
    h.advanceTo(2000);
    assert.deepEqual(h.lines(), [
      '20 waiting-for-peer g1 available DOWN: waiting for peer 203.0.113.9 to initiate (startup action add)',
      '1020 ike-up g1 available UP',
    ]);
  });

  it('returns null from validate and calls itself simulated', () => {
    const h = harness();
    assert.equal(h.driver.validate(tunnel()), null);
    assert.equal(h.driver.name, 'simulated');
  });
});

describe('SimulatedDriver: failed negotiations', () => {
  const cases = [
    {
      name: 'reports NO_PROPOSAL_CHOSEN as failed provisioning',
      changes: {
        device: { ikeProposals: [{ encryption: ['aes128-cbc' as const], integrity: ['sha2-256' as const], dhGroups: [14 as const] }] },
      },
      reason: 'phase 1 NO_PROPOSAL_CHOSEN: no matching encryption algorithm (gateway offers aes256-cbc, device accepts aes128-cbc)',
    },
    {
      name: 'reports AUTHENTICATION_FAILED as failed provisioning',
      changes: { device: { psk: 'wrong horse' } },
      reason: 'phase 1 AUTHENTICATION_FAILED: pre-shared key mismatch (gateway and device hold different keys)',
    },
    {
      name: 'reports TS_UNACCEPTABLE as failed provisioning',
      changes: { device: { subnets: ['192.168.0.0/24'] } },
      reason: 'phase 2 TS_UNACCEPTABLE: device local subnets 192.168.0.0/24 do not overlap gateway remote subnets 10.1.0.0/16',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const h = harness();
      h.driver.apply(tunnel(c.changes));
      h.advanceTo(DELAY_MS);
      assert.equal(h.events.length, 1);
      const [e] = h.events;
      assert.equal(e.kind, 'negotiation-failed');
      assert.deepEqual(e.observation, { provisioning: 'failed', provisioningReason: c.reason, ikeStatus: 'DOWN', statusMessage: c.reason });
      assert.equal(e.detail, `IKE negotiation with 203.0.113.9 failed: ${c.reason}; the gateway retries in 10 s`);
    });
  }

  it('reports INVALID_KE_PAYLOAD as failed provisioning when the initiator does not retry', () => {
    const h = harness({ keRetries: 0 });
    h.driver.apply(
      tunnel({
        ike: { dhGroups: [19, 14] },
        device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [14] }] },
      }),
    );
    h.advanceTo(DELAY_MS);
    const reason = 'phase 1 INVALID_KE_PAYLOAD: device requested DH group 14, gateway sent a KE payload for group 19 and does not retry';
    assert.deepEqual(h.lines(), [`20 negotiation-failed g1 failed DOWN: ${reason}`]);
    assert.equal(h.events[0].observation.provisioningReason, reason);
  });

  it('settles a DH group mismatch with one INVALID_KE_PAYLOAD round trip by default', () => {
    const h = harness();
    h.driver.apply(
      tunnel({
        ike: { dhGroups: [19, 14] },
        device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [14] }] },
      }),
    );
    h.advanceTo(DELAY_MS);
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP']);
    assert.equal(h.events[0].observation.negotiated?.phase1.dhGroup, 14);
  });

  it('reports an unreachable device as a peer timeout, DOWN but available', () => {
    const h = harness();
    h.driver.apply(tunnel({ device: { reachable: false } }));
    h.advanceTo(DELAY_MS);
    const message = 'peer did not respond: phase 1 TIMEOUT: no response from peer after 5 retransmits';
    assert.deepEqual(h.lines(), [`20 peer-timeout g1 available DOWN: ${message}`]);
    assert.deepEqual(h.events[0].observation, { provisioning: 'available', ikeStatus: 'DOWN', statusMessage: message });
    assert.equal(h.events[0].detail, `IKE negotiation with 203.0.113.9: ${message}; the gateway retries in 165 s`);
    assert.equal(h.events[0].log?.at(-1), 'gateway: establishing IKE_SA failed, peer not responding');
  });
});
