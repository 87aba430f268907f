import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DH_GROUPS,
  ENCRYPTION_ALGORITHMS,
  INTEGRITY_ALGORITHMS,
  isAead,
  isDhGroup,
  isEncryption,
  isIntegrity,
  WEAK_DH_GROUPS,
  WEAK_ENCRYPTION,
  WEAK_INTEGRITY,
} from './algorithms.ts';

describe('canonical algorithm names', () => {
  it('recognises every canonical name and no vendor spelling', () => {
    for (const e of ENCRYPTION_ALGORITHMS) assert.equal(isEncryption(e), true, e);
    for (const i of INTEGRITY_ALGORITHMS) assert.equal(isIntegrity(i), true, i);
    for (const g of DH_GROUPS) assert.equal(isDhGroup(g), true, String(g));
    for (const vendor of ['aes-128', 'AES128', 'aes128', 'AES_CBC']) assert.equal(isEncryption(vendor), false, vendor);
    for (const vendor of ['sha256', 'SHA2-256', 'sha2_256', 'HMAC_SHA1_96']) assert.equal(isIntegrity(vendor), false, vendor);
    for (const g of [0, 3, 4, 13, 25, 31]) assert.equal(isDhGroup(g), false, String(g));
  });

  it('treats exactly the GCM ciphers as AEAD', () => {
    assert.deepEqual(ENCRYPTION_ALGORITHMS.filter(isAead), ['aes128-gcm16', 'aes256-gcm16']);
  });

  it('names 3DES, MD5, SHA-1 and MODP groups 1, 2 and 5 as weak, all of them canonical', () => {
    assert.deepEqual([WEAK_ENCRYPTION, WEAK_INTEGRITY, WEAK_DH_GROUPS], [['3des-cbc'], ['md5', 'sha1'], [1, 2, 5]]);
    assert.ok(WEAK_ENCRYPTION.every(isEncryption) && WEAK_INTEGRITY.every(isIntegrity) && WEAK_DH_GROUPS.every(isDhGroup));
  });
});
