import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newAccessKeyId, newAccountId, newProjectId, newSecretKey, randomIds, randomString } from './ids.ts';

describe('ids', () => {
  it('makes AWS-style ids of a prefix and 17 hex digits per kind', () => {
    const kinds = { 'vpn-gateway': 'vgw', 'customer-gateway': 'cgw', 'vpn-connection': 'vpn', tunnel: 'tun', eip: 'eipalloc' } as const;
    for (const [kind, prefix] of Object.entries(kinds)) {
      assert.match(randomIds.next(kind as keyof typeof kinds, 'aws'), new RegExp(`^${prefix}-[0-9a-f]{17}$`));
    }
  });

  it('makes RFC 4122 v4 UUIDs for the uuid style and for every request id', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    assert.match(randomIds.next('vpn-connection', 'uuid'), uuid);
    assert.match(randomIds.next('request', 'aws'), uuid);
  });

  it('makes project ids of 32 hex, account ids of 12 digits, key ids of 20 and secrets of 40 characters', () => {
    assert.match(newProjectId(), /^[0-9a-f]{32}$/);
    assert.match(newAccountId(), /^\d{12}$/);
    assert.match(newAccessKeyId(), /^SV[A-Z2-7]{18}$/);
    assert.match(newSecretKey(), /^[A-Za-z0-9]{40}$/);
  });

  it('draws random strings of the given length from the given alphabet only', () => {
    const s = randomString(500, 'ab');
    assert.equal(s.length, 500);
    assert.match(s, /^[ab]+$/);
    assert.ok(s.includes('a') && s.includes('b'));
  });
});
