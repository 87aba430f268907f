import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DELAY_MS, type Harness, harness, tunnel } from './test-support.ts';
import { TIMEOUT_RETRY_MS } from './timing.ts';

const NO_PROPOSAL = 'phase 1 NO_PROPOSAL_CHOSEN: no matching encryption algorithm (gateway offers aes256-cbc, device accepts aes128-cbc)';
const AES128_DEVICE = {
  ikeProposals: [{ encryption: ['aes128-cbc' as const], integrity: ['sha2-256' as const], dhGroups: [14 as const] }],
};

describe('SimulatedDriver: retries', () => {
  it('retries a failed negotiation after 10, 30, 60 s and reports only the change that brings it up', () => {
    const h = harness();
    h.driver.apply(tunnel({ device: AES128_DEVICE }));
    h.advanceTo(100_000);
    h.driver.apply(tunnel());
    h.advanceTo(300_000);
    assert.deepEqual(h.lines(), [`20 negotiation-failed g1 failed DOWN: ${NO_PROPOSAL}`, '100020 ike-up g1 available UP']);
  });

  it('reports a retry that fails for another reason', () => {
    const h = harness();
    h.driver.apply(tunnel({ device: AES128_DEVICE }));
    h.advanceTo(1000);
    h.driver.apply(tunnel({ device: { psk: 'wrong horse' } }));
    h.advanceTo(10_020);
    assert.deepEqual(h.lines().slice(1), [
      '10020 negotiation-failed g1 failed DOWN: phase 1 AUTHENTICATION_FAILED: pre-shared key mismatch (gateway and device hold different keys)',
    ]);
  });

  it('retries an unanswered negotiation every retransmit window until the peer answers', () => {
    const h = harness();
    h.driver.apply(tunnel({ device: { reachable: false } }));
    h.advanceTo(200_000);
    h.driver.injectFault('tun-1', { kind: 'peer-reachable' });
    h.advanceTo(400_000);
    assert.equal(TIMEOUT_RETRY_MS, 165_061);
    assert.deepEqual(h.lines(), [
      '20 peer-timeout g1 available DOWN: peer did not respond: phase 1 TIMEOUT: no response from peer after 5 retransmits',
      `${20 + 2 * TIMEOUT_RETRY_MS} ike-up g1 available UP`,
    ]);
  });

  it('has an initiating device retry its own failed negotiation with startup action add', () => {
    const h = harness();
    h.driver.apply(tunnel({ startupAction: 'add', device: AES128_DEVICE }));
    h.advanceTo(DELAY_MS);
    assert.equal(
      h.events[0].detail,
      'IKE negotiation with 203.0.113.9 failed: phase 1 NO_PROPOSAL_CHOSEN: no matching encryption algorithm (device offers aes128-cbc, gateway accepts aes256-cbc); the device retries in 10 s',
    );
    h.driver.apply(tunnel({ startupAction: 'add' }));
    h.advanceTo(10_020);
    assert.deepEqual(h.lines().slice(1), ['10020 ike-up g1 available UP']);
  });

  it('lets a device that became reachable again initiate at once with startup action add', () => {
    const h = harness();
    h.driver.apply(tunnel({ startupAction: 'add', device: { reachable: false } }));
    h.advanceTo(5000);
    h.driver.injectFault('tun-1', { kind: 'peer-reachable' });
    h.advanceTo(5000 + DELAY_MS);
    assert.deepEqual(h.lines(), [
      '20 waiting-for-peer g1 available DOWN: waiting for peer 203.0.113.9 to initiate (startup action add)',
      '5020 ike-up g1 available UP',
    ]);
    assert.equal(h.events[0].detail, 'not initiating: device is unreachable; none of its requests reach the gateway');
  });
});

describe('SimulatedDriver: generations, reset, remove, stop', () => {
  it('never emits an older generation after a newer apply', () => {
    const h = harness();
    h.driver.apply(tunnel());
    h.advanceTo(10);
    h.driver.apply(tunnel({ generation: 2, device: AES128_DEVICE }));
    h.advanceTo(100_000);
    h.driver.apply(tunnel({ generation: 3 }));
    h.advanceTo(4_000_000);
    assert.deepEqual(h.lines().slice(0, 2), [`30 negotiation-failed g2 failed DOWN: ${NO_PROPOSAL}`, '100020 ike-up g3 available UP']);
    assert.deepEqual([...new Set(h.events.slice(1).map((e) => e.generation))], [3]);
  });

  it('ignores an intent older than the one it holds', () => {
    const h = harness();
    h.driver.apply(tunnel({ generation: 2 }));
    h.driver.apply(tunnel({ generation: 1, device: AES128_DEVICE }));
    h.advanceTo(DELAY_MS);
    assert.deepEqual(h.lines(), ['20 ike-up g2 available UP']);
  });

  it('negotiates a tunnel it does not know even when the generation is not new (converge after a restart)', () => {
    const h = harness();
    h.driver.apply(tunnel({ generation: 5 }));
    h.advanceTo(DELAY_MS);
    assert.deepEqual(h.lines(), ['20 ike-up g5 available UP']);
  });

  it('only refreshes the profile on an apply with the same generation', () => {
    const h = harness();
    h.driver.apply(tunnel());
    h.advanceTo(1000);
    h.driver.apply(tunnel({ device: AES128_DEVICE }));
    h.advanceTo(2_000_000);
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP']);
  });

  it('emits nothing further after remove, and leaves no timer behind', () => {
    for (const removeAt of [10, 5000]) {
      const h = harness();
      h.driver.apply(tunnel());
      h.advanceTo(removeAt);
      const before = h.events.length;
      h.driver.remove('tun-1');
      h.driver.injectFault('tun-1', { kind: 'force-rekey' });
      h.advanceTo(100_000_000);
      assert.equal(h.events.length, before);
      assert.equal(h.clock.pending, 0);
      assert.equal(h.driver.size, 0);
    }
  });

  it('cancels every timer on stop', async () => {
    const h = harness();
    for (let i = 0; i < 3; i++) h.driver.apply(tunnel({ tunnelId: `tun-${i}` }));
    await h.driver.stop();
    h.advanceTo(100_000_000);
    assert.deepEqual(h.events, []);
    assert.equal(h.clock.pending, 0);
  });

  it('holds one clock timer per tunnel however many deadlines it has', () => {
    const h = harness();
    for (let i = 0; i < 50; i++) h.driver.apply(tunnel({ tunnelId: `tun-${i}` }));
    h.advanceTo(DELAY_MS);
    for (let i = 0; i < 50; i += 2) h.driver.injectFault(`tun-${i}`, { kind: 'peer-unreachable' });
    assert.equal(h.events.length, 50);
    assert.equal(h.clock.pending, 50);
  });
});

describe('SimulatedDriver: determinism', () => {
  function scenario(seed: number): Harness {
    const h = harness({ seed });
    for (let i = 0; i < 5; i++) h.driver.apply(tunnel({ tunnelId: `tun-${i}`, ipsec: { lifetimeSeconds: 1800 } }));
    h.advanceTo(60_000);
    h.driver.injectFault('tun-2', { kind: 'peer-unreachable' });
    h.driver.injectFault('tun-3', { kind: 'force-rekey' });
    h.advanceTo(600_000);
    h.driver.injectFault('tun-2', { kind: 'peer-reachable' });
    h.advanceTo(20_000_000);
    return h;
  }

  it('emits the same events for the same seed', () => {
    const a = scenario(42).events;
    assert.ok(a.length > 20);
    assert.deepEqual(scenario(42).events, a);
  });

  it('spreads rekeys differently for another seed', () => {
    const at = (h: Harness) => h.events.map((e) => e.at);
    assert.notDeepEqual(at(scenario(43)), at(scenario(42)));
  });
});
