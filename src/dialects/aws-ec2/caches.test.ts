// The dialect's caches: bounded, keyed by revision (so fresh copies of an unchanged resource hit),
// and emptied per id by invalidate().
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VpnConnection } from '../../domain/entities.ts';
import { connectionRevision, Ec2Caches, Lru } from './caches.ts';

const connection = (
  over: Partial<VpnConnection> = {},
  observed = { ikeStatus: 'UP', statusMessage: '', lastStatusChange: '2026-01-01T00:00:00.000Z' },
) =>
  ({
    id: 'vpn-1',
    updatedAt: '2026-01-01T00:00:00.000Z',
    state: 'ACTIVE',
    pendingOperation: null,
    staticRoutes: [],
    tags: [],
    tunnels: [{ generation: 1, observed }],
    ...over,
  }) as unknown as VpnConnection;

describe('Lru', () => {
  it('keeps at most its bound, dropping the least recently used entry', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    assert.equal(lru.get('a'), 1);
    lru.set('c', 3);
    assert.deepEqual([lru.get('a'), lru.get('b'), lru.get('c'), lru.size], [1, undefined, 3, 2]);
  });
});

describe('connectionRevision', () => {
  it('is equal for two copies of the same connection and moves with every input of the rendering', () => {
    const base = connectionRevision(connection());
    assert.equal(connectionRevision(structuredClone(connection())), base);
    assert.notEqual(connectionRevision(connection({ updatedAt: '2026-01-01T00:00:01.000Z' })), base);
    assert.notEqual(connectionRevision(connection({ pendingOperation: 'create' } as Partial<VpnConnection>)), base);
    assert.notEqual(connectionRevision(connection({ tags: [{ key: 'a', value: 'b' }] })), base);
    assert.notEqual(
      connectionRevision(connection({}, { ikeStatus: 'DOWN', statusMessage: '', lastStatusChange: '2026-01-01T00:00:00.000Z' })),
      base,
    );
  });
});

describe('Ec2Caches', () => {
  it('forgets one resource on invalidate and is separate per owner', () => {
    const a = new Ec2Caches({ renderings: 8 });
    const b = new Ec2Caches();
    a.renderings.set('vpn-1', { key: 'k', value: {} });
    a.renderings.set('vpn-2', { key: 'k', value: {} });
    assert.equal(b.renderings.get('vpn-1'), undefined);
    a.invalidate('vpn-1');
    assert.deepEqual([a.renderings.get('vpn-1'), a.renderings.size], [undefined, 1]);
  });
});
