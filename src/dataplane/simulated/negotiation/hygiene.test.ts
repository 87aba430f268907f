import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NegotiatedParameters } from '../../../domain/entities.ts';
import { describeDrift, describeWeakChoices } from './hygiene.ts';
import { negotiate } from './negotiate.ts';
import { expectSuccess, type IntentChanges, intentWith } from './test-fixtures.ts';

const strong: NegotiatedParameters = {
  ikeVersion: 'v2',
  phase1: { encryption: 'aes256-cbc', integrity: 'sha2-256', prf: 'sha2-256', dhGroup: 14 },
  phase2: { encryption: 'aes256-cbc', integrity: 'sha2-256', dhGroup: 14 },
};

describe('describeWeakChoices', () => {
  const cases: { name: string; params: NegotiatedParameters; want: string[] }[] = [
    { name: 'has nothing to say about AES, SHA-2 and group 14', params: strong, want: [] },
    {
      name: 'flags 3DES, MD5 and a 1024-bit group in phase 1',
      params: { ...strong, phase1: { encryption: '3des-cbc', integrity: 'md5', prf: 'md5', dhGroup: 2 } },
      want: [
        'phase 1 encryption 3des-cbc is weak: 64-bit block cipher (Sweet32); prefer aes256-gcm16 or aes256-cbc',
        'phase 1 integrity md5 is weak: MD5 collisions are practical; prefer sha2-256 or stronger',
        'phase 1 DH group 2 is weak: 1024-bit MODP; prefer group 14, 19 or stronger',
      ],
    },
    {
      name: 'flags SHA-1 and PFS group 5 in phase 2',
      params: { ...strong, phase2: { encryption: 'aes128-cbc', integrity: 'sha1', dhGroup: 5 } },
      want: [
        'phase 2 integrity sha1 is weak: SHA-1 is deprecated; prefer sha2-256 or stronger',
        'phase 2 PFS group 5 is weak: 1536-bit MODP; prefer group 14, 19 or stronger',
      ],
    },
    {
      name: 'flags a weak PRF only when it differs from the integrity algorithm',
      params: { ...strong, phase1: { encryption: 'aes256-cbc', integrity: 'sha2-256', prf: 'sha1', dhGroup: 1 } },
      want: [
        'phase 1 PRF sha1 is weak: SHA-1 is deprecated; prefer sha2-256 or stronger',
        'phase 1 DH group 1 is weak: 768-bit MODP; prefer group 14, 19 or stronger',
      ],
    },
    {
      name: 'has nothing to say about an AEAD CHILD_SA without PFS',
      params: { ...strong, phase2: { encryption: 'aes256-gcm16' } },
      want: [],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(describeWeakChoices(c.params), c.want));
});

describe('describeDrift', () => {
  const drift = (changes: IntentChanges, initiator: 'gateway' | 'device' = 'gateway'): string[] => {
    const intent = intentWith(changes);
    return describeDrift(intent, expectSuccess(negotiate(intent, { initiator })).params);
  };

  const cases: { name: string; changes: IntentChanges; initiator?: 'gateway' | 'device'; want: string[] }[] = [
    { name: 'finds nothing when the first choices were negotiated', changes: {}, want: [] },
    {
      name: 'notes an IKE version other than the first preference',
      changes: { ike: { versions: ['v2', 'v1'] }, device: { ikeVersions: ['v1'] } },
      // An IKEv1-only device initiates; a gateway allowing both would itself start IKEv2.
      initiator: 'device',
      want: ['IKE version v1 negotiated instead of the first preference v2'],
    },
    {
      name: "notes non-first algorithms picked from the device's offer",
      changes: {
        ike: { encryption: ['aes256-cbc', 'aes128-cbc'], integrity: ['sha2-256', 'sha1'], dhGroups: [14, 19] },
        device: { ikeProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha1'], dhGroups: [19] }] },
      },
      initiator: 'device',
      want: [
        'phase 1 encryption aes128-cbc negotiated instead of the first choice aes256-cbc',
        'phase 1 integrity sha1 negotiated instead of the first choice sha2-256',
        'phase 1 DH group 19 negotiated instead of the first choice 14',
        // The device's CHILD_SA rode in IKE_AUTH: no PFS until its first rekey.
        'phase 2 negotiated without PFS although PFS group 14 is configured',
      ],
    },
    {
      name: 'notes a PFS group that fell back to a later choice',
      changes: {
        ipsec: { pfsGroups: [14, 19] },
        device: { espProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [19] }] },
      },
      want: ['PFS group 19 negotiated instead of the first choice 14'],
    },
    {
      name: 'notes non-first ESP algorithms',
      changes: {
        ipsec: { encryption: ['aes256-gcm16', 'aes256-cbc'], integrity: ['sha2-512', 'sha2-256'] },
        device: { espProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [14] }] },
      },
      want: [
        'phase 2 encryption aes256-cbc negotiated instead of the first choice aes256-gcm16',
        'phase 2 integrity sha2-256 negotiated instead of the first choice sha2-512',
      ],
    },
    {
      name: 'compares the PRF of an AEAD IKE SA with the first integrity choice',
      changes: {
        ike: { encryption: ['aes256-gcm16'], integrity: ['sha2-384', 'sha2-256'] },
        device: { ikeProposals: [{ encryption: ['aes256-gcm16'], integrity: ['sha2-256'], dhGroups: [14] }] },
      },
      want: ['phase 1 PRF sha2-256 negotiated instead of the first choice sha2-384'],
    },
    {
      name: 'notes selectors the device narrowed',
      changes: { device: { subnets: ['10.1.1.0/24'] } },
      want: ['traffic selectors narrowed to 10.0.0.0/16 === 10.1.1.0/24 (configured 10.0.0.0/16 === 10.1.0.0/16)'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(drift(c.changes, c.initiator), c.want));

  it('notes PFS that is missing or unexpected compared with the IPsec policy', () => {
    const intent = intentWith({});
    assert.deepEqual(describeDrift(intent, { ...strong, phase2: { encryption: 'aes256-cbc', integrity: 'sha2-256' } }), [
      'phase 2 negotiated without PFS although PFS group 14 is configured',
    ]);
    const noPfs = intentWith({ ipsec: { pfsGroups: [] } });
    assert.deepEqual(describeDrift(noPfs, strong), ['PFS group 14 negotiated although PFS is disabled']);
  });
});
