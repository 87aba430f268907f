// Tenants, projects and access keys on PostgreSQL. A key's secret is sealed; every write of a
// key bumps the access-key revision that the other instances watch (key-revision.ts).
import type { AccessKey, Project, Tenant } from '../../domain/entities.ts';
import { inTransaction, type PgPool, type Queryable } from './database.ts';
import type { KeyRevision } from './key-revision.ts';
import type { OpenedSecrets } from './rows.ts';

export class PgTenants {
  readonly #pool: PgPool;
  readonly #secrets: OpenedSecrets;
  readonly #keys: KeyRevision;

  constructor(pool: PgPool, secrets: OpenedSecrets, keys: KeyRevision) {
    this.#pool = pool;
    this.#secrets = secrets;
    this.#keys = keys;
  }

  async createTenant(tenant: Tenant, project: Project, key: AccessKey): Promise<void> {
    await inTransaction(this.#pool, async (db) => {
      await db.query('INSERT INTO tenants (id, account_id, name, created_at) VALUES ($1, $2, $3, $4)', [
        tenant.id,
        tenant.accountId,
        tenant.name,
        tenant.createdAt,
      ]);
      await this.#insertProject(db, project);
      await this.#insertKey(db, key);
    });
    this.#keys.forget();
  }

  async countTenants(): Promise<number> {
    return Number((await this.#pool.query('SELECT count(*) AS n FROM tenants')).rows[0].n);
  }

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    const { rows } = await this.#pool.query('SELECT * FROM tenants WHERE id = $1', [tenantId]);
    return rows[0] && toTenant(rows[0]);
  }

  async listTenants(): Promise<Tenant[]> {
    return (await this.#pool.query('SELECT * FROM tenants ORDER BY created_at, id')).rows.map(toTenant);
  }

  async getProject(projectId: string): Promise<Project | undefined> {
    const { rows } = await this.#pool.query('SELECT * FROM projects WHERE id = $1', [projectId]);
    return rows[0] && toProject(rows[0]);
  }

  async listProjects(tenantId: string): Promise<Project[]> {
    return (await this.#pool.query('SELECT * FROM projects WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId])).rows.map(toProject);
  }

  async createProject(project: Project): Promise<void> {
    await this.#insertProject(this.#pool, project);
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKey | undefined> {
    const { rows } = await this.#pool.query('SELECT * FROM access_keys WHERE access_key_id = $1', [accessKeyId]);
    return rows[0] && this.#toKey(rows[0]);
  }

  async putAccessKey(key: AccessKey): Promise<void> {
    await this.#insertKey(this.#pool, key);
    this.#keys.forget();
  }

  async listAccessKeys(tenantId?: string): Promise<AccessKey[]> {
    const { rows } = tenantId
      ? await this.#pool.query('SELECT * FROM access_keys WHERE tenant_id = $1 ORDER BY created_at, access_key_id', [tenantId])
      : await this.#pool.query('SELECT * FROM access_keys ORDER BY created_at, access_key_id');
    return rows.map((r) => this.#toKey(r));
  }

  async deleteAccessKey(accessKeyId: string): Promise<boolean> {
    this.#keys.forget();
    const deleted = ((await this.#pool.query('DELETE FROM access_keys WHERE access_key_id = $1', [accessKeyId])).rowCount ?? 0) > 0;
    this.#keys.forget();
    return deleted;
  }

  async #insertProject(db: Queryable, p: Project): Promise<void> {
    await db.query('INSERT INTO projects (id, tenant_id, name, region, created_at) VALUES ($1, $2, $3, $4, $5)', [
      p.id,
      p.tenantId,
      p.name,
      p.region,
      p.createdAt,
    ]);
  }

  accessKeyRevision(): Promise<number> {
    return this.#keys.current();
  }

  async #insertKey(db: Queryable, k: AccessKey): Promise<void> {
    this.#keys.forget();
    await db.query(
      `INSERT INTO access_keys (access_key_id, tenant_id, secret_sealed, policy, description, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (access_key_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, policy = excluded.policy, description = excluded.description`,
      [k.accessKeyId, k.tenantId, this.#secrets.seal(k.secret), k.policy, k.description, k.createdAt],
    );
  }

  #toKey(row: any): AccessKey {
    const { access_key_id: accessKeyId, tenant_id: tenantId, policy, description, created_at: createdAt } = row;
    return { accessKeyId, tenantId, secret: this.#secrets.open(row.secret_sealed), policy, description, createdAt };
  }
}

function toTenant(row: any): Tenant {
  return { id: row.id, accountId: row.account_id, name: row.name, createdAt: row.created_at };
}

function toProject(row: any): Project {
  return { id: row.id, tenantId: row.tenant_id, name: row.name, region: row.region, createdAt: row.created_at };
}
