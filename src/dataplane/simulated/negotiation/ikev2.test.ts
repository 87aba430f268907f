import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NegotiatedParameters } from '../../../domain/entities.ts';
import { negotiate } from './negotiate.ts';
import type { FailureNotify, NegotiateOptions, Role } from './outcome.ts';
import { expectFailure, expectSuccess, type IntentChanges, intentWith } from './test-fixtures.ts';

const run = (changes: IntentChanges, initiator: Role = 'gateway', opts: Partial<NegotiateOptions> = {}) =>
  negotiate(intentWith(changes), { initiator, ...opts });

const aes256sha256g14: NegotiatedParameters = {
  ikeVersion: 'v2',
  phase1: { encryption: 'aes256-cbc', integrity: 'sha2-256', prf: 'sha2-256', dhGroup: 14 },
  phase2: { encryption: 'aes256-cbc', integrity: 'sha2-256', dhGroup: 14 },
};

describe('IKEv2 proposal selection', () => {
  const cases: { name: string; changes: IntentChanges; initiator: Role; want: NegotiatedParameters }[] = [
    { name: 'establishes both SAs when gateway and device match', changes: {}, initiator: 'gateway', want: aes256sha256g14 },
    {
      name: 'establishes both SAs when the device initiates, the CHILD_SA inside IKE_AUTH without a PFS group',
      changes: {},
      initiator: 'device',
      want: { ...aes256sha256g14, phase2: { encryption: 'aes256-cbc', integrity: 'sha2-256' } },
    },
    {
      name: "takes the gateway's own first choice when the device initiates: the responder's configured order decides",
      changes: {
        ike: { encryption: ['aes256-cbc', 'aes128-cbc'] },
        device: {
          ikeProposals: [
            { encryption: ['3des-cbc'], integrity: ['md5'], dhGroups: [2] },
            { encryption: ['aes128-cbc'], integrity: ['sha2-256'], dhGroups: [14] },
            { encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [14] },
          ],
        },
      },
      initiator: 'device',
      // The gateway's one configured proposal holds both ciphers; charon matches it against each
      // offered proposal in turn, so the first offered one it accepts (aes128) wins.
      want: {
        ikeVersion: 'v2',
        phase1: { ...aes256sha256g14.phase1, encryption: 'aes128-cbc' },
        phase2: { encryption: 'aes256-cbc', integrity: 'sha2-256' },
      },
    },
    {
      name: "takes the device's first acceptable proposal when the device initiates and the gateway were to prefer the offer's order",
      changes: {
        ike: { encryption: ['aes256-cbc', 'aes128-cbc'] },
        device: {
          ikeProposals: [
            { encryption: ['aes128-cbc'], integrity: ['sha2-256'], dhGroups: [14] },
            { encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [14] },
          ],
          proposalPreference: 'initiator',
        },
      },
      initiator: 'gateway',
      want: aes256sha256g14,
    },
    {
      name: "takes the device's first acceptable cipher when the gateway initiates: the responding device's order decides",
      changes: {
        ike: { encryption: ['aes256-cbc', 'aes128-cbc'] },
        device: {
          ikeProposals: [
            { encryption: ['aes128-cbc'], integrity: ['sha2-256'], dhGroups: [14] },
            { encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [14] },
          ],
        },
      },
      initiator: 'gateway',
      want: { ...aes256sha256g14, phase1: { ...aes256sha256g14.phase1, encryption: 'aes128-cbc' } },
    },
    {
      name: "orders transforms within the chosen proposal by the responder's list",
      changes: {
        ike: { integrity: ['sha2-512', 'sha2-256'] },
        ipsec: { encryption: ['aes128-cbc', 'aes256-cbc'] },
        device: {
          ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256', 'sha2-512'], dhGroups: [14] }],
          espProposals: [{ encryption: ['aes256-cbc', 'aes128-cbc'], integrity: ['sha2-256'], pfsGroups: [14] }],
        },
      },
      initiator: 'gateway',
      want: aes256sha256g14,
    },
    {
      name: "orders transforms by the initiator's list when the responding device's profile prefers the offer",
      changes: {
        ike: { integrity: ['sha2-512', 'sha2-256'] },
        ipsec: { encryption: ['aes128-cbc', 'aes256-cbc'] },
        device: {
          ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256', 'sha2-512'], dhGroups: [14] }],
          espProposals: [{ encryption: ['aes256-cbc', 'aes128-cbc'], integrity: ['sha2-256'], pfsGroups: [14] }],
          proposalPreference: 'initiator',
        },
      },
      initiator: 'gateway',
      want: {
        ikeVersion: 'v2',
        phase1: { encryption: 'aes256-cbc', integrity: 'sha2-512', prf: 'sha2-512', dhGroup: 14 },
        phase2: { encryption: 'aes128-cbc', integrity: 'sha2-256', dhGroup: 14 },
      },
    },
    {
      name: 'reports an AEAD IKE SA with its PRF as integrity and an AEAD CHILD_SA without integrity',
      changes: {
        ike: { encryption: ['aes256-gcm16'], integrity: ['sha2-384'], dhGroups: [20] },
        ipsec: { encryption: ['aes256-gcm16'], integrity: ['sha2-256'], pfsGroups: [20] },
        device: {
          ikeProposals: [{ encryption: ['aes256-gcm16'], integrity: ['sha2-384'], dhGroups: [20] }],
          espProposals: [{ encryption: ['aes256-gcm16'], integrity: [], pfsGroups: [20] }],
        },
      },
      initiator: 'gateway',
      want: {
        ikeVersion: 'v2',
        phase1: { encryption: 'aes256-gcm16', integrity: 'sha2-384', prf: 'sha2-384', dhGroup: 20 },
        phase2: { encryption: 'aes256-gcm16', dhGroup: 20 },
      },
    },
    {
      name: 'prefers the AEAD half of a mixed gateway policy when AEAD is listed first and the gateway responds',
      changes: {
        ipsec: { encryption: ['aes128-gcm16', 'aes128-cbc'] },
        device: { espProposals: [{ encryption: ['aes128-cbc', 'aes128-gcm16'], integrity: ['sha2-256'], pfsGroups: [14] }] },
      },
      initiator: 'device',
      want: { ...aes256sha256g14, phase2: { encryption: 'aes128-gcm16' } },
    },
    {
      name: 'takes the CBC half when the responding device lists CBC first, though the gateway lists AEAD first',
      changes: {
        ipsec: { encryption: ['aes128-gcm16', 'aes128-cbc'] },
        device: { espProposals: [{ encryption: ['aes128-cbc', 'aes128-gcm16'], integrity: ['sha2-256'], pfsGroups: [14] }] },
      },
      initiator: 'gateway',
      want: { ...aes256sha256g14, phase2: { encryption: 'aes128-cbc', integrity: 'sha2-256', dhGroup: 14 } },
    },
    {
      name: 'negotiates a CHILD_SA without PFS when neither side wants it',
      changes: {
        ipsec: { pfsGroups: [] },
        device: { espProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [] }] },
      },
      initiator: 'gateway',
      want: { ...aes256sha256g14, phase2: { encryption: 'aes256-cbc', integrity: 'sha2-256' } },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(expectSuccess(run(c.changes, c.initiator)).params, c.want));
});

describe('IKEv2 failures', () => {
  const cases: {
    name: string;
    changes: IntentChanges;
    initiator?: Role;
    childRekey?: boolean;
    notify: FailureNotify;
    phase: 1 | 2;
    reason: string;
  }[] = [
    {
      name: 'refuses phase 1 when no cipher matches',
      changes: { device: { ikeProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], dhGroups: [14] }] } },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 1,
      reason: 'phase 1 NO_PROPOSAL_CHOSEN: no matching encryption algorithm (gateway offers aes256-cbc, device accepts aes128-cbc)',
    },
    {
      name: 'names the device as the offerer when it initiates',
      changes: { device: { ikeProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], dhGroups: [14] }] } },
      initiator: 'device',
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 1,
      reason: 'phase 1 NO_PROPOSAL_CHOSEN: no matching encryption algorithm (device offers aes128-cbc, gateway accepts aes256-cbc)',
    },
    {
      name: 'refuses phase 1 when no integrity algorithm matches',
      changes: { device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha1'], dhGroups: [14] }] } },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 1,
      reason: 'phase 1 NO_PROPOSAL_CHOSEN: no matching integrity algorithm (gateway offers sha2-256, device accepts sha1)',
    },
    {
      name: 'refuses phase 1 when no DH group matches, without an INVALID_KE_PAYLOAD round trip',
      changes: {
        ike: { dhGroups: [14, 19] },
        device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [2, 5] }] },
      },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 1,
      reason: 'phase 1 NO_PROPOSAL_CHOSEN: no matching DH group (gateway offers group 14 or group 19, device accepts group 2 or group 5)',
    },
    {
      name: 'refuses an AEAD phase 1 whose PRFs differ',
      changes: {
        ike: { encryption: ['aes256-gcm16'], integrity: ['sha2-256'] },
        device: { ikeProposals: [{ encryption: ['aes256-gcm16'], integrity: ['sha2-512'], dhGroups: [14] }] },
      },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 1,
      reason: 'phase 1 NO_PROPOSAL_CHOSEN: no matching PRF (gateway offers sha2-256, device accepts sha2-512)',
    },
    {
      name: 'refuses at the first CHILD_SA rekey when the gateway requires PFS and the device offers none',
      changes: { device: { espProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [] }] } },
      initiator: 'device',
      childRekey: true,
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 2,
      reason: 'phase 2 NO_PROPOSAL_CHOSEN: PFS mismatch (device offers no PFS, gateway requires PFS group 14)',
    },
    {
      name: 'refuses phase 2 when the gateway offers PFS and the device takes none',
      changes: { device: { espProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [] }] } },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 2,
      reason: 'phase 2 NO_PROPOSAL_CHOSEN: PFS mismatch (gateway offers PFS group 14, device accepts no PFS)',
    },
    {
      name: 'refuses phase 2 when the PFS groups are disjoint',
      changes: {
        ipsec: { pfsGroups: [14, 15] },
        device: { espProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [19] }] },
      },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 2,
      reason: 'phase 2 NO_PROPOSAL_CHOSEN: no matching PFS group (gateway offers group 14 or group 15, device accepts group 19)',
    },
    {
      name: 'refuses phase 2 when no ESP cipher matches',
      changes: { device: { espProposals: [{ encryption: ['aes128-gcm16'], integrity: [], pfsGroups: [14] }] } },
      notify: 'NO_PROPOSAL_CHOSEN',
      phase: 2,
      reason: 'phase 2 NO_PROPOSAL_CHOSEN: no matching encryption algorithm (gateway offers aes256-cbc, device accepts aes128-gcm16)',
    },
    {
      name: 'refuses disjoint traffic selectors with TS_UNACCEPTABLE',
      changes: { device: { subnets: ['192.168.0.0/24'] } },
      notify: 'TS_UNACCEPTABLE',
      phase: 2,
      reason: 'phase 2 TS_UNACCEPTABLE: device local subnets 192.168.0.0/24 do not overlap gateway remote subnets 10.1.0.0/16',
    },
    {
      name: 'checks traffic selectors before the ESP proposals',
      changes: { device: { subnets: ['192.168.0.0/24'], espProposals: [{ encryption: ['3des-cbc'], integrity: ['md5'], pfsGroups: [] }] } },
      initiator: 'device',
      notify: 'TS_UNACCEPTABLE',
      phase: 2,
      reason: 'phase 2 TS_UNACCEPTABLE: device local subnets 192.168.0.0/24 do not overlap gateway remote subnets 10.1.0.0/16',
    },
    {
      name: 'fails authentication when the pre-shared keys differ',
      changes: { device: { psk: 'wrong horse' } },
      notify: 'AUTHENTICATION_FAILED',
      phase: 1,
      reason: 'phase 1 AUTHENTICATION_FAILED: pre-shared key mismatch (gateway and device hold different keys)',
    },
    {
      name: "fails authentication when the device's id is not the peer id the gateway expects",
      changes: { device: { idValue: 'cpe.example.com' } },
      initiator: 'device',
      notify: 'AUTHENTICATION_FAILED',
      phase: 1,
      reason: 'phase 1 AUTHENTICATION_FAILED: identity mismatch (gateway expects peer id 203.0.113.9, device presents cpe.example.com)',
    },
    {
      name: 'fails authentication when the device expects another gateway id',
      changes: { device: { gatewayId: 'vpn.example.com' } },
      notify: 'AUTHENTICATION_FAILED',
      phase: 1,
      reason: 'phase 1 AUTHENTICATION_FAILED: identity mismatch (device expects peer id vpn.example.com, gateway presents 192.0.2.1)',
    },
    {
      name: 'reports the identity before the key when both are wrong',
      changes: { device: { idValue: '198.51.100.1', psk: 'wrong horse' } },
      notify: 'AUTHENTICATION_FAILED',
      phase: 1,
      reason: 'phase 1 AUTHENTICATION_FAILED: identity mismatch (gateway expects peer id 203.0.113.9, device presents 198.51.100.1)',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const f = expectFailure(run(c.changes, c.initiator ?? 'gateway', { childRekey: c.childRekey }));
      assert.deepEqual([f.notify, f.phase, f.reason], [c.notify, c.phase, c.reason]);
    });
  }

  it('brings a device-initiated tunnel up although only the gateway wants PFS: IKE_AUTH carries no key exchange', () => {
    const o = expectSuccess(
      run({ device: { espProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [] }] } }, 'device'),
    );
    assert.deepEqual(o.params.phase2, { encryption: 'aes256-cbc', integrity: 'sha2-256' });
    assert.ok(o.log.includes('device: sending IKE_AUTH request 1 [ SA TSi TSr ]'));
  });

  it('brings a device-initiated tunnel up with different PFS groups on each side, and fails it at the first CHILD_SA rekey', () => {
    const changes: IntentChanges = { device: { espProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [15] }] } };
    assert.equal(expectSuccess(run(changes, 'device')).params.phase2.dhGroup, undefined);
    const f = expectFailure(run(changes, 'gateway', { childRekey: true }));
    assert.deepEqual([f.notify, f.phase], ['NO_PROPOSAL_CHOSEN', 2]);
  });

  it('logs the refusal of an identity on the responder side', () => {
    const f = expectFailure(run({ device: { idValue: 'cpe.example.com' } }, 'device'));
    assert.deepEqual(f.log.slice(-4), [
      'gateway: looking for peer configs matching 192.0.2.1[192.0.2.1]...203.0.113.9[cpe.example.com]',
      "gateway: no matching peer config found for 'cpe.example.com'",
      'gateway: sending IKE_AUTH response 1 [ N(AUTH_FAILED) ]',
      'device: received AUTHENTICATION_FAILED notify error',
    ]);
  });

  it('compares FQDN identities without regard to case', () => {
    const o = run({ remote: { id: 'CPE.Example.com' }, device: { idValue: 'cpe.example.com' } });
    assert.equal(o.ok, true);
  });
});

describe('IKEv2 traffic selectors', () => {
  it('accepts a device that narrows the gateway remote subnets and logs the narrowing', () => {
    const o = expectSuccess(run({ device: { subnets: ['10.1.1.0/24'] } }));
    assert.deepEqual([o.selectors, o.narrowed], [{ local: ['10.0.0.0/16'], remote: ['10.1.1.0/24'] }, true]);
    assert.ok(o.log.includes('device: narrowed traffic selectors to 10.1.1.0/24 === 10.0.0.0/16'));
    assert.ok(o.log.includes('gateway: CHILD_SA tun-1{1} established with TS 10.0.0.0/16 === 10.1.1.0/24'));
  });

  it('narrows a device proposal wider than the gateway remote subnets', () => {
    const o = expectSuccess(run({ device: { subnets: ['10.0.0.0/8'] } }, 'device'));
    assert.deepEqual([o.selectors, o.narrowed], [{ local: ['10.0.0.0/16'], remote: ['10.1.0.0/16'] }, false]);
    assert.ok(o.log.includes('gateway: narrowed traffic selectors to 10.0.0.0/16 === 10.1.0.0/16'));
  });

  it('lets a route-based tunnel whose intent carries 0.0.0.0/0 carry everything', () => {
    const o = expectSuccess(
      run({ style: 'bgp', local: { subnets: ['0.0.0.0/0'] }, remote: { subnets: ['0.0.0.0/0'] }, device: { subnets: ['0.0.0.0/0'] } }),
    );
    assert.deepEqual([o.selectors, o.narrowed], [{ local: ['0.0.0.0/0'], remote: ['0.0.0.0/0'] }, false]);
  });
});
