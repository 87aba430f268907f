import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DhGroup, Encryption, Integrity } from '../../../domain/algorithms.ts';
import {
  espProposals,
  espV1Suites,
  explainNoProposal,
  formatProposal,
  formatSelected,
  ikeProposals,
  ikeV1Suites,
  type Proposal,
  selectProposal,
  toNegotiated,
} from './proposals.ts';

const ike = (encryption: Encryption[], integrity: Integrity[], dhGroups: DhGroup[]): Proposal[] =>
  ikeProposals([{ encryption, integrity, dhGroups }]);
const esp = (encryption: Encryption[], integrity: Integrity[], pfsGroups: DhGroup[]): Proposal[] =>
  espProposals([{ encryption, integrity, pfsGroups }]);

describe('ikeProposals and espProposals', () => {
  const cases: { name: string; got: Proposal[]; want: Proposal[] }[] = [
    {
      name: 'turns classic lists into one IKE proposal whose PRFs follow the integrity list',
      got: ike(['aes256-cbc', 'aes128-cbc'], ['sha2-256', 'sha1'], [14, 19]),
      want: [
        {
          protocol: 'IKE',
          encryption: ['aes256-cbc', 'aes128-cbc'],
          integrity: ['sha2-256', 'sha1'],
          prf: ['sha2-256', 'sha1'],
          dh: [14, 19],
        },
      ],
    },
    {
      name: 'gives an AEAD-only IKE proposal no integrity transform but the integrity list as PRFs',
      got: ike(['aes256-gcm16'], ['sha2-384'], [20]),
      want: [{ protocol: 'IKE', encryption: ['aes256-gcm16'], integrity: [], prf: ['sha2-384'], dh: [20] }],
    },
    {
      name: 'splits mixed ciphers into an AEAD and a classic proposal, the first-listed kind first',
      got: ike(['aes256-gcm16', 'aes256-cbc', 'aes128-gcm16'], ['sha2-256'], [14]),
      want: [
        { protocol: 'IKE', encryption: ['aes256-gcm16', 'aes128-gcm16'], integrity: [], prf: ['sha2-256'], dh: [14] },
        { protocol: 'IKE', encryption: ['aes256-cbc'], integrity: ['sha2-256'], prf: ['sha2-256'], dh: [14] },
      ],
    },
    {
      name: 'puts the classic half first when a classic cipher is listed first',
      got: ike(['aes128-cbc', 'aes128-gcm16'], ['sha1'], [2]),
      want: [
        { protocol: 'IKE', encryption: ['aes128-cbc'], integrity: ['sha1'], prf: ['sha1'], dh: [2] },
        { protocol: 'IKE', encryption: ['aes128-gcm16'], integrity: [], prf: ['sha1'], dh: [2] },
      ],
    },
    {
      name: 'marks an ESP proposal without PFS groups with DH NONE',
      got: esp(['aes128-cbc'], ['sha1'], []),
      want: [{ protocol: 'ESP', encryption: ['aes128-cbc'], integrity: ['sha1'], prf: [], dh: [0] }],
    },
    {
      name: 'gives an AEAD ESP proposal no integrity and keeps its PFS groups',
      got: esp(['aes256-gcm16'], ['sha2-256'], [19, 14]),
      want: [{ protocol: 'ESP', encryption: ['aes256-gcm16'], integrity: [], prf: [], dh: [19, 14] }],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(c.got, c.want));
});

describe('selectProposal', () => {
  const cases: { name: string; offered: Proposal[]; accepted: Proposal[]; want: string | null }[] = [
    {
      name: "takes the initiator's first acceptable proposal even when the responder lists another first",
      offered: [...ike(['aes128-cbc'], ['sha1'], [14]), ...ike(['aes256-cbc'], ['sha2-256'], [14])],
      accepted: [...ike(['aes256-cbc'], ['sha2-256'], [14]), ...ike(['aes128-cbc'], ['sha1'], [14])],
      want: 'IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048',
    },
    {
      name: "prefers the initiator's cipher order over the order of the responder's own proposals",
      offered: ike(['aes256-cbc', 'aes128-cbc'], ['sha2-256'], [14]),
      accepted: [...ike(['aes128-cbc'], ['sha2-256'], [14]), ...ike(['aes256-cbc'], ['sha2-256'], [14])],
      want: 'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
    },
    {
      name: 'skips offered proposals the responder cannot accept',
      offered: [...ike(['3des-cbc'], ['md5'], [2]), ...ike(['aes256-cbc'], ['sha2-256'], [14])],
      accepted: ike(['aes256-cbc', '3des-cbc'], ['sha2-256'], [14]),
      want: 'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
    },
    {
      name: "picks each transform in the initiator's order within the chosen proposal",
      offered: ike(['aes128-cbc', 'aes256-cbc'], ['sha1', 'sha2-256'], [19, 14]),
      accepted: ike(['aes256-cbc', 'aes128-cbc'], ['sha2-256', 'sha1'], [14, 19]),
      want: 'IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/ECP_256',
    },
    {
      name: 'skips offered transforms the responder lacks',
      offered: ike(['3des-cbc', 'aes192-cbc'], ['md5', 'sha2-512'], [1, 21]),
      accepted: ike(['aes192-cbc'], ['sha2-512'], [21]),
      want: 'IKE:AES_CBC_192/HMAC_SHA2_512_256/PRF_HMAC_SHA2_512/ECP_521',
    },
    {
      name: 'matches AEAD proposals on cipher, PRF and group without an integrity transform',
      offered: ike(['aes256-gcm16', 'aes256-cbc'], ['sha2-256'], [14]),
      accepted: ike(['aes256-gcm16'], ['sha2-256'], [14]),
      want: 'IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/MODP_2048',
    },
    {
      name: 'falls back to the classic half when the responder has no AEAD cipher',
      offered: ike(['aes256-gcm16', 'aes256-cbc'], ['sha2-256'], [14]),
      accepted: ike(['aes256-cbc'], ['sha2-256'], [14]),
      want: 'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
    },
    {
      name: 'selects an ESP proposal without PFS when both sides go without',
      offered: esp(['aes128-cbc'], ['sha2-256'], []),
      accepted: esp(['aes128-cbc'], ['sha2-256'], []),
      want: 'ESP:AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ',
    },
    {
      name: 'refuses an ESP proposal without PFS when the responder requires it',
      offered: esp(['aes128-cbc'], ['sha2-256'], []),
      accepted: esp(['aes128-cbc'], ['sha2-256'], [14]),
      want: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const selected = selectProposal(c.offered, c.accepted);
      assert.equal(selected && formatSelected(selected), c.want);
    });
  }

  it("picks by the responder's own order when it prefers its configuration, as charon does", () => {
    const offered = [...ike(['aes128-cbc', 'aes256-cbc'], ['sha2-256', 'sha2-384'], [14, 19])];
    const accepted = [...ike(['aes256-cbc', 'aes128-cbc'], ['sha2-384', 'sha2-256'], [19, 14])];
    assert.equal(
      formatSelected(selectProposal(offered, accepted, 'responder')!),
      'IKE:AES_CBC_256/HMAC_SHA2_384_192/PRF_HMAC_SHA2_384/ECP_256',
    );
    assert.equal(
      formatSelected(selectProposal(offered, accepted, 'initiator')!),
      'IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
    );
  });

  it("takes the responder's first configured proposal that matches any offered one", () => {
    const offered = [...esp(['aes128-cbc'], ['sha2-256'], []), ...esp(['aes256-gcm16'], [], [])];
    const accepted = [...esp(['aes256-gcm16', 'aes128-cbc'], ['sha2-256'], [])];
    assert.equal(formatSelected(selectProposal(offered, accepted, 'responder')!), 'ESP:AES_GCM_16_256/NO_EXT_SEQ');
  });
});

describe('explainNoProposal', () => {
  const cases: { name: string; offered: Proposal[]; accepted: Proposal[]; want: string }[] = [
    {
      name: 'names disjoint ciphers first',
      offered: ike(['aes256-cbc'], ['sha2-256'], [14]),
      accepted: ike(['aes128-cbc'], ['sha2-256'], [14]),
      want: 'no matching encryption algorithm (gateway offers aes256-cbc, device accepts aes128-cbc)',
    },
    {
      name: 'lists every alternative a side has',
      offered: ike(['aes256-cbc', 'aes192-cbc'], ['sha2-256'], [14]),
      accepted: ike(['3des-cbc', 'sm4-cbc'], ['sha2-256'], [14]),
      want: 'no matching encryption algorithm (gateway offers aes256-cbc or aes192-cbc, device accepts 3des-cbc or sm4-cbc)',
    },
    {
      name: 'names disjoint integrity algorithms',
      offered: ike(['aes256-cbc'], ['sha1'], [14]),
      accepted: ike(['aes256-cbc'], ['sha2-256', 'sha2-512'], [14]),
      want: 'no matching integrity algorithm (gateway offers sha1, device accepts sha2-256 or sha2-512)',
    },
    {
      name: 'names disjoint PRFs of AEAD proposals',
      offered: ike(['aes256-gcm16'], ['sha2-256'], [14]),
      accepted: ike(['aes256-gcm16'], ['sha2-384'], [14]),
      want: 'no matching PRF (gateway offers sha2-256, device accepts sha2-384)',
    },
    {
      name: 'names disjoint DH groups',
      offered: ike(['aes256-cbc'], ['sha2-256'], [14, 19]),
      accepted: ike(['aes256-cbc'], ['sha2-256'], [2]),
      want: 'no matching DH group (gateway offers group 14 or group 19, device accepts group 2)',
    },
    {
      name: 'calls it a PFS mismatch when the offer has no PFS and the responder requires it',
      offered: esp(['aes256-cbc'], ['sha2-256'], []),
      accepted: esp(['aes256-cbc'], ['sha2-256'], [14, 19]),
      want: 'PFS mismatch (gateway offers no PFS, device requires PFS group 14 or group 19)',
    },
    {
      name: 'calls it a PFS mismatch when the offer has PFS and the responder takes none',
      offered: esp(['aes256-cbc'], ['sha2-256'], [14]),
      accepted: esp(['aes256-cbc'], ['sha2-256'], []),
      want: 'PFS mismatch (gateway offers PFS group 14, device accepts no PFS)',
    },
    {
      name: 'names disjoint PFS groups',
      offered: esp(['aes256-cbc'], ['sha2-256'], [14]),
      accepted: esp(['aes256-cbc'], ['sha2-256'], [19, 20]),
      want: 'no matching PFS group (gateway offers group 14, device accepts group 19 or group 20)',
    },
    {
      name: 'shows both proposal lists when every transform type overlaps but no proposal fits whole',
      offered: [...ike(['aes128-cbc'], ['sha1'], [14]), ...ike(['aes256-cbc'], ['sha2-256'], [14])],
      accepted: ike(['aes256-cbc'], ['sha1'], [14]),
      want:
        'no proposal is acceptable as a whole (gateway offers IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048, ' +
        'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048; device accepts IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048)',
    },
    {
      name: 'says none when the responder has no proposals at all',
      offered: ike(['aes256-cbc'], ['sha2-256'], [14]),
      accepted: [],
      want: 'no matching encryption algorithm (gateway offers aes256-cbc, device accepts none)',
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(explainNoProposal(c.offered, c.accepted, 'gateway', 'device'), c.want));
});

describe('IKEv1 suites', () => {
  it('expands classic proposals cipher by cipher, then hash, then group, leaving AEAD out', () => {
    const suites = ikeV1Suites(ike(['aes256-cbc', 'aes128-cbc', 'aes256-gcm16'], ['sha2-256', 'sha1'], [14, 19]));
    assert.deepEqual(suites.map(formatProposal), [
      'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
      'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256',
      'IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048',
      'IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/ECP_256',
      'IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
      'IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256',
      'IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048',
      'IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/ECP_256',
    ]);
  });

  it('gives every quick-mode suite the one PFS group and drops proposals without it', () => {
    const proposals = [...esp(['aes256-gcm16', 'aes128-cbc'], ['sha2-256'], [19, 14]), ...esp(['3des-cbc'], ['md5'], [2])];
    assert.deepEqual(espV1Suites(proposals, 19).map(formatProposal), [
      'ESP:AES_GCM_16_256/ECP_256/NO_EXT_SEQ',
      'ESP:AES_CBC_128/HMAC_SHA2_256_128/ECP_256/NO_EXT_SEQ',
    ]);
  });
});

describe('toNegotiated', () => {
  it('reports the PRF as phase-1 integrity for an AEAD IKE SA and omits ESP integrity and PFS when absent', () => {
    const phase1 = selectProposal(ike(['aes256-gcm16'], ['sha2-384'], [20]), ike(['aes256-gcm16'], ['sha2-384'], [20]))!;
    const phase2 = selectProposal(esp(['aes128-gcm16'], [], []), esp(['aes128-gcm16'], [], []))!;
    assert.deepEqual(toNegotiated('v2', phase1, phase2), {
      ikeVersion: 'v2',
      phase1: { encryption: 'aes256-gcm16', integrity: 'sha2-384', prf: 'sha2-384', dhGroup: 20 },
      phase2: { encryption: 'aes128-gcm16' },
    });
  });
});
