// What survives a rekey: an IKE rekey leaves the CHILD_SA as it is, a refused CHILD_SA rekey
// leaves the old CHILD_SA installed (UP, with the reason) until its hard lifetime, and a refused
// IKEv2 IKE_SA rekey leaves both SAs up until the IKE_SA's lifetime ends, as charon does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from './prng.ts';
import { DELAY_MS, harness, SEED, tunnel } from './test-support.ts';
import { rekeyDelayMs, rekeyWindow } from './timing.ts';

const CHILD = rekeyWindow(3600, 540, 100);
const LIFETIME_MS = 3_600_000;
const GCM_ONLY = { espProposals: [{ encryption: ['aes128-gcm16' as const], integrity: [], pfsGroups: [14 as const] }] };
const REASON = 'phase 2 NO_PROPOSAL_CHOSEN: no matching encryption algorithm (gateway offers aes256-cbc, device accepts aes128-gcm16)';
const KEPT = `CHILD_SA rekey failed (${REASON}); the current CHILD_SA stays installed until it expires`;
/** An IKE lifetime that ends before the CHILD_SA's first rekey, so that only the IKE_SA's story shows. */
const IKE = { lifetimeSeconds: 1200 };
const IKE_LIFETIME_MS = 1_200_000;
const IKE_GROUP_19 = { ikeProposals: [{ encryption: ['aes256-cbc' as const], integrity: ['sha2-256' as const], dhGroups: [19 as const] }] };
const IKE_REASON = 'phase 1 NO_PROPOSAL_CHOSEN: no matching DH group (gateway offers group 14, device accepts group 19)';
const IKE_KEPT = `IKE_SA rekey failed (${IKE_REASON}); the current IKE_SA and CHILD_SA stay up until the IKE_SA expires`;

/** When the first CHILD rekey falls due with SEED (the IKE rekey's draw comes first). */
function firstChildRekey(): number {
  const random = seededRandom(SEED);
  random();
  return DELAY_MS + rekeyDelayMs(CHILD, random);
}

describe('SimulatedDriver: what a rekey keeps', () => {
  it('moves the CHILD_SA to the new IKE_SA unchanged at an IKE rekey, though the device’s ESP offer and subnets changed', () => {
    const h = harness();
    const ipsec = { encryption: ['aes256-cbc' as const, 'aes128-cbc' as const] };
    h.driver.apply(tunnel({ ipsec }));
    h.advanceTo(1000);
    h.driver.apply(
      tunnel({
        ipsec,
        device: { espProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], pfsGroups: [14] }], subnets: ['10.1.2.0/24'] },
      }),
    );
    h.driver.injectFault('tun-1', { kind: 'force-rekey' });
    const [up, rekey] = h.events;
    assert.equal(rekey.kind, 'ike-rekey');
    assert.deepEqual(rekey.observation.negotiated, up.observation.negotiated);
    assert.deepEqual(rekey.observation.selectors, up.observation.selectors);
    assert.equal(
      rekey.detail,
      'IKEv2 SA rekeyed with 203.0.113.9: AES_CBC_256/HMAC_SHA2_256_128/MODP_2048, CHILD_SA 10.0.0.0/16 === 10.1.0.0/16',
    );
    // The CHILD_SA keeps its own rekey time, and the changed profile applies there.
    h.advanceTo(firstChildRekey());
    assert.deepEqual(h.lines().slice(2), [`${firstChildRekey()} child-rekey g1 available UP`]);
    assert.equal(h.events[2].observation.negotiated?.phase2.encryption, 'aes128-cbc');
    assert.deepEqual(h.events[2].observation.selectors, { local: ['10.0.0.0/16'], remote: ['10.1.2.0/24'] });
  });

  it('does not authenticate again at an IKEv2 IKE rekey: a changed device PSK keeps the tunnel UP', () => {
    const h = harness();
    h.driver.apply(tunnel());
    h.advanceTo(1000);
    h.driver.apply(tunnel({ device: { psk: 'new horse' } }));
    h.driver.injectFault('tun-1', { kind: 'force-rekey' });
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP', '1000 ike-rekey g1 available UP']);
  });

  it('stays UP on the old CHILD_SA after a refused CHILD rekey, retries every 6-15 s without new events, and goes DOWN with the reason when the CHILD_SA expires', () => {
    const h = harness();
    h.driver.apply(tunnel());
    h.advanceTo(1000);
    h.driver.apply(tunnel({ device: GCM_ONLY }));
    const at = firstChildRekey();
    h.advanceTo(at);
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP', `${at} rekey-failed g1 available UP: ${KEPT}`]);
    const retryS = Number(/retries in (\d+) s$/.exec(h.events[1].detail)![1]);
    assert.ok(retryS >= 6 && retryS <= 15, h.events[1].detail);
    h.advanceTo(DELAY_MS + LIFETIME_MS - 1);
    assert.equal(h.events.length, 2, 'the same refusal at each retry is not news');
    h.advanceTo(DELAY_MS + LIFETIME_MS);
    assert.deepEqual(h.lines().slice(2), [`${DELAY_MS + LIFETIME_MS} rekey-failed g1 failed DOWN: ${REASON}`]);
    assert.equal(h.events[2].log?.[0], 'gateway: closing expired CHILD_SA tun-1{1} with TS 10.0.0.0/16 === 10.1.0.0/16');
    assert.equal(h.events[2].detail, `CHILD_SA rekey with 203.0.113.9 failed: ${REASON}; the gateway retries in 10 s`);
  });

  it('installs a new CHILD_SA at the next retry once the device accepts again, and clears the reason', () => {
    const h = harness();
    h.driver.apply(tunnel());
    h.advanceTo(1000);
    h.driver.apply(tunnel({ device: GCM_ONLY }));
    const at = firstChildRekey();
    h.advanceTo(at);
    h.driver.apply(tunnel());
    h.advanceTo(at + 15_000);
    assert.equal(h.events.length, 3);
    const { kind, observation } = h.events[2];
    assert.deepEqual([kind, observation.ikeStatus, observation.statusMessage], ['child-rekey', 'UP', '']);
    h.advanceTo(DELAY_MS + LIFETIME_MS + 1);
    assert.equal(h.events.length, 3, 'the new CHILD_SA does not expire with the old one');
  });

  it('takes the tunnel DOWN at once when the device does not answer the CHILD rekey (charon gives up on a silent peer)', () => {
    const h = harness();
    h.driver.apply(tunnel({ dpd: { action: 'none' } }));
    h.advanceTo(1000);
    h.driver.injectFault('tun-1', { kind: 'peer-unreachable' });
    h.advanceTo(firstChildRekey());
    assert.equal(h.events[1].kind, 'peer-timeout');
    assert.equal(h.events[1].observation.ikeStatus, 'DOWN');
  });

  it('stays UP on both SAs after a refused IKEv2 IKE rekey, retries every 6-15 s without new events, and goes DOWN with the reason when the IKE_SA’s lifetime ends', () => {
    const h = harness();
    h.driver.apply(tunnel({ ike: IKE }));
    h.advanceTo(1000);
    h.driver.apply(tunnel({ ike: IKE, device: IKE_GROUP_19 }));
    h.driver.injectFault('tun-1', { kind: 'force-rekey' });
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP', `1000 rekey-failed g1 available UP: ${IKE_KEPT}`]);
    const [up, kept] = h.events;
    assert.deepEqual(kept.observation.negotiated, up.observation.negotiated, 'the current IKE_SA’s values stay');
    assert.deepEqual(kept.observation.selectors, up.observation.selectors);
    assert.equal(kept.observation.establishedAt, up.observation.establishedAt, 'the same IKE_SA');
    const retryS = Number(/the gateway retries in (\d+) s$/.exec(kept.detail)![1]);
    assert.ok(retryS >= 6 && retryS <= 15, kept.detail);
    assert.equal(
      kept.detail,
      `IKE rekey with 203.0.113.9 failed: ${IKE_REASON}; the current IKE_SA and CHILD_SA stay up until the IKE_SA expires, the gateway retries in ${retryS} s`,
    );
    h.advanceTo(DELAY_MS + IKE_LIFETIME_MS - 1);
    assert.equal(h.events.length, 2, 'the same refusal at each retry is not news');
    h.advanceTo(DELAY_MS + IKE_LIFETIME_MS);
    assert.deepEqual(h.lines().slice(2), [`${DELAY_MS + IKE_LIFETIME_MS} rekey-failed g1 failed DOWN: ${IKE_REASON}`]);
    assert.deepEqual(h.events[2].log, [
      'gateway: deleting IKE_SA tun-1[1] between 192.0.2.1...203.0.113.9 (its lifetime ended, every rekey was refused)',
      'gateway: CHILD_SA tun-1{1} closed with it',
    ]);
    assert.equal(h.events[2].detail, `IKE rekey with 203.0.113.9 failed: ${IKE_REASON}; the gateway retries in 10 s`);
  });

  it('rekeys the IKE_SA at the next retry once the device accepts again, clears the reason, and counts a new lifetime', () => {
    const h = harness();
    h.driver.apply(tunnel({ ike: IKE }));
    h.advanceTo(1000);
    h.driver.apply(tunnel({ ike: IKE, device: IKE_GROUP_19 }));
    h.driver.injectFault('tun-1', { kind: 'force-rekey' });
    h.driver.apply(tunnel({ ike: IKE }));
    h.advanceTo(16_000);
    const retryS = Number(/the gateway retries in (\d+) s$/.exec(h.events[1].detail)![1]);
    assert.deepEqual(h.lines().slice(1), [
      `1000 rekey-failed g1 available UP: ${IKE_KEPT}`,
      `${1000 + retryS * 1000} ike-rekey g1 available UP`,
    ]);
    h.advanceTo(DELAY_MS + IKE_LIFETIME_MS + 1);
    assert.ok(
      h.events.slice(3).every((e) => e.observation.ikeStatus === 'UP'),
      'the rekeyed IKE_SA does not expire with the old one',
    );
  });

  it('keeps the SAs when the device answers an IKEv2 IKE rekey with an INVALID_KE the gateway cannot satisfy', () => {
    const h = harness({ keRetries: 0 });
    const ike = { ...IKE, dhGroups: [14 as const, 19 as const] };
    h.driver.apply(tunnel({ ike }));
    h.advanceTo(1000);
    h.driver.apply(tunnel({ ike, device: IKE_GROUP_19 }));
    h.driver.injectFault('tun-1', { kind: 'force-rekey' });
    const { kind, observation } = h.events[1];
    assert.deepEqual([kind, observation.provisioning, observation.ikeStatus], ['rekey-failed', 'available', 'UP']);
    assert.match(
      observation.statusMessage,
      /^IKE_SA rekey failed \(phase 1 INVALID_KE_PAYLOAD: .*\); the current IKE_SA and CHILD_SA stay up until the IKE_SA expires$/,
    );
  });

  it('takes the tunnel DOWN at once when an IKEv1 reauthentication is refused (the CHILD_SA moved to the failed IKE_SA)', () => {
    const h = harness();
    h.driver.apply(tunnel({ ike: { ...IKE, versions: ['v1'] }, device: { ikeVersions: ['v1'] } }));
    h.advanceTo(1000);
    h.driver.apply(tunnel({ ike: { ...IKE, versions: ['v1'] }, device: { ikeVersions: ['v1'], ...IKE_GROUP_19 } }));
    h.driver.injectFault('tun-1', { kind: 'force-rekey' });
    assert.deepEqual(h.lines().slice(1), [`1000 rekey-failed g1 failed DOWN: ${IKE_REASON}`]);
    assert.equal(h.events[1].detail, `IKE rekey with 203.0.113.9 failed: ${IKE_REASON}; the gateway retries in 10 s`);
  });
});
