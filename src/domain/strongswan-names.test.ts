import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DH_GROUPS, ENCRYPTION_ALGORITHMS } from './algorithms.ts';
import {
  type ProposalLists,
  STRONGSWAN_DH_GROUPS,
  strongswanEncryption,
  strongswanProposals,
  unsupportedByStrongswan,
} from './strongswan-names.ts';

describe('strongSwan names', () => {
  it('has a keyword for every domain DH group, matching the design table', () => {
    for (const g of DH_GROUPS) assert.ok(STRONGSWAN_DH_GROUPS[g], `group ${g}`);
    assert.deepEqual(
      [STRONGSWAN_DH_GROUPS[14], STRONGSWAN_DH_GROUPS[20], STRONGSWAN_DH_GROUPS[22], STRONGSWAN_DH_GROUPS[24]],
      ['modp2048', 'ecp384', 'modp1024s160', 'modp2048s256'],
    );
  });

  it('spells the ciphers the way swanctl.conf does and knows which it cannot do', () => {
    assert.deepEqual(ENCRYPTION_ALGORITHMS.map(strongswanEncryption), [
      'aes128',
      'aes192',
      'aes256',
      'aes128gcm16',
      'aes256gcm16',
      '3des',
      undefined,
    ]);
    assert.deepEqual(unsupportedByStrongswan({ encryption: ['aes128-cbc', 'sm4-cbc'], integrity: ['sm3', 'sha1'] }), ['sm4-cbc', 'sm3']);
  });

  it('builds ESP proposals without a DH group when PFS is off', () => {
    const lists: ProposalLists = { encryption: ['aes128-cbc', 'aes128-gcm16'], integrity: ['sha2-256'], groups: [] };
    assert.deepEqual(strongswanProposals(lists, 'v2', 'esp'), ['aes128-sha256', 'aes128gcm16']);
    assert.deepEqual(strongswanProposals(lists, 'v1', 'esp'), ['aes128-sha256', 'aes128gcm16']);
  });

  it('gives AEAD IKE proposals PRFs instead of integrity algorithms', () => {
    assert.deepEqual(
      strongswanProposals({ encryption: ['aes256-gcm16'], integrity: ['sha2-512', 'sha2-256'], groups: [21] }, 'v2', 'ike'),
      ['aes256gcm16-prfsha512-prfsha256-ecp521'],
    );
    assert.deepEqual(strongswanProposals({ encryption: ['aes256-gcm16'], integrity: ['sha2-512'], groups: [21] }, 'v1', 'ike'), []);
  });

  it("keeps the operator's order: AES-GCM listed first is proposed first, in IKEv2 and IKEv1", () => {
    const lists: ProposalLists = { encryption: ['aes256-gcm16', 'aes128-cbc'], integrity: ['sha2-256'], groups: [19] };
    assert.deepEqual(strongswanProposals(lists, 'v2', 'esp'), ['aes256gcm16-ecp256', 'aes128-sha256-ecp256']);
    assert.deepEqual(strongswanProposals(lists, 'v2', 'ike'), ['aes256gcm16-prfsha256-ecp256', 'aes128-sha256-ecp256']);
    assert.deepEqual(strongswanProposals(lists, 'v1', 'esp'), ['aes256gcm16-ecp256', 'aes128-sha256-ecp256']);
    assert.deepEqual(strongswanProposals({ ...lists, encryption: ['aes128-cbc', 'aes256-gcm16'] }, 'v2', 'esp'), [
      'aes128-sha256-ecp256',
      'aes256gcm16-ecp256',
    ]);
  });
});
