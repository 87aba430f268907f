import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activeSa, negotiatedOf, parseListSa } from './sa-parse.ts';
import type { ViciMessage } from './vici/message.ts';

/** A decoded VICI message from a plain object (sections become Maps, lists stay arrays). */
function vici(o: Record<string, unknown>): ViciMessage {
  return new Map(
    Object.entries(o).map(([k, v]) => [
      k,
      v !== null && typeof v === 'object' && !Array.isArray(v) ? vici(v as Record<string, unknown>) : v,
    ]),
  ) as ViciMessage;
}

// What charon 5.9.8 answered in this project's lab (spis and counters left out).
const gcmEcp = {
  t1: {
    uniqueid: '3',
    version: '2',
    state: 'ESTABLISHED',
    'local-host': '192.0.2.1',
    'remote-host': '198.51.100.10',
    'encr-alg': 'AES_GCM_16',
    'encr-keysize': '256',
    'prf-alg': 'PRF_HMAC_SHA2_384',
    'dh-group': 'ECP_384',
    established: '12',
    'child-sas': {
      'c1-1': {
        name: 'c1',
        uniqueid: '1',
        state: 'INSTALLED',
        'encr-alg': 'AES_GCM_16',
        'encr-keysize': '128',
        'local-ts': ['10.10.0.0/24'],
        'remote-ts': ['10.20.0.0/24'],
      },
    },
  },
};

const cbcModp = {
  t2: {
    uniqueid: '2',
    version: '2',
    state: 'ESTABLISHED',
    'local-host': '192.0.2.1',
    'remote-host': '198.51.100.10',
    initiator: 'yes',
    'encr-alg': 'AES_CBC',
    'encr-keysize': '256',
    'integ-alg': 'HMAC_SHA2_256_128',
    'prf-alg': 'PRF_HMAC_SHA2_256',
    'dh-group': 'MODP_3072',
    established: '0',
    'child-sas': {
      'c1-1': {
        name: 'c1',
        uniqueid: '1',
        state: 'REKEYED',
        'encr-alg': 'AES_CBC',
        'encr-keysize': '128',
        'integ-alg': 'HMAC_SHA2_512_256',
        'dh-group': 'MODP_3072',
        'local-ts': ['10.10.0.0/24'],
        'remote-ts': ['10.20.0.0/24'],
      },
      'c1-2': {
        name: 'c1',
        uniqueid: '2',
        state: 'INSTALLED',
        'encr-alg': 'AES_CBC',
        'encr-keysize': '128',
        'integ-alg': 'HMAC_SHA2_512_256',
        'dh-group': 'ECP_256',
        'local-ts': ['10.10.0.0/24'],
        'remote-ts': ['10.20.0.0/24'],
      },
    },
  },
};

describe('parseListSa', () => {
  it('reads the IKE_SA and its CHILD_SAs, skipping scalar keys such as up', () => {
    const [sa] = parseListSa(vici({ up: 'yes', ...cbcModp }));
    assert.equal(sa.name, 't2');
    assert.equal(sa.uniqueId, 2);
    assert.equal(sa.initiator, true);
    assert.equal(sa.version, 'v2');
    assert.deepEqual(
      sa.children.map((c) => [c.uniqueId, c.state]),
      [
        [1, 'REKEYED'],
        [2, 'INSTALLED'],
      ],
    );
  });
});

describe('activeSa', () => {
  it('takes the newest INSTALLED CHILD_SA of the newest ESTABLISHED IKE_SA', () => {
    const views = [...parseListSa(vici(cbcModp)), ...parseListSa(vici({ t2: { uniqueid: '9', state: 'CONNECTING', version: '2' } }))];
    const active = activeSa(views, 'c1');
    assert.equal(active?.ike.uniqueId, 2);
    assert.equal(active?.child.uniqueId, 2);
  });

  it('finds nothing without an installed CHILD_SA of the expected name', () => {
    assert.equal(activeSa(parseListSa(vici(cbcModp)), 'other'), undefined);
    assert.equal(activeSa(parseListSa(vici({ t: { uniqueid: '1', state: 'ESTABLISHED', version: '2' } }))), undefined);
  });
});

describe('negotiatedOf', () => {
  it('maps AES-CBC, HMAC-SHA2 and MODP groups, with the PFS group of a separately built CHILD_SA', () => {
    const { ike, child } = activeSa(parseListSa(vici(cbcModp)))!;
    assert.deepEqual(negotiatedOf(ike, child), {
      ok: true,
      params: {
        ikeVersion: 'v2',
        phase1: { encryption: 'aes256-cbc', integrity: 'sha2-256', prf: 'sha2-256', dhGroup: 15 },
        phase2: { encryption: 'aes128-cbc', integrity: 'sha2-512', dhGroup: 19 },
      },
    });
  });

  it('maps AES-GCM with the PRF as phase 1 integrity, and no phase 2 DH group for a CHILD_SA built in IKE_AUTH', () => {
    const { ike, child } = activeSa(parseListSa(vici(gcmEcp)))!;
    assert.deepEqual(negotiatedOf(ike, child), {
      ok: true,
      params: {
        ikeVersion: 'v2',
        phase1: { encryption: 'aes256-gcm16', integrity: 'sha2-384', prf: 'sha2-384', dhGroup: 20 },
        phase2: { encryption: 'aes128-gcm16' },
      },
    });
  });

  it('says which negotiated algorithm has no domain name', () => {
    const odd = { t: { ...gcmEcp.t1, 'encr-alg': 'CHACHA20_POLY1305', 'encr-keysize': '256', 'dh-group': 'CURVE_25519' } };
    const { ike, child } = activeSa(parseListSa(vici(odd)))!;
    assert.deepEqual(negotiatedOf(ike, child), {
      ok: false,
      reason: 'negotiated IKE encryption CHACHA20_POLY1305_256, IKE DH group CURVE_25519, which sitevpn has no name for',
    });
  });
});
