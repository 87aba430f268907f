import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NegotiatedParameters } from '../../../domain/entities.ts';
import { negotiate } from './negotiate.ts';
import type { FailureNotify, Role } from './outcome.ts';
import { expectFailure, expectSuccess, type IntentChanges, intentWith } from './test-fixtures.ts';

/** Both peers allow IKEv1 only; the changes apply on top. */
const v1 = (changes: IntentChanges, initiator: Role = 'gateway') =>
  negotiate(intentWith({ ...changes, ike: { versions: ['v1'], ...changes.ike }, device: { ikeVersions: ['v1'], ...changes.device } }), {
    initiator,
  });

const base: NegotiatedParameters = {
  ikeVersion: 'v1',
  phase1: { encryption: 'aes256-cbc', integrity: 'sha2-256', prf: 'sha2-256', dhGroup: 14 },
  phase2: { encryption: 'aes256-cbc', integrity: 'sha2-256', dhGroup: 14 },
};

describe('IKEv1 selection', () => {
  const cases: { name: string; changes: IntentChanges; initiator: Role; want: NegotiatedParameters }[] = [
    { name: 'establishes a Main Mode SA and a quick-mode CHILD_SA', changes: {}, initiator: 'gateway', want: base },
    {
      name: 'establishes an Aggressive Mode SA when both sides use it',
      changes: { ike: { phase1Mode: 'aggressive' }, device: { phase1Mode: 'aggressive' } },
      initiator: 'device',
      want: base,
    },
    {
      name: "lets a device profile without a phase-1 mode follow the gateway's",
      changes: { ike: { phase1Mode: 'aggressive' }, device: { phase1Mode: undefined } },
      initiator: 'gateway',
      want: base,
    },
    {
      name: "takes the responding device's first suite that the gateway offers when the gateway initiates",
      changes: {
        ike: { encryption: ['aes128-cbc', 'aes256-cbc'], integrity: ['sha1', 'sha2-256'] },
        device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256', 'sha1'], dhGroups: [14] }] },
      },
      initiator: 'gateway',
      want: base,
    },
    {
      name: "takes the responding gateway's first suite that the device offers when the device initiates",
      changes: {
        ike: { encryption: ['aes128-cbc', 'aes256-cbc'], integrity: ['sha1', 'sha2-256'] },
        device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256', 'sha1'], dhGroups: [14] }] },
      },
      initiator: 'device',
      want: { ...base, phase1: { encryption: 'aes256-cbc', integrity: 'sha1', prf: 'sha1', dhGroup: 14 } },
    },
    {
      name: 'agrees on a later DH group in Main Mode without any retry',
      changes: {
        ike: { dhGroups: [14, 19] },
        device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [19] }] },
      },
      initiator: 'gateway',
      want: { ...base, phase1: { ...base.phase1, dhGroup: 19 } },
    },
    {
      name: 'skips AEAD ciphers for phase 1 but uses them in quick mode',
      changes: {
        ike: { encryption: ['aes256-gcm16', 'aes256-cbc'] },
        ipsec: { encryption: ['aes256-gcm16'] },
        device: {
          ikeProposals: [{ encryption: ['aes256-gcm16', 'aes256-cbc'], integrity: ['sha2-256'], dhGroups: [14] }],
          espProposals: [{ encryption: ['aes256-gcm16'], integrity: [], pfsGroups: [14] }],
        },
      },
      initiator: 'gateway',
      want: { ...base, phase2: { encryption: 'aes256-gcm16', dhGroup: 14 } },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(expectSuccess(v1(c.changes, c.initiator)).params, c.want));

  it('accepts a narrower device proposal in quick mode when the device initiates', () => {
    const o = expectSuccess(v1({ device: { subnets: ['10.1.1.0/24'] } }, 'device'));
    assert.deepEqual([o.selectors, o.narrowed], [{ local: ['10.0.0.0/16'], remote: ['10.1.1.0/24'] }, true]);
  });
});

describe('IKEv1 failures', () => {
  const cases: { name: string; changes: IntentChanges; initiator?: Role; notify: FailureNotify; phase: 1 | 2; reason: string }[] = [
    {
      name: 'refuses Aggressive Mode on a gateway configured for Main Mode',
      changes: { device: { phase1Mode: 'aggressive' } },
      initiator: 'device',
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 1,
      reason: 'phase 1 NO_PROPOSAL_CHOSEN: phase-1 mode mismatch (device initiates aggressive mode, gateway is configured for main mode)',
    },
    {
      name: 'refuses Main Mode on a device configured for Aggressive Mode',
      changes: { device: { phase1Mode: 'aggressive' } },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 1,
      reason: 'phase 1 NO_PROPOSAL_CHOSEN: phase-1 mode mismatch (gateway initiates main mode, device is configured for aggressive mode)',
    },
    {
      name: 'refuses Aggressive Mode on a device configured for Main Mode',
      changes: { ike: { phase1Mode: 'aggressive' }, device: { phase1Mode: 'main' } },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 1,
      reason: 'phase 1 NO_PROPOSAL_CHOSEN: phase-1 mode mismatch (gateway initiates aggressive mode, device is configured for main mode)',
    },
    {
      name: 'offers only the first DH group in Aggressive Mode',
      changes: {
        ike: { phase1Mode: 'aggressive', dhGroups: [14, 19] },
        device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [19] }] },
      },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 1,
      reason: 'phase 1 NO_PROPOSAL_CHOSEN: no matching DH group (gateway offers group 14, device accepts group 19)',
    },
    {
      name: 'refuses to offer an AEAD-only phase 1',
      changes: { ike: { encryption: ['aes256-gcm16'] } },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 1,
      reason: 'phase 1 NO_PROPOSAL_CHOSEN: IKEv1 cannot use AEAD ciphers for phase 1 (gateway offers only aes256-gcm16)',
    },
    {
      name: 'refuses a phase 1 when the responder only has AEAD ciphers',
      changes: { device: { ikeProposals: [{ encryption: ['aes128-gcm16'], integrity: ['sha2-256'], dhGroups: [14] }] } },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 1,
      reason: 'phase 1 NO_PROPOSAL_CHOSEN: IKEv1 cannot use AEAD ciphers for phase 1 (device accepts only aes128-gcm16)',
    },
    {
      name: 'refuses phase 1 when no suite matches',
      changes: { device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['md5'], dhGroups: [14] }] } },
      initiator: 'device',
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 1,
      reason: 'phase 1 NO_PROPOSAL_CHOSEN: no matching integrity algorithm (device offers md5, gateway accepts sha2-256)',
    },
    {
      name: 'offers only the first PFS group in quick mode, so a later common group does not help',
      changes: {
        ipsec: { pfsGroups: [14, 19] },
        device: { espProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [19] }] },
      },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 2,
      reason: 'phase 2 NO_PROPOSAL_CHOSEN: no matching PFS group (gateway offers group 14, device accepts group 19)',
    },
    {
      name: 'refuses quick mode when the device requires PFS and the gateway has none',
      changes: { ipsec: { pfsGroups: [] } },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 2,
      reason: 'phase 2 NO_PROPOSAL_CHOSEN: PFS mismatch (gateway offers no PFS, device requires PFS group 14)',
    },
    {
      name: 'refuses disjoint quick mode selectors',
      changes: { device: { subnets: ['192.168.5.0/24'] } },
      notify: 'TS_UNACCEPTABLE',
      phase: 2,
      reason: 'phase 2 TS_UNACCEPTABLE: device local subnets 192.168.5.0/24 do not overlap gateway remote subnets 10.1.0.0/16',
    },
    {
      name: 'fails Main Mode authentication when the pre-shared keys differ',
      changes: { device: { psk: 'wrong horse' } },
      notify: 'AUTHENTICATION_FAILED',
      phase: 1,
      reason: 'phase 1 AUTHENTICATION_FAILED: pre-shared key mismatch (gateway and device hold different keys)',
    },
    {
      name: 'fails Aggressive Mode authentication when the pre-shared keys differ',
      changes: { ike: { phase1Mode: 'aggressive' }, device: { psk: 'wrong horse' } },
      initiator: 'device',
      notify: 'AUTHENTICATION_FAILED',
      phase: 1,
      reason: 'phase 1 AUTHENTICATION_FAILED: pre-shared key mismatch (gateway and device hold different keys)',
    },
    {
      name: 'fails Main Mode authentication when the device presents an unexpected id',
      changes: { device: { idValue: 'cpe.example.com' } },
      notify: 'AUTHENTICATION_FAILED',
      phase: 1,
      reason: 'phase 1 AUTHENTICATION_FAILED: identity mismatch (gateway expects peer id 203.0.113.9, device presents cpe.example.com)',
    },
    {
      name: 'fails Aggressive Mode authentication when the device expects another gateway id',
      changes: { ike: { phase1Mode: 'aggressive' }, device: { gatewayId: 'vpn.example.com' } },
      notify: 'AUTHENTICATION_FAILED',
      phase: 1,
      reason: 'phase 1 AUTHENTICATION_FAILED: identity mismatch (device expects peer id vpn.example.com, gateway presents 192.0.2.1)',
    },
    {
      name: 'finds a wrong key before a wrong id in Main Mode, whose id payloads are encrypted with it',
      changes: { device: { idValue: 'cpe.example.com', psk: 'wrong horse' } },
      initiator: 'device',
      notify: 'AUTHENTICATION_FAILED',
      phase: 1,
      reason: 'phase 1 AUTHENTICATION_FAILED: pre-shared key mismatch (gateway and device hold different keys)',
    },
    {
      name: 'finds a wrong id before a wrong key in Aggressive Mode, whose first message carries the id',
      changes: { ike: { phase1Mode: 'aggressive' }, device: { idValue: 'cpe.example.com', psk: 'wrong horse' } },
      initiator: 'device',
      notify: 'AUTHENTICATION_FAILED',
      phase: 1,
      reason: 'phase 1 AUTHENTICATION_FAILED: identity mismatch (gateway expects peer id 203.0.113.9, device presents cpe.example.com)',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const f = expectFailure(v1(c.changes, c.initiator ?? 'gateway'));
      assert.deepEqual([f.notify, f.phase, f.reason], [c.notify, c.phase, c.reason]);
    });
  }

  it('logs the mode mismatch as a refused first message', () => {
    const f = expectFailure(v1({ device: { phase1Mode: 'aggressive' } }, 'device'));
    assert.deepEqual(f.log, [
      'device: using IKEv1 (device allows v1, gateway allows v1)',
      'device: initiating Aggressive Mode IKE_SA tun-1[1] to 192.0.2.1',
      'device: sending AGGRESSIVE request 0 [ SA KE No ID V V V ]',
      'gateway: received AGGRESSIVE request 0 [ SA KE No ID V V V ]',
      'gateway: Aggressive Mode request refused, the peer config uses Main Mode',
      'gateway: sending INFORMATIONAL_V1 request [ N(NO_PROP) ]',
      'device: received NO_PROPOSAL_CHOSEN error notify',
    ]);
  });

  it('has the initiator detect a wrong key in Aggressive Mode', () => {
    const f = expectFailure(v1({ ike: { phase1Mode: 'aggressive' }, device: { psk: 'wrong horse' } }, 'device'));
    assert.deepEqual(f.log.slice(-3), [
      'device: calculated HASH does not match HASH payload',
      'device: sending INFORMATIONAL_V1 request [ N(AUTH_FAILED) ]',
      'gateway: received AUTHENTICATION_FAILED error notify',
    ]);
  });

  it('reports refused quick-mode selectors as INVALID_ID_INFORMATION on the wire', () => {
    const f = expectFailure(v1({ device: { subnets: ['192.168.5.0/24'] } }));
    assert.deepEqual(f.log.slice(-3), [
      'device: no matching CHILD_SA config found for 10.1.0.0/16 === 10.0.0.0/16',
      'device: sending INFORMATIONAL_V1 request [ HASH N(INVAL_ID) ]',
      'gateway: received INVALID_ID_INFORMATION error notify',
    ]);
  });

  it('narrows quick-mode selectors as charon does instead of refusing them', () => {
    const o = expectSuccess(v1({ device: { subnets: ['10.1.1.0/24'] } }));
    assert.deepEqual([o.selectors, o.narrowed], [{ local: ['10.0.0.0/16'], remote: ['10.1.1.0/24'] }, true]);
  });

  it("offers quick-mode PFS with the IKE SA's group when the ESP proposals allow it, not the first PFS group", () => {
    const o = expectSuccess(
      v1({
        ike: { dhGroups: [19] },
        ipsec: { pfsGroups: [14, 19] },
        device: {
          ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [19] }],
          espProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [19, 14] }],
        },
      }),
    );
    assert.deepEqual([o.params.phase1.dhGroup, o.params.phase2.dhGroup], [19, 19]);
  });
});
