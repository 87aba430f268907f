import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { negotiate } from './negotiate.ts';
import type { NegotiateOptions, Role } from './outcome.ts';
import { expectFailure, expectSuccess, type IntentChanges, intentWith } from './test-fixtures.ts';

const run = (changes: IntentChanges, initiator: Role = 'gateway', opts: Partial<NegotiateOptions> = {}) =>
  negotiate(intentWith(changes), { initiator, ...opts });

describe('IKEv2 INVALID_KE_PAYLOAD', () => {
  it('retries IKE_SA_INIT once with the group the responder asks for', () => {
    const o = expectSuccess(
      run({
        ike: { dhGroups: [19, 14] },
        device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [14] }] },
      }),
    );
    assert.equal(o.params.phase1.dhGroup, 14);
    assert.equal(o.log.filter((l) => l.startsWith('gateway: sending IKE_SA_INIT request 0')).length, 2);
    const i = o.log.indexOf('device: DH group ECP_256 unacceptable, requesting MODP_2048');
    assert.deepEqual(o.log.slice(i, i + 4), [
      'device: DH group ECP_256 unacceptable, requesting MODP_2048',
      'device: sending IKE_SA_INIT response 0 [ N(INVAL_KE) ]',
      "gateway: peer didn't accept DH group ECP_256, it requested MODP_2048",
      'gateway: sending IKE_SA_INIT request 0 [ SA KE(MODP_2048) No N(NATD_S_IP) N(NATD_D_IP) N(CHILDLESS_IKEV2_SUP) ]',
    ]);
  });

  it("answers INVALID_KE_PAYLOAD for the responder's preferred group even when the initiator's group was acceptable", () => {
    const o = expectSuccess(
      run({
        ike: { dhGroups: [14, 19] },
        device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [19, 14] }] },
      }),
    );
    assert.equal(o.params.phase1.dhGroup, 19);
    assert.ok(o.log.includes('device: DH group MODP_2048 unacceptable, requesting ECP_256'));
  });

  it("sends no INVALID_KE_PAYLOAD when the initiator's first group is acceptable to a device that prefers the offer's order", () => {
    const o = expectSuccess(
      run({
        ike: { dhGroups: [14, 19] },
        device: {
          proposalPreference: 'initiator',
          ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [19, 14] }],
        },
      }),
    );
    assert.equal(o.params.phase1.dhGroup, 14);
    assert.equal(
      o.log.some((l) => l.includes('INVAL_KE')),
      false,
    );
  });

  it('asks for the group of a later proposal when that proposal is the first acceptable one', () => {
    const o = expectSuccess(
      run(
        {
          device: {
            ikeProposals: [
              { encryption: ['aes128-cbc'], integrity: ['sha2-256'], dhGroups: [14] },
              { encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [19] },
            ],
          },
          ike: { dhGroups: [19, 14] },
        },
        'device',
      ),
    );
    assert.deepEqual(o.params.phase1, { encryption: 'aes256-cbc', integrity: 'sha2-256', prf: 'sha2-256', dhGroup: 19 });
    assert.ok(o.log.includes('gateway: DH group MODP_2048 unacceptable, requesting ECP_256'));
  });

  it('retries CREATE_CHILD_SA with the PFS group the responder asks for', () => {
    const o = expectSuccess(
      run({
        ipsec: { pfsGroups: [14, 19] },
        device: { espProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [19] }] },
      }),
    );
    assert.equal(o.params.phase2.dhGroup, 19);
    assert.ok(o.log.includes('device: sending CREATE_CHILD_SA response 2 [ N(INVAL_KE) ]'));
    assert.ok(o.log.includes('gateway: sending CREATE_CHILD_SA request 2 [ SA No KE(ECP_256) TSi TSr ]'));
  });

  it('asks for a KE at a CHILD_SA rekey when the initiator sent none but the responder requires PFS from a later proposal', () => {
    const o = expectSuccess(
      run(
        {
          device: {
            espProposals: [
              { encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [] },
              { encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [14] },
            ],
          },
        },
        'device',
        { childRekey: true },
      ),
    );
    assert.equal(o.params.phase2.dhGroup, 14);
    assert.ok(o.log.includes('gateway: DH group NONE unacceptable, requesting MODP_2048'));
  });

  const terminal: { name: string; changes: IntentChanges; phase: 1 | 2; reason: string }[] = [
    {
      name: 'fails with INVALID_KE_PAYLOAD in phase 1 when the initiator does not retry',
      changes: {
        ike: { dhGroups: [19, 14] },
        device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [14] }] },
      },
      phase: 1,
      reason: 'phase 1 INVALID_KE_PAYLOAD: device requested DH group 14, gateway sent a KE payload for group 19 and does not retry',
    },
    {
      name: 'fails with INVALID_KE_PAYLOAD in phase 2 when the initiator does not retry',
      changes: {
        ipsec: { pfsGroups: [14, 19] },
        device: { espProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [19] }] },
      },
      phase: 2,
      reason: 'phase 2 INVALID_KE_PAYLOAD: device requested DH group 19, gateway sent a KE payload for group 14 and does not retry',
    },
  ];
  for (const c of terminal) {
    it(c.name, () => {
      const f = expectFailure(run(c.changes, 'gateway', { keRetries: 0 }));
      assert.deepEqual([f.notify, f.phase, f.reason], ['INVALID_KE_PAYLOAD', c.phase, c.reason]);
    });
  }
});
