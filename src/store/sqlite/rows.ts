// Row shapes of the embedded store and the documents written into them.
import type { AccessKey, Project, TunnelEvent } from '../../domain/entities.ts';

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
