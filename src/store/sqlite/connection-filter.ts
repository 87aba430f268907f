// The SQL of a filtered connection listing, built from the filters given.
import type { ConnectionFilter } from '../store.ts';

/** A filter that names the project and nothing else: its total is the kept count. */
export function isProjectOnly(f: ConnectionFilter): boolean {
  return f.projectId !== undefined && !f.ids && !f.vgwId && !f.cgwId && !f.outsideIp && !f.outsideIpId && !f.enterpriseProjectId;
}

export function connectionWhere(tenantId: string, f: ConnectionFilter): { where: string; params: Record<string, unknown> } {
  const clauses = ['c.tenant_id = @tenantId'];
  const params: Record<string, unknown> = { tenantId };
  if (f.projectId) {
    clauses.push('c.project_id = @projectId');
    params.projectId = f.projectId;
  }
  if (f.vgwId) {
    clauses.push('c.vgw_id = @vgwId');
    params.vgwId = f.vgwId;
  }
  if (f.cgwId) {
    clauses.push('c.cgw_id = @cgwId');
    params.cgwId = f.cgwId;
  }
  if (f.enterpriseProjectId) {
    clauses.push('c.enterprise_project_id = @eps');
    params.eps = f.enterpriseProjectId;
  }
  if (f.outsideIp) {
    clauses.push('EXISTS (SELECT 1 FROM tunnels t WHERE t.connection_id = c.id AND t.outside_ip = @outsideIp)');
    params.outsideIp = f.outsideIp;
  }
  if (f.outsideIpId) {
    clauses.push('EXISTS (SELECT 1 FROM tunnels t WHERE t.connection_id = c.id AND t.outside_ip_id = @outsideIpId)');
    params.outsideIpId = f.outsideIpId;
  }
  if (f.ids) {
    const names = f.ids.map((id, i) => {
      params[`id${i}`] = id;
      return `@id${i}`;
    });
    clauses.push(names.length ? `c.id IN (${names.join(',')})` : '0');
  }
  return { where: clauses.join(' AND '), params };
}
