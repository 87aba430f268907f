// What both stores write for a connection and its tunnels: the connection's document (tunnels in
// their own rows), a tunnel's config document (no secret, no observation), and a tunnel read back
// from its row with its pre-shared key opened.
import type { Tunnel, VpnConnection } from '../domain/entities.ts';

/** A tunnel's row in either store. */
export interface TunnelRow {
  id: string;
  connection_id: string;
  idx: number;
  generation: number;
  psk_sealed: string;
  config: string;
  observed: string;
}

export function toTunnel(r: TunnelRow, open: (sealed: string) => string): Tunnel {
  const t = JSON.parse(r.config) as Tunnel;
  t.psk = open(r.psk_sealed);
  t.generation = r.generation;
  t.observed = JSON.parse(r.observed);
  return t;
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
