// Tenants, their projects and their access keys. Secrets are sealed before they touch a row.
import type { AccessKey, Project, Tenant } from '../../domain/entities.ts';
import type { SqliteContext } from './context.ts';
import { type KeyRow, type ProjectRow, type TenantRow, toProject } from './rows.ts';

export class SqliteTenants {
  readonly #ctx: SqliteContext;
  /** The last data_version seen and the key revision read then; undefined after a key write here. */
  #dataVersion = -1;
  #keyRevision: number | undefined;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
  }

  createTenant(tenant: Tenant, project: Project, key: AccessKey): void {
    const { db, q } = this.#ctx;
    db.transaction(() => {
      q.insertTenant.run(tenant.id, tenant.accountId, tenant.name, tenant.createdAt);
      this.insertProject(project);
      this.putAccessKey(key);
    })();
  }

  countTenants(): number {
    return (this.#ctx.q.countTenants.get() as { n: number }).n;
  }

  getTenant(tenantId: string): Tenant | undefined {
    const row = this.#ctx.q.getTenant.get(tenantId) as TenantRow | undefined;
    return row && toTenant(row);
  }

  listTenants(): Tenant[] {
    return (this.#ctx.q.listTenants.all() as TenantRow[]).map(toTenant);
  }

  getProject(projectId: string): Project | undefined {
    const row = this.#ctx.q.getProject.get(projectId) as ProjectRow | undefined;
    return row && toProject(row);
  }

  listProjects(tenantId: string): Project[] {
    return (this.#ctx.q.listProjects.all(tenantId) as ProjectRow[]).map(toProject);
  }

  insertProject(p: Project): void {
    this.#ctx.q.insertProject.run(p.id, p.tenantId, p.name, p.region, p.createdAt);
  }

  getAccessKey(accessKeyId: string): AccessKey | undefined {
    const row = this.#ctx.q.getKey.get(accessKeyId) as KeyRow | undefined;
    return row && this.#toKey(row);
  }

  putAccessKey(k: AccessKey): void {
    this.#keyRevision = undefined;
    this.#ctx.q.upsertKey.run(k.accessKeyId, k.tenantId, this.#ctx.box.seal(k.secret), k.policy, k.description, k.createdAt);
  }

  listAccessKeys(tenantId?: string): AccessKey[] {
    const { q } = this.#ctx;
    const rows = (tenantId ? q.listKeysOfTenant.all(tenantId) : q.listKeys.all()) as KeyRow[];
    return rows.map((r) => this.#toKey(r));
  }

  deleteAccessKey(accessKeyId: string): boolean {
    this.#keyRevision = undefined;
    return this.#ctx.q.deleteKey.run(accessKeyId).changes > 0;
  }

  accessKeyRevision(): number {
    // data_version ignores this connection's own commits; key writes here reset #keyRevision.
    const version = this.#ctx.q.dataVersion.get() as number;
    if (version !== this.#dataVersion || this.#keyRevision === undefined) {
      this.#dataVersion = version;
      this.#keyRevision = this.#ctx.q.keyRevision.get() as number;
    }
    return this.#keyRevision;
  }

  #toKey(row: KeyRow): AccessKey {
    return {
      accessKeyId: row.access_key_id,
      tenantId: row.tenant_id,
      secret: this.#ctx.open(row.secret_sealed),
      policy: row.policy,
      description: row.description,
      createdAt: row.created_at,
    };
  }
}

function toTenant(row: TenantRow): Tenant {
  return { id: row.id, accountId: row.account_id, name: row.name, createdAt: row.created_at };
}
