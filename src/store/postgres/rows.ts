// Row helpers shared by the PostgreSQL store's tables: documents in and out, row versions, and
// the sealed-secret cache.
import type { Tunnel, VpnConnection } from '../../domain/entities.ts';
import type { SecretBox } from '../secret-box.ts';

export interface TunnelRow {
  id: string;
  connection_id: string;
  idx: number;
  generation: number;
  psk_sealed: string;
  config: string;
  observed: string;
}

/** Opening a sealed secret costs a cipher setup; reads would pay it on every request. */
export class OpenedSecrets {
  readonly #box: SecretBox;
  readonly #opened = new Map<string, string>();

  constructor(box: SecretBox) {
    this.#box = box;
  }

  seal(plain: string): string {
    return this.#box.seal(plain);
  }

  open(sealed: string): string {
    let plain = this.#opened.get(sealed);
    if (plain === undefined) {
      plain = this.#box.open(sealed);
      if (this.#opened.size >= 50_000) this.#opened.clear();
      this.#opened.set(sealed, plain);
    }
    return plain;
  }

  tunnel(r: TunnelRow): Tunnel {
    const t = JSON.parse(r.config) as Tunnel;
    t.psk = this.open(r.psk_sealed);
    t.generation = r.generation;
    t.observed = JSON.parse(r.observed);
    return t;
  }
}

export function connectionDoc(c: VpnConnection): string {
  return JSON.stringify({ ...c, tunnels: [] });
}

/** A deleted connection with its tunnels, none of them with its pre-shared key. */
export function retiredConnectionDoc(c: VpnConnection): string {
  return JSON.stringify({ ...c, tunnels: c.tunnels.map((t) => ({ ...t, psk: '' })) });
}

/** A tunnel's config document: everything but the secret and the observation. */
export function tunnelConfigDoc(t: Tunnel): string {
  return JSON.stringify({ ...t, psk: undefined, observed: undefined });
}
