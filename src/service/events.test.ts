import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { TunnelEvent, VpnConnection } from '../domain/entities.ts';
import type { DomainError } from '../domain/errors.ts';
import { EventService, type TunnelEventListener, type TunnelEventSource } from './events.ts';
import { type Harness, harness } from './test-support.ts';

let h: Harness;
afterEach(() => h?.close());

/** A source the test feeds by hand, counting its subscribers. */
class Source implements TunnelEventSource {
  readonly listeners = new Set<TunnelEventListener>();
  subscribe(listener: TunnelEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(kind: string, connection: Pick<VpnConnection, 'id' | 'tenantId' | 'projectId'>): void {
    const event: TunnelEvent = { tunnelId: 't', connectionId: connection.id, at: '2026-01-01T00:00:00.000Z', kind, detail: '' };
    for (const l of this.listeners) l(event, connection as VpnConnection);
  }
}

describe('EventService.stream', () => {
  it("delivers only the events of the caller's tenant and project", async () => {
    h = await harness();
    const source = new Source();
    const events = new EventService(h.store, source);
    const heard: string[] = [];
    const stop = (await events.stream(h.ctx('read-only'), {})).open((e) => heard.push(e.kind));
    source.emit('mine', { id: 'c1', tenantId: h.tenantId, projectId: h.projectId });
    source.emit('other-project', { id: 'c2', tenantId: h.tenantId, projectId: 'b'.repeat(32) });
    source.emit('other-tenant', { id: 'c3', tenantId: 'tenant-b', projectId: h.projectId });
    stop();
    source.emit('after-stop', { id: 'c1', tenantId: h.tenantId, projectId: h.projectId });
    assert.deepEqual(heard, ['mine']);
    assert.equal(source.listeners.size, 0);
  });

  it('narrows to one connection of the project when the filter names it', async () => {
    h = await harness();
    const connection = await h.connection();
    const source = new Source();
    const heard: string[] = [];
    (await new EventService(h.store, source).stream(h.ctx(), { connectionId: connection.id })).open((e, c) =>
      heard.push(`${e.kind} ${c.id === connection.id}`),
    );
    source.emit('named', { id: connection.id, tenantId: h.tenantId, projectId: h.projectId });
    source.emit('sibling', { id: 'c2', tenantId: h.tenantId, projectId: h.projectId });
    assert.deepEqual(heard, ['named true']);
  });

  it('refuses a connection of another project as not found, before subscribing', async () => {
    h = await harness();
    const connection = await h.connection();
    const source = new Source();
    const elsewhere = h.ctx('admin', { projectId: 'b'.repeat(32) });
    await assert.rejects(
      new EventService(h.store, source).stream(elsewhere, { connectionId: connection.id }),
      (err: DomainError) => err.code === 'NotFound' && err.message === `VpnConnection ${connection.id} does not exist`,
    );
    assert.equal(source.listeners.size, 0);
  });

  it('streams the reconciler’s history lines once they are stored', async () => {
    h = await harness();
    const heard: string[] = [];
    (await new EventService(h.store, h.reconciler).stream(h.ctx())).open((e, c) => heard.push(`${e.kind} ${c.state}`));
    await h.connection();
    await h.settle();
    assert.deepEqual(heard, ['ike-up available']);
  });
});
