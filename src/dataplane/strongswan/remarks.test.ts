import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NegotiatedParameters } from '../../domain/entities.ts';
import { strongswanRemarks } from './remarks.ts';
import { testIntent } from './test-support.ts';

// What testIntent's first choices negotiate: nothing weak, nothing drifting.
const firstChoices: NegotiatedParameters = {
  ikeVersion: 'v2',
  phase1: { encryption: 'aes256-cbc', integrity: 'sha2-256', prf: 'sha2-256', dhGroup: 14 },
  phase2: { encryption: 'aes128-gcm16', dhGroup: 19 },
};

describe('strongswanRemarks', () => {
  it('has nothing to say when charon installed the configured selectors, whatever their spelling', () => {
    assert.deepEqual(strongswanRemarks(testIntent(), firstChoices, { local: ['10.10.0.1/24'], remote: ['10.20.0.0/24'] }), {
      weak: [],
      drift: [],
    });
  });

  it('reports the selectors charon installed when they are narrower than the conn', () => {
    const r = strongswanRemarks(testIntent(), firstChoices, { local: ['10.10.0.0/25'], remote: ['10.20.0.0/24'] });
    assert.deepEqual(r.drift, ['traffic selectors narrowed to 10.10.0.0/25 === 10.20.0.0/24 (configured 10.10.0.0/24 === 10.20.0.0/24)']);
  });

  it('flags weak choices and drift from the first choices, and says nothing about selectors it was not given', () => {
    const weak: NegotiatedParameters = { ...firstChoices, phase1: { encryption: '3des-cbc', integrity: 'sha1', prf: 'sha1', dhGroup: 2 } };
    assert.deepEqual(strongswanRemarks(testIntent(), weak), {
      weak: [
        'phase 1 encryption 3des-cbc is weak: 64-bit block cipher (Sweet32); prefer aes256-gcm16 or aes256-cbc',
        'phase 1 integrity sha1 is weak: SHA-1 is deprecated; prefer sha2-256 or stronger',
        'phase 1 DH group 2 is weak: 1024-bit MODP; prefer group 14, 19 or stronger',
      ],
      drift: [
        'phase 1 encryption 3des-cbc negotiated instead of the first choice aes256-cbc',
        'phase 1 integrity sha1 negotiated instead of the first choice sha2-256',
        'phase 1 DH group 2 negotiated instead of the first choice 14',
      ],
    });
  });
});
