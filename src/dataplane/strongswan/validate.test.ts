import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testIntent } from './test-support.ts';
import { algorithmsFromVici, validateForStrongswan } from './validate.ts';

describe('validateForStrongswan', () => {
  it('accepts what charon can negotiate', () => {
    assert.equal(validateForStrongswan(testIntent()), null);
    assert.equal(
      validateForStrongswan(
        testIntent({ ike: { versions: ['v2', 'v1'], encryption: ['aes128-gcm16', 'aes128-cbc'], dhGroups: [14, 20, 24] } }),
      ),
      null,
    );
  });

  it('refuses SM4 and SM3 with a clear Unsupported error naming the field', () => {
    const sm4 = validateForStrongswan(testIntent({ ipsec: { encryption: ['sm4-cbc'] } }));
    assert.equal(sm4?.code, 'Unsupported');
    assert.equal(sm4?.field, 'ipsec.encryption');
    assert.equal(
      sm4?.message,
      'the strongSwan data plane cannot use encryption sm4-cbc: strongSwan has no SM4 transform; choose an AES algorithm',
    );
    const sm3 = validateForStrongswan(testIntent({ ike: { integrity: ['sm3'] } }));
    assert.equal(sm3?.code, 'Unsupported');
    assert.equal(
      sm3?.message,
      'the strongSwan data plane cannot use integrity sm3: strongSwan has no SM3 transform; choose a SHA-2 algorithm',
    );
  });

  it('refuses what the running charon loaded no plugin for (get-algorithms)', () => {
    const algorithms = algorithmsFromVici(
      new Map<string, unknown>([
        ['encryption', new Map([['AES_CBC', 'aesni']])],
        ['aead', new Map([['AES_GCM_16', 'aesni']])],
        ['integrity', new Map([['HMAC_SHA2_256_128', 'openssl']])],
        ['prf', new Map([['PRF_HMAC_SHA2_256', 'openssl']])],
        [
          'dh',
          new Map([
            ['MODP_2048', 'openssl'],
            ['ECP_256', 'openssl'],
          ]),
        ],
      ]),
    );
    assert.equal(validateForStrongswan(testIntent(), algorithms), null);
    const err = validateForStrongswan(testIntent({ ike: { dhGroups: [14, 18] } }), algorithms);
    assert.equal(err?.message, 'the strongSwan data plane cannot use DH group 18: the running charon loaded no plugin for MODP_8192');
    assert.equal(err?.field, 'ike.dhGroups');
  });

  it('refuses certificate authentication, GCM-only IKEv1 and IKEv1 aggressive mode', () => {
    assert.match(validateForStrongswan(testIntent({ ike: { authMethod: 'digital-envelope-v2' } }))!.message, /only pre-shared keys/);
    assert.match(
      validateForStrongswan(testIntent({ ike: { versions: ['v1'], encryption: ['aes256-gcm16'] } }))!.message,
      /AES-GCM is defined for IKEv2 and ESP only/,
    );
    assert.match(validateForStrongswan(testIntent({ ike: { versions: ['v1'], phase1Mode: 'aggressive' } }))!.message, /aggressive mode/);
  });
});
