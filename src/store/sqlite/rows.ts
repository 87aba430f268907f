// Row shapes of the embedded store and the documents written into them.
import type { Project, Tunnel, VpnConnection } from '../../domain/entities.ts';

export interface TunnelRow {
  id: string;
  connection_id: string;
  idx: number;
  generation: number;
  psk_sealed: string;
  config: string;
  observed: string;
}

export interface CgwRow {
  doc: string;
  version: number;
  device_psk_sealed: string | null;
}

export function toProject(row: any): Project {
  return { id: row.id, tenantId: row.tenant_id, name: row.name, region: row.region, createdAt: row.created_at };
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
