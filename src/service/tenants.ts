// Tenants, projects and access keys: first-start bootstrap, the CLI's credential commands, and
// the key lookups every signed request needs (cached, since they sit on the hot path).
import type { AccessKey, KeyPolicy, Project, Tenant } from '../domain/entities.ts';
import { DomainError } from '../domain/errors.ts';
import { newAccessKeyId, newAccountId, newProjectId, newSecretKey } from '../domain/ids.ts';
import type { Clock } from '../domain/ports.ts';
import type { Store } from '../store/store.ts';

export interface BootstrapResult {
  created: boolean;
  tenant?: Tenant;
  project?: Project;
  key?: AccessKey;
}

export interface BootstrapInput {
  accessKeyId?: string;
  secretAccessKey?: string;
  projectId?: string;
  region: string;
}

const KEY_CACHE_MS = 30_000;

export class TenantService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #keyCache = new Map<string, { key: AccessKey; until: number }>();
  /** Projects never change owner, so a found one stays cached. */
  readonly #projectCache = new Map<string, Project>();
  readonly #defaultProjects = new Map<string, Project>();

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /**
   * On a first start (no tenant yet) creates a tenant with one project and one key, from the
   * given values or fresh random ones. When the given key already exists, nothing happens.
   */
  async bootstrap(input: BootstrapInput): Promise<BootstrapResult> {
    if (input.accessKeyId && (await this.#store.getAccessKey(input.accessKeyId))) return { created: false };
    if (!input.accessKeyId && (await this.#store.countTenants()) > 0) return { created: false };
    if (input.accessKeyId && !input.secretAccessKey) {
      throw new DomainError('MissingParameter', 'SITEVPN_SECRET_ACCESS_KEY must be set with SITEVPN_ACCESS_KEY_ID');
    }
    if (input.projectId && !/^[0-9a-f]{32}$/.test(input.projectId)) {
      throw new DomainError('InvalidParameter', 'SITEVPN_PROJECT_ID must be 32 lower-case hex characters');
    }
    const now = new Date(this.#clock.now()).toISOString();
    const tenant: Tenant = { id: newProjectId(), accountId: newAccountId(), name: 'default', createdAt: now };
    const project: Project = { id: input.projectId ?? newProjectId(), tenantId: tenant.id, name: input.region, region: input.region, createdAt: now };
    const key: AccessKey = {
      accessKeyId: input.accessKeyId ?? newAccessKeyId(),
      tenantId: tenant.id,
      secret: input.secretAccessKey ?? newSecretKey(),
      policy: 'admin',
      description: 'created at first start',
      createdAt: now,
    };
    await this.#store.createTenant(tenant, project, key);
    return { created: true, tenant, project, key };
  }

  async createKey(tenantId: string | undefined, policy: KeyPolicy, description: string): Promise<AccessKey> {
    const tenant = tenantId ?? (await this.defaultTenantId());
    if (!(await this.#store.getTenant(tenant))) throw DomainError.notFound('Project', tenant);
    const key: AccessKey = {
      accessKeyId: newAccessKeyId(),
      tenantId: tenant,
      secret: newSecretKey(),
      policy,
      description,
      createdAt: new Date(this.#clock.now()).toISOString(),
    };
    await this.#store.putAccessKey(key);
    return key;
  }

  async setKeyPolicy(accessKeyId: string, policy: KeyPolicy): Promise<AccessKey> {
    const key = await this.#store.getAccessKey(accessKeyId);
    if (!key) throw DomainError.notFound('AccessKey', accessKeyId);
    const updated = { ...key, policy };
    await this.#store.putAccessKey(updated);
    this.#keyCache.delete(accessKeyId);
    return updated;
  }

  async deleteKey(accessKeyId: string): Promise<void> {
    if (!(await this.#store.deleteAccessKey(accessKeyId))) throw DomainError.notFound('AccessKey', accessKeyId);
    this.#keyCache.delete(accessKeyId);
  }

  listKeys(tenantId?: string): Promise<AccessKey[]> {
    return this.#store.listAccessKeys(tenantId);
  }

  async createTenant(region: string): Promise<{ tenant: Tenant; project: Project; key: AccessKey }> {
    const now = new Date(this.#clock.now()).toISOString();
    const tenant: Tenant = { id: newProjectId(), accountId: newAccountId(), name: 'tenant', createdAt: now };
    const project: Project = { id: newProjectId(), tenantId: tenant.id, name: region, region, createdAt: now };
    const key: AccessKey = { accessKeyId: newAccessKeyId(), tenantId: tenant.id, secret: newSecretKey(), policy: 'admin', description: 'tenant key', createdAt: now };
    await this.#store.createTenant(tenant, project, key);
    return { tenant, project, key };
  }

  async defaultTenantId(): Promise<string> {
    const keys = await this.#store.listAccessKeys();
    if (keys.length === 0) throw new DomainError('NotFound', 'no tenant exists yet: start the server once');
    return keys[0].tenantId;
  }

  /** The key for a signed request; cached for a short while so a request costs no query. */
  async findKey(accessKeyId: string): Promise<AccessKey | undefined> {
    const now = this.#clock.now();
    const hit = this.#keyCache.get(accessKeyId);
    if (hit && hit.until > now) return hit.key;
    const key = await this.#store.getAccessKey(accessKeyId);
    if (key) this.#keyCache.set(accessKeyId, { key, until: now + KEY_CACHE_MS });
    return key;
  }

  /** The project a Huawei path names, if it belongs to the tenant. */
  async projectOf(tenantId: string, projectId: string): Promise<Project | undefined> {
    let project = this.#projectCache.get(projectId);
    if (!project) {
      project = await this.#store.getProject(projectId);
      if (project) this.#projectCache.set(projectId, project);
    }
    return project && project.tenantId === tenantId ? project : undefined;
  }

  /** The project the EC2 dialect acts in: the tenant's first project (which never changes). */
  async defaultProject(tenantId: string): Promise<Project> {
    const cached = this.#defaultProjects.get(tenantId);
    if (cached) return cached;
    const projects = await this.#store.listProjects(tenantId);
    if (projects.length === 0) throw DomainError.notFound('Project', tenantId);
    this.#defaultProjects.set(tenantId, projects[0]);
    return projects[0];
  }
}
