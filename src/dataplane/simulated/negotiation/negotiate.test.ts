import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IkeVersion } from '../../../domain/algorithms.ts';
import { chooseIkeVersion, negotiate } from './negotiate.ts';
import type { NegotiateOptions, Role } from './outcome.ts';
import { expectFailure, expectSuccess, type IntentChanges, intentWith } from './test-fixtures.ts';

const run = (changes: IntentChanges, initiator: Role = 'gateway', opts: Partial<NegotiateOptions> = {}) =>
  negotiate(intentWith(changes), { initiator, ...opts });

describe('chooseIkeVersion', () => {
  const cases: { name: string; initiator: IkeVersion[]; responder: IkeVersion[]; want: IkeVersion | null }[] = [
    { name: 'uses IKEv2 when both allow only IKEv2', initiator: ['v2'], responder: ['v2'], want: 'v2' },
    {
      name: 'prefers IKEv2 when both allow both and the initiator lists IKEv2 first',
      initiator: ['v2', 'v1'],
      responder: ['v1', 'v2'],
      want: 'v2',
    },
    {
      name: "starts IKEv2 when the initiator allows both, whatever its order (charon's version = 0)",
      initiator: ['v1', 'v2'],
      responder: ['v2', 'v1'],
      want: 'v2',
    },
    {
      name: 'uses IKEv1 when the initiator allows only IKEv1 and the responder allows both',
      initiator: ['v1'],
      responder: ['v2', 'v1'],
      want: 'v1',
    },
    {
      name: 'falls to IKEv2 when the initiator prefers IKEv1 but the responder only allows IKEv2',
      initiator: ['v1', 'v2'],
      responder: ['v2'],
      want: 'v2',
    },
    {
      name: 'does not fall back to IKEv1 when an initiator allowing both meets a responder allowing only IKEv1',
      initiator: ['v2', 'v1'],
      responder: ['v1'],
      want: null,
    },
    { name: 'finds nothing when the versions are disjoint', initiator: ['v1'], responder: ['v2'], want: null },
    { name: 'finds nothing when one side allows no version', initiator: [], responder: ['v2', 'v1'], want: null },
  ];
  for (const c of cases) it(c.name, () => assert.equal(chooseIkeVersion(c.initiator, c.responder), c.want));
});

describe('negotiate', () => {
  it('writes a charon-like log of both peers for a gateway-initiated IKEv2 tunnel', () => {
    const o = expectSuccess(run({}));
    assert.deepEqual(o.log, [
      'gateway: using IKEv2 (gateway allows v2, device allows v2)',
      'gateway: initiating IKE_SA tun-1[1] to 203.0.113.9',
      'gateway: sending IKE_SA_INIT request 0 [ SA KE(MODP_2048) No N(NATD_S_IP) N(NATD_D_IP) N(CHILDLESS_IKEV2_SUP) ]',
      'device: received IKE_SA_INIT request 0 [ SA KE(MODP_2048) No N(NATD_S_IP) N(NATD_D_IP) N(CHILDLESS_IKEV2_SUP) ]',
      'device: received proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
      'device: configured proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
      'device: selected proposal: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
      'device: sending IKE_SA_INIT response 0 [ SA KE(MODP_2048) No N(NATD_S_IP) N(NATD_D_IP) N(CHILDLESS_IKEV2_SUP) ]',
      'gateway: received IKE_SA_INIT response 0 [ SA KE(MODP_2048) No N(NATD_S_IP) N(NATD_D_IP) N(CHILDLESS_IKEV2_SUP) ]',
      'gateway: selected proposal: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
      "gateway: authentication of '192.0.2.1' (myself) with pre-shared key",
      'gateway: sending IKE_AUTH request 1 [ IDi IDr AUTH N(INIT_CONTACT) ]',
      'device: received IKE_AUTH request 1 [ IDi IDr AUTH N(INIT_CONTACT) ]',
      'device: looking for peer configs matching 203.0.113.9[203.0.113.9]...192.0.2.1[192.0.2.1]',
      "device: authentication of '192.0.2.1' with pre-shared key successful",
      "device: authentication of '203.0.113.9' (myself) with pre-shared key",
      'device: IKE_SA tun-1[1] established between 203.0.113.9[203.0.113.9]...192.0.2.1[192.0.2.1]',
      'device: sending IKE_AUTH response 1 [ IDr AUTH ]',
      'gateway: received IKE_AUTH response 1 [ IDr AUTH ]',
      "gateway: authentication of '203.0.113.9' with pre-shared key successful",
      'gateway: IKE_SA tun-1[1] established between 192.0.2.1[192.0.2.1]...203.0.113.9[203.0.113.9]',
      'gateway: proposing traffic selectors 10.0.0.0/16 === 10.1.0.0/16',
      'gateway: sending CREATE_CHILD_SA request 2 [ SA No KE(MODP_2048) TSi TSr ]',
      'device: received CREATE_CHILD_SA request 2 [ SA No KE(MODP_2048) TSi TSr ]',
      'device: received proposals: ESP:AES_CBC_256/HMAC_SHA2_256_128/MODP_2048/NO_EXT_SEQ',
      'device: configured proposals: ESP:AES_CBC_256/HMAC_SHA2_256_128/MODP_2048/NO_EXT_SEQ',
      'device: selected proposal: ESP:AES_CBC_256/HMAC_SHA2_256_128/MODP_2048/NO_EXT_SEQ',
      'device: sending CREATE_CHILD_SA response 2 [ SA No KE(MODP_2048) TSi TSr ]',
      'gateway: received CREATE_CHILD_SA response 2 [ SA No KE(MODP_2048) TSi TSr ]',
      'gateway: selected proposal: ESP:AES_CBC_256/HMAC_SHA2_256_128/MODP_2048/NO_EXT_SEQ',
      'device: CHILD_SA tun-1{1} established with TS 10.1.0.0/16 === 10.0.0.0/16',
      'gateway: CHILD_SA tun-1{1} established with TS 10.0.0.0/16 === 10.1.0.0/16',
    ]);
  });

  it('gives the same outcome and log for the same intent every time', () => {
    const changes: IntentChanges = {
      ike: { dhGroups: [19, 14] },
      device: { ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [14] }] },
    };
    assert.deepEqual(run(changes), run(changes));
  });

  it('refuses to start when the peers share no IKE version', () => {
    const f = expectFailure(run({ device: { ikeVersions: ['v1'] } }));
    assert.deepEqual(
      [f.notify, f.phase, f.reason],
      ['NO_PROPOSAL_CHOSEN', 1, 'phase 1 NO_PROPOSAL_CHOSEN: no common IKE version (gateway allows v2, device allows v1)'],
    );
  });

  it('speaks IKEv2 when the initiating device allows both, even listing IKEv1 first', () => {
    const o = expectSuccess(run({ ike: { versions: ['v2', 'v1'] }, device: { ikeVersions: ['v1', 'v2'] } }, 'device'));
    assert.equal(o.params.ikeVersion, 'v2');
    assert.equal(o.log[0], 'device: using IKEv2 (device allows v1 or v2, gateway allows v2 or v1)');
  });

  it('starts IKEv2 from a gateway that allows IKEv1 and IKEv2 and fails against an IKEv1-only device, as charon does', () => {
    const f = expectFailure(run({ ike: { versions: ['v1', 'v2'] }, device: { ikeVersions: ['v1'] } }));
    assert.equal(
      f.reason,
      'phase 1 NO_PROPOSAL_CHOSEN: no common IKE version: gateway starts IKEv2 (gateway allows v1 or v2, device allows v1)',
    );
    assert.ok(f.log.includes('device: no IKE config found for 203.0.113.9...192.0.2.1, sending NO_PROPOSAL_CHOSEN'));
  });

  it('speaks IKEv2 when the initiating gateway lists it first, whatever the device prefers', () => {
    const o = expectSuccess(run({ ike: { versions: ['v2', 'v1'] }, device: { ikeVersions: ['v1', 'v2'] } }));
    assert.equal(o.params.ikeVersion, 'v2');
  });
});

describe('negotiate with a silent or passive device', () => {
  it('times out after five retransmits when the gateway initiates towards an unreachable device', () => {
    const f = expectFailure(run({ device: { reachable: false } }));
    assert.deepEqual([f.notify, f.phase, f.reason], ['TIMEOUT', 1, 'phase 1 TIMEOUT: no response from peer after 5 retransmits']);
    assert.deepEqual(f.log, [
      'gateway: initiating IKE_SA tun-1[1] to 203.0.113.9',
      'gateway: sending IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(CHILDLESS_IKEV2_SUP) ]',
      'gateway: retransmit 1 of request with message ID 0',
      'gateway: retransmit 2 of request with message ID 0',
      'gateway: retransmit 3 of request with message ID 0',
      'gateway: retransmit 4 of request with message ID 0',
      'gateway: retransmit 5 of request with message ID 0',
      'gateway: giving up after 5 retransmits',
      'gateway: establishing IKE_SA failed, peer not responding',
    ]);
  });

  it('honours a custom retransmit count and the IKEv1 exchange the gateway would start', () => {
    const f = expectFailure(
      run({ ike: { versions: ['v1'], phase1Mode: 'aggressive' }, device: { reachable: false } }, 'gateway', { retransmits: 2 }),
    );
    assert.equal(f.reason, 'phase 1 TIMEOUT: no response from peer after 2 retransmits');
    assert.deepEqual(f.log.slice(0, 3), [
      'gateway: initiating Aggressive Mode IKE_SA tun-1[1] to 203.0.113.9',
      'gateway: sending AGGRESSIVE request 0 [ SA KE No ID V V V ]',
      'gateway: retransmit 1 of request with message ID 0',
    ]);
  });

  const idle: { name: string; changes: IntentChanges; reason: string }[] = [
    {
      name: 'reports that nothing happens when a device that never initiates is asked to',
      changes: { device: { initiates: false } },
      reason: 'device does not initiate (initiates: false); nothing happens until the gateway initiates',
    },
    {
      name: 'reports that nothing happens when an unreachable device initiates',
      changes: { device: { reachable: false } },
      reason: 'device is unreachable; none of its requests reach the gateway',
    },
  ];
  for (const c of idle) {
    it(c.name, () => {
      const o = run(c.changes, 'device');
      assert.deepEqual({ ...o, log: undefined }, { ok: false, notify: 'NONE', reason: c.reason, log: undefined });
    });
  }

  it('still lets the gateway initiate towards a device that never initiates', () => {
    assert.equal(run({ device: { initiates: false } }, 'gateway').ok, true);
  });
});

describe('negotiate without a device profile', () => {
  const changes: IntentChanges = {
    device: null,
    ike: { versions: ['v2', 'v1'], encryption: ['aes128-cbc', 'aes256-cbc'], integrity: ['sha2-512', 'sha2-256'], dhGroups: [19, 14] },
    ipsec: { encryption: ['aes128-gcm16', 'aes256-cbc'], pfsGroups: [20, 14] },
  };

  for (const initiator of ['gateway', 'device'] as const) {
    it(`settles on the gateway's first choices when the ${initiator} initiates (PFS only when the gateway goes childless)`, () => {
      const o = expectSuccess(run(changes, initiator));
      assert.deepEqual(o.params, {
        ikeVersion: 'v2',
        phase1: { encryption: 'aes128-cbc', integrity: 'sha2-512', prf: 'sha2-512', dhGroup: 19 },
        // The device-initiated CHILD_SA rides in IKE_AUTH: no PFS group until its first rekey.
        phase2: initiator === 'gateway' ? { encryption: 'aes128-gcm16', dhGroup: 20 } : { encryption: 'aes128-gcm16' },
      });
      assert.deepEqual([o.selectors, o.narrowed], [{ local: ['10.0.0.0/16'], remote: ['10.1.0.0/16'] }, false]);
    });
  }

  it('shares the phase-1 mode, key and identities of the gateway in IKEv1', () => {
    const o = expectSuccess(
      run(
        { device: null, ike: { versions: ['v1'], phase1Mode: 'aggressive', localIdType: 'fqdn' }, local: { id: 'vpn.example.com' } },
        'device',
      ),
    );
    assert.equal(o.params.ikeVersion, 'v1');
    assert.ok(o.log.includes('gateway: IKE_SA tun-1[1] established between 192.0.2.1[vpn.example.com]...203.0.113.9[203.0.113.9]'));
  });
});
