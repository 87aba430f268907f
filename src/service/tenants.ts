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

/** Keys kept in memory at most; the oldest found is dropped first. */
const KEY_CACHE_MAX = 10_000;

export interface TenantServiceOptions {
  /** How often open key watches (event streams) look for revoked keys, in ms. */
  keyWatchIntervalMs?: number;
}

interface KeyWatch {
  accessKeyId: string;
  stillValid: (key: AccessKey | undefined) => boolean;
  onRevoked: () => void;
}

export class TenantService {
  readonly #store: Store;
  readonly #clock: Clock;
  /**
   * Keys as found, valid for one access-key revision of the store: any change to any key, by any
   * process, empties the cache before the next lookup.
   */
  readonly #keyCache = new Map<string, AccessKey>();
  #keyRevision: number | undefined;
  readonly #watches = new Set<KeyWatch>();
  readonly #watchIntervalMs: number;
  #watchTimer: ReturnType<typeof setInterval> | undefined;
  #watchedRevision: number | undefined;
  /** Projects never change owner, so a found one stays cached. */
  readonly #projectCache = new Map<string, Project>();
  readonly #defaultProjects = new Map<string, Project>();

  constructor(store: Store, clock: Clock, options: TenantServiceOptions = {}) {
    this.#store = store;
    this.#clock = clock;
    this.#watchIntervalMs = options.keyWatchIntervalMs ?? 200;
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
    await this.#checkWatches();
    return updated;
  }

  async deleteKey(accessKeyId: string): Promise<void> {
    if (!(await this.#store.deleteAccessKey(accessKeyId))) throw DomainError.notFound('AccessKey', accessKeyId);
    await this.#checkWatches();
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

  /**
   * The key for a signed request. A cached key costs one revision check (no key query); a key
   * deleted or changed by any process is seen on the very next request.
   */
  async findKey(accessKeyId: string): Promise<AccessKey | undefined> {
    await this.#syncKeyCache();
    const hit = this.#keyCache.get(accessKeyId);
    if (hit) return hit;
    const key = await this.#store.getAccessKey(accessKeyId);
    if (key) {
      if (this.#keyCache.size >= KEY_CACHE_MAX) this.#keyCache.delete(this.#keyCache.keys().next().value as string);
      this.#keyCache.set(accessKeyId, key);
    }
    return key;
  }

  /**
   * Calls onRevoked once, soon after the key is deleted or changed so that stillValid refuses it
   * (by this or another process). For long-lived answers such as event streams, which see no
   * further request to refuse. Returns the function that stops watching.
   */
  watchKey(accessKeyId: string, stillValid: KeyWatch['stillValid'], onRevoked: () => void): () => void {
    const watch: KeyWatch = { accessKeyId, stillValid, onRevoked };
    this.#watches.add(watch);
    if (!this.#watchTimer) {
      this.#watchTimer = setInterval(() => void this.#checkWatches(), this.#watchIntervalMs);
      this.#watchTimer.unref();
    }
    return () => this.#unwatch(watch);
  }

  async #syncKeyCache(): Promise<void> {
    const revision = await this.#store.accessKeyRevision();
    if (revision !== this.#keyRevision) {
      this.#keyCache.clear();
      this.#keyRevision = revision;
    }
  }

  #unwatch(watch: KeyWatch): void {
    this.#watches.delete(watch);
    if (this.#watches.size === 0 && this.#watchTimer) {
      clearInterval(this.#watchTimer);
      this.#watchTimer = undefined;
      this.#watchedRevision = undefined;
    }
  }

  async #checkWatches(): Promise<void> {
    if (this.#watches.size === 0) return;
    try {
      const revision = await this.#store.accessKeyRevision();
      if (revision === this.#watchedRevision) return;
      this.#watchedRevision = revision;
      for (const watch of [...this.#watches]) {
        if (watch.stillValid(await this.findKey(watch.accessKeyId))) continue;
        this.#unwatch(watch);
        watch.onRevoked();
      }
    } catch {
      // The store is closing; its watches end with the server.
    }
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
