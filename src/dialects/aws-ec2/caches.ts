// The EC2 dialect's response caches, owned by whoever mounts the dialect (never module state):
// bounded (LRU), keyed by the resource's id and revision, and emptied for one id by invalidate()
// when a shared store learns that another process wrote it.
import type { VpnConnection } from '../../domain/entities.ts';
import { SigningKeys } from './protocol/sigv4-canonical.ts';
import { XmlMemo } from './protocol/xml-writer.ts';

/** A map that keeps the `max` most recently used entries. */
export class Lru<K, V> {
  readonly #map = new Map<K, V>();
  constructor(readonly max: number) {}

  get(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.max) this.#map.delete(this.#map.keys().next().value as K);
  }

  delete(key: K): void {
    this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }

  get size(): number {
    return this.#map.size;
  }
}

/**
 * What a connection's rendering depends on in the connection itself: its last write (updatedAt),
 * its state, routes and tags, and each tunnel's config generation and last observation, which the data plane
 * records without touching updatedAt.
 */
export function connectionRevision(c: VpnConnection): string {
  let r = c.updatedAt + '|' + c.state + '|' + (c.pendingOperation ?? '');
  for (const s of c.staticRoutes) r += '|' + s.cidr + ':' + s.state;
  for (const t of c.tags) r += '|' + t.key + '=' + t.value;
  for (const t of c.tunnels)
    r +=
      '|' +
      t.generation +
      ':' +
      t.observed.ikeStatus +
      ':' +
      t.observed.lastStatusChange +
      ':' +
      t.observed.statusMessage +
      ':' +
      (t.observed.stale ?? '');
  return r;
}

export interface CachedRendering {
  /** The revision of the connection and of everything else the rendering used. */
  readonly key: string;
  readonly value: unknown;
}

export class Ec2Caches {
  /** Connection id → its last rendering (with the customerGatewayConfiguration document). */
  readonly renderings: Lru<string, CachedRendering>;
  /** The XML of kept renderings: weak, so bounded by `renderings` and renewed with each revision. */
  readonly xml = new XmlMemo();
  /** SigV4 signing keys per (secret, date, region, service); inputs only, nothing to invalidate. */
  readonly signingKeys: SigningKeys;

  constructor(limits: { renderings?: number; signingKeys?: number } = {}) {
    this.renderings = new Lru(limits.renderings ?? 4096);
    this.signingKeys = new SigningKeys(limits.signingKeys ?? 512);
  }

  /** Forget what is kept for a resource (a connection id; other ids are a no-op). */
  invalidate(id: string): void {
    this.renderings.delete(id);
  }

  clear(): void {
    this.renderings.clear();
  }
}
