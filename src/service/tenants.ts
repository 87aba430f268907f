// Tenants, projects and access keys: first-start bootstrap, the CLI's credential commands, and
// the key lookups every signed request needs (cached, since they sit on the hot path).
import type { AccessKey, KeyPolicy, Project, Tenant } from '../domain/entities.ts';
import { DomainError } from '../domain/errors.ts';
import { newAccessKeyId, newAccountId, newProjectId, newSecretKey } from '../domain/ids.ts';
import type { Clock } from '../domain/ports.ts';
import type { Store } from '../store/store.ts';

/**
 * What the start did with SITEVPN_ACCESS_KEY_ID: 'created-tenant' (first start), 'added-key' (a new
 * bootstrap key joined the existing bootstrap tenant), 'key-present' (nothing to do), 'none' (no
 * key configured and tenants exist).
 */
export type BootstrapAction = 'created-tenant' | 'added-key' | 'key-present' | 'none';

export interface BootstrapResult {
  created: boolean;
  action: BootstrapAction;
  /** One line for the operator saying what was done. */
  message: string;
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

/** The name the first start gives its tenant; `createTenant` names others 'tenant'. */
const BOOTSTRAP_TENANT = 'default';

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
   * On a first start (no tenant yet) creates the bootstrap tenant with one project and one key,
   * from the given values or fresh random ones. Later starts never create a second tenant: a
   * SITEVPN_ACCESS_KEY_ID the store does not hold becomes another admin key of the bootstrap
   * tenant (the oldest tenant created by a first start), and earlier keys stay valid until revoked.
   */
  /** Under the store's bootstrap lock: instances starting together on an empty database make one tenant. */
  bootstrap(input: BootstrapInput): Promise<BootstrapResult> {
    const run = () => this.#bootstrap(input);
    return this.#store.exclusively ? this.#store.exclusively('bootstrap', run) : run();
  }

  async #bootstrap(input: BootstrapInput): Promise<BootstrapResult> {
    if (input.projectId && !/^[0-9a-f]{32}$/.test(input.projectId)) {
      throw new DomainError('InvalidParameter', 'SITEVPN_PROJECT_ID must be 32 lower-case hex characters');
    }
    if (input.accessKeyId) {
      const existing = await this.#store.getAccessKey(input.accessKeyId);
      if (existing) {
        const differs = input.secretAccessKey !== undefined && input.secretAccessKey !== existing.secret;
        const note = differs
          ? '; SITEVPN_SECRET_ACCESS_KEY differs from its stored secret, which stays in force (delete the key and restart to replace it)'
          : '';
        return {
          created: false,
          action: 'key-present',
          key: existing,
          message: `access key ${input.accessKeyId} already present (tenant ${existing.tenantId})${note}`,
        };
      }
      if (!input.secretAccessKey)
        throw new DomainError('MissingParameter', 'SITEVPN_SECRET_ACCESS_KEY must be set with SITEVPN_ACCESS_KEY_ID');
    }
    const tenants = await this.#store.listTenants();
    if (tenants.length === 0) return this.#firstStart(input);
    if (!input.accessKeyId)
      return { created: false, action: 'none', message: `${tenants.length} tenant(s) present; no SITEVPN_ACCESS_KEY_ID to add` };
    const tenant = tenants.find((t) => t.name === BOOTSTRAP_TENANT) ?? tenants[0];
    const now = new Date(this.#clock.now()).toISOString();
    let project: Project | undefined;
    if (input.projectId) {
      project = await this.#store.getProject(input.projectId);
      if (project && project.tenantId !== tenant.id) {
        throw new DomainError(
          'InvalidParameter',
          `SITEVPN_PROJECT_ID ${input.projectId} belongs to tenant ${project.tenantId}, not to the bootstrap tenant ${tenant.id}`,
        );
      }
      if (!project) {
        project = { id: input.projectId, tenantId: tenant.id, name: input.region, region: input.region, createdAt: now };
        await this.#store.createProject(project);
      }
    }
    project ??= (await this.#store.listProjects(tenant.id))[0];
    const key: AccessKey = {
      accessKeyId: input.accessKeyId,
      tenantId: tenant.id,
      secret: input.secretAccessKey!,
      policy: 'admin',
      description: 'bootstrap key (SITEVPN_ACCESS_KEY_ID)',
      createdAt: now,
    };
    await this.#store.putAccessKey(key);
    const others = (await this.#store.listAccessKeys(tenant.id)).filter((k) => k.accessKeyId !== key.accessKeyId).map((k) => k.accessKeyId);
    const kept = others.length ? `; its other keys (${others.join(', ')}) stay valid until deleted` : '';
    return {
      created: false,
      action: 'added-key',
      tenant,
      project,
      key,
      message: `added access key ${key.accessKeyId} to the existing bootstrap tenant ${tenant.id}${kept}`,
    };
  }

  async #firstStart(input: BootstrapInput): Promise<BootstrapResult> {
    const now = new Date(this.#clock.now()).toISOString();
    const tenant: Tenant = { id: newProjectId(), accountId: newAccountId(), name: BOOTSTRAP_TENANT, createdAt: now };
    const project: Project = {
      id: input.projectId ?? newProjectId(),
      tenantId: tenant.id,
      name: input.region,
      region: input.region,
      createdAt: now,
    };
    const key: AccessKey = {
      accessKeyId: input.accessKeyId ?? newAccessKeyId(),
      tenantId: tenant.id,
      secret: input.secretAccessKey ?? newSecretKey(),
      policy: 'admin',
      description: 'created at first start',
      createdAt: now,
    };
    await this.#store.createTenant(tenant, project, key);
    return {
      created: true,
      action: 'created-tenant',
      tenant,
      project,
      key,
      message: `created tenant ${tenant.id} with project ${project.id} and access key ${key.accessKeyId}`,
    };
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
    const key: AccessKey = {
      accessKeyId: newAccessKeyId(),
      tenantId: tenant.id,
      secret: newSecretKey(),
      policy: 'admin',
      description: 'tenant key',
      createdAt: now,
    };
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
