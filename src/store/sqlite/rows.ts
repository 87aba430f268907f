// Row shapes of the embedded store and the documents written into them.
import type { AccessKey, Project, Tunnel, TunnelEvent, VpnConnection } from '../../domain/entities.ts';

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

export interface TenantRow {
  id: string;
  account_id: string;
  name: string;
  created_at: string;
}

export interface ProjectRow {
  id: string;
  tenant_id: string;
  name: string;
  region: string;
  created_at: string;
}

export interface KeyRow {
  access_key_id: string;
  tenant_id: string;
  secret_sealed: string;
  policy: AccessKey['policy'];
  description: string;
  created_at: string;
}

export interface EventRow {
  tunnel_id: string;
  connection_id: string;
  at: string;
  kind: TunnelEvent['kind'];
  detail: string;
}

export function toProject(row: ProjectRow): Project {
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
