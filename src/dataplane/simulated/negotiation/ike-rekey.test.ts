import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { promoteGroup, rekeyIkeSa } from './ike-rekey.ts';
import { negotiate } from './negotiate.ts';
import { expectFailure, expectSuccess, type IntentChanges, intentWith } from './test-fixtures.ts';

/** The SA pair a first negotiation of `c` establishes (the gateway initiates). */
function established(c: IntentChanges = {}) {
  const s = expectSuccess(negotiate(intentWith(c), { initiator: 'gateway' }));
  return { params: s.params, selectors: s.selectors, narrowed: s.narrowed };
}

describe('rekeyIkeSa: an IKE_SA rekey leaves the CHILD_SA alone', () => {
  it('renegotiates IKEv2 phase 1 in a CREATE_CHILD_SA and keeps the CHILD_SA’s values and selectors, even when the device’s ESP offer and subnets changed', () => {
    const current = established();
    const changed = intentWith({
      device: {
        ikeProposals: [{ encryption: ['aes128-cbc', 'aes256-cbc'], integrity: ['sha2-256'], dhGroups: [14] }],
        espProposals: [{ encryption: ['aes128-gcm16'], integrity: [], pfsGroups: [19] }],
        subnets: ['10.1.2.0/24'],
      },
    });
    const s = expectSuccess(rekeyIkeSa(changed, current));
    assert.deepEqual(s.params.phase2, current.params.phase2);
    assert.deepEqual(s.selectors, current.selectors);
    assert.deepEqual(s.params.phase1, { encryption: 'aes256-cbc', integrity: 'sha2-256', prf: 'sha2-256', dhGroup: 14 });
    assert.deepEqual(s.log.slice(0, 3), [
      'gateway: rekeying IKE_SA tun-1[1] (CREATE_CHILD_SA for the IKE_SA alone; the CHILD_SA stays)',
      'gateway: sending CREATE_CHILD_SA request 2 [ SA No KE(MODP_2048) ]',
      'device: received CREATE_CHILD_SA request 2 [ SA No KE(MODP_2048) ]',
    ]);
    assert.ok(!s.log.some((l) => /AUTH|TSi/.test(l)), 'no authentication and no traffic selectors in an IKEv2 IKE rekey');
    assert.equal(s.log.at(-1), 'gateway: CHILD_SA tun-1{1} kept on the new IKE_SA (keys and algorithms unchanged)');
  });

  it('does not authenticate again in IKEv2: a changed PSK or identity does not fail the rekey', () => {
    const s = rekeyIkeSa(intentWith({ device: { psk: 'other horse', idValue: '198.51.100.7' } }), established());
    assert.equal(s.ok, true);
  });

  it('sends KE for the current IKE_SA’s group and retries once when the responder asks for its preferred group', () => {
    const current = established({ ike: { dhGroups: [14, 19] } });
    assert.equal(current.params.phase1.dhGroup, 14);
    const s = expectSuccess(
      rekeyIkeSa(
        intentWith({
          ike: { dhGroups: [14, 19] },
          device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [19, 14] }] },
        }),
        current,
      ),
    );
    assert.equal(s.params.phase1.dhGroup, 19);
    assert.ok(s.log.includes('device: sending CREATE_CHILD_SA response 2 [ N(INVAL_KE) ]'), s.log.join('\n'));
    const noRetry = expectFailure(
      rekeyIkeSa(
        intentWith({
          ike: { dhGroups: [14, 19] },
          device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [19, 14] }] },
        }),
        current,
        { keRetries: 0 },
      ),
    );
    assert.equal(
      noRetry.reason,
      'phase 1 INVALID_KE_PAYLOAD: device requested DH group 19, gateway sent a KE payload for group 14 and does not retry',
    );
  });

  it('fails in phase 1 with NO_PROPOSAL_CHOSEN when the device no longer accepts the gateway’s IKE proposals', () => {
    const f = expectFailure(
      rekeyIkeSa(
        intentWith({ device: { ikeProposals: [{ encryption: ['aes128-gcm16'], integrity: ['sha2-384'], dhGroups: [20] }] } }),
        established(),
      ),
    );
    assert.equal(f.notify, 'NO_PROPOSAL_CHOSEN');
    assert.equal(f.phase, 1);
  });

  it('reauthenticates an IKEv1 ISAKMP SA (PSK checked again) and lets the new one adopt the quick-mode SA', () => {
    const v1: IntentChanges = { ike: { versions: ['v1'] }, device: { ikeVersions: ['v1'] } };
    const current = established(v1);
    const s = expectSuccess(
      rekeyIkeSa(
        intentWith({
          ...v1,
          device: { ikeVersions: ['v1'], espProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], pfsGroups: [14] }] },
        }),
        current,
      ),
    );
    assert.deepEqual(s.params, current.params);
    assert.equal(s.log[0], 'gateway: reauthenticating IKE_SA tun-1[1] (IKEv1 has no IKE_SA rekey)');
    assert.ok(s.log.includes('device: detected reauth of existing IKE_SA, adopting 1 children and 0 virtual IPs'));
    assert.ok(!s.log.some((l) => l.includes('QUICK_MODE')), 'no quick mode');
    const f = expectFailure(rekeyIkeSa(intentWith({ ...v1, device: { ikeVersions: ['v1'], psk: 'other horse' } }), current));
    assert.equal(f.reason, 'phase 1 AUTHENTICATION_FAILED: pre-shared key mismatch (gateway and device hold different keys)');
  });

  it('times out when the device no longer answers', () => {
    const o = rekeyIkeSa(intentWith({ device: { reachable: false } }), established());
    assert.equal(!o.ok && o.notify, 'TIMEOUT');
  });

  it('promotes the current group: proposals holding it first, and it first inside them', () => {
    const p = (dh: (14 | 19 | 20)[]) => ({ protocol: 'IKE' as const, encryption: ['aes256-cbc' as const], integrity: [], prf: [], dh });
    assert.deepEqual(
      promoteGroup([p([20]), p([14, 19])], 19).map((x) => x.dh),
      [[19, 14], [20]],
    );
  });
});
