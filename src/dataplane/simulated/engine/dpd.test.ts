import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from './prng.ts';
import { DELAY_MS, harness, SEED, tunnel } from './test-support.ts';
import { rekeyDelayMs, rekeyWindow, TIMEOUT_RETRY_MS } from './timing.ts';

// Fixture DPD: interval 30 s + timeout 15 s, so a silent peer is declared dead 45 s later.
const SILENT_AT = 1000;
const DEAD_AT = SILENT_AT + 45_000;
const DPD_DOWN = 'DPD timeout: peer 203.0.113.9 not responding';
const TIMEOUT = 'peer did not respond: phase 1 TIMEOUT: no response from peer after 5 retransmits';

function silentPeer(action: 'clear' | 'restart' | 'none', changes: Parameters<typeof tunnel>[0] = {}) {
  const h = harness();
  h.driver.apply(tunnel({ ...changes, dpd: { action, ...changes.dpd } }));
  h.advanceTo(SILENT_AT);
  h.driver.injectFault('tun-1', { kind: 'peer-unreachable' });
  return h;
}

describe('SimulatedDriver: dead peer detection', () => {
  it('declares the peer dead after interval + timeout and clears the tunnel (action clear)', () => {
    const h = silentPeer('clear');
    h.advanceTo(DEAD_AT - 1);
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP']);
    h.advanceTo(DEAD_AT);
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP', `46000 dpd-timeout g1 available DOWN: ${DPD_DOWN}`]);
    assert.equal(h.events[1].detail, 'DPD timeout: no answer for 45 s (interval 30 s + timeout 15 s); action clear, staying down');
    assert.deepEqual(h.events[1].observation, { provisioning: 'available', ikeStatus: 'DOWN', statusMessage: DPD_DOWN });
  });

  it('stays down after a clear, even once the peer answers again, with startup action start', () => {
    const h = silentPeer('clear');
    h.advanceTo(DEAD_AT + 1000);
    h.driver.injectFault('tun-1', { kind: 'peer-reachable' });
    h.advanceTo(86_400_000);
    assert.equal(h.events.length, 2);
    assert.equal(h.clock.pending, 0);
  });

  it('re-initiates after a DPD timeout with action restart and retries until the peer answers', () => {
    const h = silentPeer('restart');
    h.advanceTo(200_000);
    h.driver.injectFault('tun-1', { kind: 'peer-reachable' });
    h.advanceTo(400_000);
    const restart = DEAD_AT + DELAY_MS;
    assert.deepEqual(h.lines(), [
      '20 ike-up g1 available UP',
      `46000 dpd-timeout g1 available DOWN: ${DPD_DOWN}`,
      `46020 peer-timeout g1 available DOWN: ${TIMEOUT}`,
      `${restart + TIMEOUT_RETRY_MS} ike-up g1 available UP`,
    ]);
    assert.equal(h.events[1].detail, 'DPD timeout: no answer for 45 s (interval 30 s + timeout 15 s); action restart, re-initiating');
    assert.equal(h.events[1].log?.at(-1), 'gateway: restarting CHILD_SA tun-1{1}');
  });

  it('changes nothing with action none, until a rekey finds the peer silent', () => {
    const h = silentPeer('none');
    h.advanceTo(DEAD_AT);
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP']);
    const random = seededRandom(SEED);
    random();
    const childRekey = DELAY_MS + rekeyDelayMs(rekeyWindow(3600, 540, 100), random);
    h.advanceTo(childRekey);
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP', `${childRekey} peer-timeout g1 available DOWN: ${TIMEOUT}`]);
    assert.equal(h.events[1].detail, `CHILD_SA rekey with 203.0.113.9: ${TIMEOUT}; the gateway retries in 165 s`);
  });

  it('uses the tunnel’s own DPD interval and timeout', () => {
    const h = silentPeer('clear', { dpd: { intervalSeconds: 10, timeoutSeconds: 40 } });
    h.advanceTo(SILENT_AT + 50_000 - 1);
    assert.equal(h.events.length, 1);
    h.advanceTo(SILENT_AT + 50_000);
    assert.deepEqual(h.lines().slice(1), [`51000 dpd-timeout g1 available DOWN: ${DPD_DOWN}`]);
  });

  it('starts the DPD clock when a profile saying the device is unreachable comes with the same generation', () => {
    const h = harness();
    h.driver.apply(tunnel({ dpd: { action: 'clear' } }));
    h.advanceTo(SILENT_AT);
    h.driver.apply(tunnel({ dpd: { action: 'clear' }, device: { reachable: false } }));
    h.advanceTo(DEAD_AT);
    assert.deepEqual(h.lines().slice(1), [`46000 dpd-timeout g1 available DOWN: ${DPD_DOWN}`]);
  });

  it('forgets the silence when the peer answers before DPD gives up', () => {
    const h = silentPeer('clear');
    h.advanceTo(DEAD_AT - 5000);
    h.driver.injectFault('tun-1', { kind: 'peer-reachable' });
    h.advanceTo(DEAD_AT + 60_000);
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP']);
  });

  it('applies the DPD action at once on a dpd-timeout fault', () => {
    const h = harness();
    h.driver.apply(tunnel());
    h.advanceTo(5000);
    h.driver.injectFault('tun-1', { kind: 'dpd-timeout' });
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP', `5000 dpd-timeout g1 available DOWN: ${DPD_DOWN}`]);
    assert.equal(h.events[1].detail, 'DPD timeout: forced by an injected dpd-timeout fault; action restart, re-initiating');
    h.advanceTo(5000 + DELAY_MS);
    assert.deepEqual(h.lines().slice(2), ['5020 ike-up g1 available UP']);
  });

  it('ignores a dpd-timeout fault with action none', () => {
    const h = harness();
    h.driver.apply(tunnel({ dpd: { action: 'none' } }));
    h.advanceTo(5000);
    h.driver.injectFault('tun-1', { kind: 'dpd-timeout' });
    h.advanceTo(6000);
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP']);
  });

  it('has the gateway restart a startup-add tunnel, then leaves initiating to the device once up', () => {
    const h = silentPeer('restart', { startupAction: 'add' });
    h.advanceTo(100_000);
    h.driver.injectFault('tun-1', { kind: 'peer-reachable' });
    h.advanceTo(300_000);
    const up = h.events.at(-1);
    assert.deepEqual(h.lines().slice(1), [
      `46000 dpd-timeout g1 available DOWN: ${DPD_DOWN}`,
      `46020 peer-timeout g1 available DOWN: ${TIMEOUT}`,
      `${DEAD_AT + DELAY_MS + TIMEOUT_RETRY_MS} ike-up g1 available UP`,
    ]);
    assert.equal(up?.log?.[1], 'gateway: initiating IKE_SA tun-1[1] to 203.0.113.9');
  });

  it('lets a startup-add device that initiates reconnect after a clear once it is reachable again', () => {
    const h = silentPeer('clear', { startupAction: 'add' });
    h.advanceTo(100_000);
    h.driver.injectFault('tun-1', { kind: 'peer-reachable' });
    h.advanceTo(100_000 + DELAY_MS);
    assert.deepEqual(h.lines().slice(1), [`46000 dpd-timeout g1 available DOWN: ${DPD_DOWN}`, '100020 ike-up g1 available UP']);
    assert.equal(h.events[2].log?.[1], 'device: initiating IKE_SA tun-1[1] to 192.0.2.1');
  });
});
