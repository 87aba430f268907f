import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from './prng.ts';
import { DELAY_MS, harness, SEED, tunnel } from './test-support.ts';
import { rekeyDelayMs, rekeyWindow } from './timing.ts';

// Fixture lifetimes: IKE 86400 s, ESP 3600 s, margin 540 s, fuzz 100 %.
const CHILD = rekeyWindow(3600, 540, 100);
const IKE = rekeyWindow(86400, 540, 100);
const LONG_ESP = { lifetimeSeconds: 172_800 };

describe('SimulatedDriver: rekeying', () => {
  it('rekeys the CHILD_SA inside [lifetime − margin − fuzz, lifetime − margin] after it came up', () => {
    const h = harness();
    h.driver.apply(tunnel());
    h.advanceTo(DELAY_MS + CHILD.latestMs);
    const random = seededRandom(SEED);
    random(); // the IKE rekey's draw comes first
    const expected = DELAY_MS + rekeyDelayMs(CHILD, random);
    assert.deepEqual(CHILD, { earliestMs: 2_520_000, latestMs: 3_060_000 });
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP', `${expected} child-rekey g1 available UP`]);
    assert.ok(expected - DELAY_MS >= CHILD.earliestMs && expected - DELAY_MS <= CHILD.latestMs);
  });

  it('rekeys the IKE_SA inside its window when the ESP lifetime is set to outlive it', () => {
    const h = harness();
    h.driver.apply(tunnel({ ipsec: LONG_ESP }));
    h.advanceTo(DELAY_MS + IKE.latestMs);
    const expected = DELAY_MS + rekeyDelayMs(IKE, seededRandom(SEED));
    assert.deepEqual(IKE, { earliestMs: 85_320_000, latestMs: 85_860_000 });
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP', `${expected} ike-rekey g1 available UP`]);
    assert.equal(h.events[1].observation.establishedAt, new Date(h.events[1].at).toISOString());
    assert.equal(h.events[1].log?.[0], 'gateway: rekeying IKE_SA tun-1[1] (CREATE_CHILD_SA for the IKE_SA alone; the CHILD_SA stays)');
  });

  it('keeps every seed’s rekey times inside the windows', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const h = harness({ seed });
      h.driver.apply(tunnel());
      h.advanceTo(DELAY_MS + CHILD.latestMs);
      const after = h.events[1].at - h.events[0].at;
      assert.ok(after >= CHILD.earliestMs && after <= CHILD.latestMs, `seed ${seed}: ${after}`);
    }
  });

  it('keeps the IKE_SA’s establishedAt at a CHILD rekey and logs only the phase-2 exchange', () => {
    const h = harness();
    h.driver.apply(tunnel());
    h.advanceTo(DELAY_MS + CHILD.latestMs);
    const [up, rekey] = h.events;
    assert.equal(rekey.observation.establishedAt, up.observation.establishedAt);
    assert.equal(rekey.detail, 'CHILD_SA rekeyed with 203.0.113.9: AES_CBC_256/HMAC_SHA2_256_128/MODP_2048, 10.0.0.0/16 === 10.1.0.0/16');
    assert.deepEqual(rekey.log?.slice(0, 3), [
      'gateway: rekeying CHILD_SA tun-1{1}',
      'gateway: proposing traffic selectors 10.0.0.0/16 === 10.1.0.0/16',
      'gateway: sending CREATE_CHILD_SA request 2 [ SA No KE(MODP_2048) TSi TSr ]',
    ]);
  });

  it('applies a changed ESP profile at the next CHILD rekey, not before', () => {
    const h = harness();
    const gateway = { ipsec: { encryption: ['aes256-cbc' as const, 'aes128-cbc' as const] } };
    h.driver.apply(tunnel(gateway));
    h.advanceTo(1000);
    h.driver.apply(
      tunnel({ ...gateway, device: { espProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], pfsGroups: [14] }] } }),
    );
    h.advanceTo(DELAY_MS + CHILD.latestMs);
    assert.equal(h.events.length, 2);
    assert.equal(h.events[0].observation.negotiated?.phase2.encryption, 'aes256-cbc');
    assert.equal(h.events[1].kind, 'child-rekey');
    assert.deepEqual(h.events[1].observation.negotiated, {
      ikeVersion: 'v2',
      phase1: { encryption: 'aes256-cbc', integrity: 'sha2-256', prf: 'sha2-256', dhGroup: 14 },
      phase2: { encryption: 'aes128-cbc', integrity: 'sha2-256', dhGroup: 14 },
    });
  });

  it('keeps the IKE_SA’s algorithms at CHILD rekeys and applies a changed IKE profile at the IKE rekey', () => {
    const h = harness();
    const gateway = { ike: { encryption: ['aes256-cbc' as const, 'aes128-cbc' as const] } };
    h.driver.apply(tunnel(gateway));
    h.advanceTo(1000);
    h.driver.apply(
      tunnel({ ...gateway, device: { ikeProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], dhGroups: [14] }] } }),
    );
    h.advanceTo(DELAY_MS + IKE.latestMs);
    const kinds = h.events.map((e) => `${e.kind} ${e.observation.negotiated?.phase1.encryption}`);
    const ikeRekey = kinds.indexOf('ike-rekey aes128-cbc');
    assert.ok(ikeRekey > 1, kinds.join());
    assert.deepEqual(kinds.slice(0, ikeRekey), ['ike-up aes256-cbc', ...Array(ikeRekey - 1).fill('child-rekey aes256-cbc')]);
  });

  it('takes an IKEv1 tunnel down with the reason when its reauthentication fails, and the gateway retries', () => {
    const h = harness();
    const v1 = { ipsec: LONG_ESP, ike: { versions: ['v1' as const] } };
    h.driver.apply(tunnel({ ...v1, device: { ikeVersions: ['v1'] } }));
    h.advanceTo(1000);
    h.driver.apply(tunnel({ ...v1, device: { ikeVersions: ['v1'], psk: 'new horse' } }));
    h.driver.injectFault('tun-1', { kind: 'force-rekey' });
    const reason = 'phase 1 AUTHENTICATION_FAILED: pre-shared key mismatch (gateway and device hold different keys)';
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP', `1000 rekey-failed g1 failed DOWN: ${reason}`]);
    assert.equal(h.events[1].detail, `IKE rekey with 203.0.113.9 failed: ${reason}; the gateway retries in 10 s`);
    h.driver.apply(tunnel({ ...v1, device: { ikeVersions: ['v1'] } }));
    h.advanceTo(11_000);
    assert.deepEqual(h.lines().slice(2), ['11000 ike-up g1 available UP']);
  });

  it('keeps the tunnel UP on the old CHILD_SA with the reason when a CHILD rekey finds no acceptable ESP proposal', () => {
    const h = harness();
    h.driver.apply(tunnel());
    h.advanceTo(1000);
    h.driver.apply(tunnel({ device: { espProposals: [{ encryption: ['aes128-gcm16'], integrity: [], pfsGroups: [14] }] } }));
    h.advanceTo(DELAY_MS + CHILD.latestMs);
    const reason = 'phase 2 NO_PROPOSAL_CHOSEN: no matching encryption algorithm (gateway offers aes256-cbc, device accepts aes128-gcm16)';
    assert.equal(h.events.length, 2);
    assert.equal(h.events[1].kind, 'rekey-failed');
    assert.deepEqual(
      { ...h.events[1].observation, negotiated: undefined },
      {
        ...h.events[0].observation,
        negotiated: undefined,
        statusMessage: `CHILD_SA rekey failed (${reason}); the current CHILD_SA stays installed until it expires`,
      },
    );
    assert.deepEqual(h.events[1].observation.negotiated, h.events[0].observation.negotiated);
    assert.match(
      h.events[1].detail,
      new RegExp(
        `^CHILD_SA rekey with 203\\.0\\.113\\.9 failed: ${reason.replace(/[()]/g, '\\$&')}; the current CHILD_SA stays installed until it expires, the gateway retries in (\\d+) s$`,
      ),
    );
  });

  it('rekeys at once on a force-rekey fault and schedules the next rekeys from then', () => {
    const h = harness();
    h.driver.apply(tunnel());
    h.advanceTo(5000);
    h.driver.injectFault('tun-1', { kind: 'force-rekey' });
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP', '5000 ike-rekey g1 available UP']);
    h.advanceTo(5000 + CHILD.earliestMs - 1);
    assert.equal(h.events.length, 2);
  });

  it('ignores force-rekey while the tunnel is not up', () => {
    const h = harness();
    h.driver.apply(tunnel());
    h.driver.injectFault('tun-1', { kind: 'force-rekey' });
    h.advanceTo(DELAY_MS);
    assert.deepEqual(h.lines(), ['20 ike-up g1 available UP']);
  });
});
