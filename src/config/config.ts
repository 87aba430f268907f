// Typed configuration, built once from the environment and CLI flags and passed down through
// constructors; nothing reads process.env at module scope.
import { join, resolve } from 'node:path';
import { QUOTA_DEFAULTS } from '../domain/quotas.ts';

export type DataplaneKind = 'simulated' | 'strongswan';
/** What one process runs: the API, the data plane (gateway owner by lease), or both (issue 13). */
export type ServeRole = 'api' | 'dataplane' | 'all';

export interface SitevpnConfig {
  host: string;
  port: number;
  dataDir: string;
  /** SQLite file; PostgreSQL when databaseUrl is set. */
  databaseFile: string;
  databaseUrl?: string;
  masterKey?: string;
  /** SITEVPN_MASTER_KEY_PREVIOUS: keys that still open secrets while a rotation re-seals them. */
  previousKeys?: string[];
  masterKeyFile: string;
  /** Bounds of the tunnel event history (SITEVPN_TUNNEL_EVENTS_*). */
  events: { maxPerTunnel: number; maxAgeMs: number; deletedRetentionMs: number };
  bootstrap: { accessKeyId?: string; secretAccessKey?: string; projectId?: string };
  /** Gateway outside IPs are allocated from this block. */
  outsideIpPool: string;
  /** Regions the EC2 dialect accepts in SigV4 credential scopes. */
  regions: string[];
  dataplane: DataplaneKind;
  viciUri?: string;
  /** Delay before the simulated data plane reports, in ms. */
  simulatedDelayMs: number;
  logLevel: string;
  bodyLimitBytes: number;
  quotas: { gateways: number; customerGateways: number; connections: number };
  /** How long EC2's Describe still shows a deleted resource, and how long of that it is `deleting`. */
  deletion: { retentionSeconds: number; deletingSeconds: number };
  /** Limits that keep slow or idle clients from holding sockets. */
  http: HttpLimits;
  /** Per-access-key request rate; off when perSecond is 0. */
  rateLimit: { perSecond: number; burst: number };
  /** HTTPS (HTTP/2 and HTTP/1.1) with this certificate and key, PEM files (SITEVPN_TLS_CERT, SITEVPN_TLS_KEY). */
  tls?: { certFile: string; keyFile: string };
  /** SITEVPN_ROLE / serve --role: api and dataplane need PostgreSQL. */
  role: ServeRole;
  /** SITEVPN_LEASE_SECONDS: a gateway lease lasts this long unrenewed before another data-plane instance takes it over. */
  leaseSeconds: number;
  /** SITEVPN_DATAPLANE_HOST: a data-plane instance bound to a host takes only gateways of that host. */
  dataplaneHost?: string;
}

export interface HttpLimits {
  /** Time to receive a request's headers, ms. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included, ms. */
  requestTimeoutMs: number;
  /** A socket with no traffic either way is closed after this long, ms. */
  idleTimeoutMs: number;
  /** How long a kept-alive connection waits for its next request, ms. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; further ones are closed at once. */
  maxConnections: number;
}

/** A whole number from the flags or the environment, within [min, max], else the default. */
function intSetting(value: number | string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}: ${value}`);
  return n;
}

function httpLimits(env: NodeJS.ProcessEnv, flags: Partial<HttpLimits> = {}): HttpLimits {
  const day = 86_400_000;
  const limits: HttpLimits = {
    headersTimeoutMs: intSetting(flags.headersTimeoutMs ?? env.SITEVPN_HEADERS_TIMEOUT_MS, 'SITEVPN_HEADERS_TIMEOUT_MS', 10_000, 1, day),
    requestTimeoutMs: intSetting(flags.requestTimeoutMs ?? env.SITEVPN_REQUEST_TIMEOUT_MS, 'SITEVPN_REQUEST_TIMEOUT_MS', 30_000, 1, day),
    idleTimeoutMs: intSetting(flags.idleTimeoutMs ?? env.SITEVPN_IDLE_TIMEOUT_MS, 'SITEVPN_IDLE_TIMEOUT_MS', 60_000, 1, day),
    keepAliveTimeoutMs: intSetting(flags.keepAliveTimeoutMs ?? env.SITEVPN_KEEP_ALIVE_TIMEOUT_MS, 'SITEVPN_KEEP_ALIVE_TIMEOUT_MS', 5_000, 1, day),
    maxConnections: intSetting(flags.maxConnections ?? env.SITEVPN_MAX_CONNECTIONS, 'SITEVPN_MAX_CONNECTIONS', 1024, 1, 1_000_000),
  };
  // Node refuses a headers timeout longer than the whole-request timeout.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) throw new Error('SITEVPN_HEADERS_TIMEOUT_MS must not exceed SITEVPN_REQUEST_TIMEOUT_MS');
  return limits;
}

function rateLimit(env: NodeJS.ProcessEnv, flags: Partial<SitevpnConfig['rateLimit']> = {}): SitevpnConfig['rateLimit'] {
  const perSecond = intSetting(flags.perSecond ?? env.SITEVPN_RATE_LIMIT_PER_SECOND, 'SITEVPN_RATE_LIMIT_PER_SECOND', 0, 0, 1_000_000);
  const burst = intSetting(flags.burst ?? env.SITEVPN_RATE_LIMIT_BURST, 'SITEVPN_RATE_LIMIT_BURST', Math.max(1, perSecond * 2), 1, 10_000_000);
  return { perSecond, burst };
}

export type ConfigFlags = Partial<Omit<SitevpnConfig, 'http' | 'rateLimit' | 'tls'>> & {
  http?: Partial<HttpLimits>;
  rateLimit?: Partial<SitevpnConfig['rateLimit']>;
  tlsCert?: string;
  tlsKey?: string;
};

/** Both files or neither. */
function tlsFiles(env: NodeJS.ProcessEnv, flags: ConfigFlags): SitevpnConfig['tls'] {
  const certFile = flags.tlsCert || env.SITEVPN_TLS_CERT || undefined;
  const keyFile = flags.tlsKey || env.SITEVPN_TLS_KEY || undefined;
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new Error('TLS needs both a certificate and a key: --tls-cert and --tls-key (SITEVPN_TLS_CERT, SITEVPN_TLS_KEY)');
  return { certFile: resolve(certFile), keyFile: resolve(keyFile) };
}

export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): SitevpnConfig {
  const dataDir = resolve(flags.dataDir ?? env.SITEVPN_DATA_DIR ?? './data');
  const port = Number(flags.port ?? env.SITEVPN_PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${port}`);
  const deletion = flags.deletion ?? {
    retentionSeconds: Number(env.SITEVPN_DELETED_RETENTION_SECONDS ?? 3600),
    deletingSeconds: Number(env.SITEVPN_DELETING_SECONDS ?? 5),
  };
  if (!Number.isInteger(deletion.retentionSeconds) || deletion.retentionSeconds < 0) {
    throw new Error(`invalid SITEVPN_DELETED_RETENTION_SECONDS: ${deletion.retentionSeconds} (a whole number of seconds, 0 or more)`);
  }
  if (!Number.isInteger(deletion.deletingSeconds) || deletion.deletingSeconds < 0 || deletion.deletingSeconds > deletion.retentionSeconds) {
    throw new Error(`invalid SITEVPN_DELETING_SECONDS: ${deletion.deletingSeconds} (a whole number of seconds, at most the retention)`);
  }
  return {
    deletion,
    host: flags.host ?? env.SITEVPN_HOST ?? '127.0.0.1',
    port,
    dataDir,
    databaseFile: flags.databaseFile ?? join(dataDir, 'sitevpn.db'),
    databaseUrl: databaseUrl(flags.databaseUrl ?? env.SITEVPN_DATABASE_URL),
    masterKey: env.SITEVPN_MASTER_KEY,
    previousKeys: (env.SITEVPN_MASTER_KEY_PREVIOUS ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    masterKeyFile: flags.masterKeyFile ?? env.SITEVPN_MASTER_KEY_FILE ?? join(dataDir, 'master.key'),
    bootstrap: {
      accessKeyId: env.SITEVPN_ACCESS_KEY_ID,
      secretAccessKey: env.SITEVPN_SECRET_ACCESS_KEY,
      projectId: env.SITEVPN_PROJECT_ID,
    },
    outsideIpPool: flags.outsideIpPool ?? env.SITEVPN_OUTSIDE_IP_POOL ?? '203.0.113.0/24',
    regions: flags.regions ?? (env.SITEVPN_REGIONS ?? 'us-east-1,cn-north-4').split(',').map((r) => r.trim()).filter(Boolean),
    dataplane: dataplaneKind(flags.dataplane ?? env.SITEVPN_DATAPLANE),
    viciUri: flags.viciUri ?? env.SITEVPN_VICI,
    simulatedDelayMs: flags.simulatedDelayMs ?? Number(env.SITEVPN_SIMULATED_DELAY_MS ?? 20),
    logLevel: flags.logLevel ?? env.SITEVPN_LOG_LEVEL ?? 'info',
    bodyLimitBytes: flags.bodyLimitBytes ?? 1024 * 1024,
    events: flags.events ?? {
      maxPerTunnel: positiveInt(env, 'SITEVPN_TUNNEL_EVENTS_MAX', 1000),
      maxAgeMs: positiveInt(env, 'SITEVPN_TUNNEL_EVENTS_MAX_AGE_HOURS', 720) * 3600_000,
      deletedRetentionMs: positiveInt(env, 'SITEVPN_TUNNEL_EVENTS_DELETED_RETENTION_MINUTES', 60) * 60_000,
    },
    quotas: flags.quotas ?? {
      gateways: positiveInt(env, 'SITEVPN_QUOTA_VPN_GATEWAYS', QUOTA_DEFAULTS.gateways),
      customerGateways: positiveInt(env, 'SITEVPN_QUOTA_CUSTOMER_GATEWAYS', QUOTA_DEFAULTS.customerGateways),
      connections: positiveInt(env, 'SITEVPN_QUOTA_VPN_CONNECTIONS', QUOTA_DEFAULTS.connections),
    },
    http: httpLimits(env, flags.http),
    rateLimit: rateLimit(env, flags.rateLimit),
    tls: tlsFiles(env, flags),
    role: serveRole(flags.role ?? env.SITEVPN_ROLE),
    leaseSeconds: intSetting(flags.leaseSeconds ?? env.SITEVPN_LEASE_SECONDS, 'SITEVPN_LEASE_SECONDS', 15, 1, 3600),
    dataplaneHost: flags.dataplaneHost || env.SITEVPN_DATAPLANE_HOST || undefined,
  };
}

function serveRole(value: string | undefined): ServeRole {
  if (value === undefined || value === '') return 'all';
  if (value === 'api' || value === 'dataplane' || value === 'all') return value;
  throw new Error(`SITEVPN_ROLE must be api, dataplane or all, got ${JSON.stringify(value)}`);
}

/** A PostgreSQL URL (postgres:// or postgresql://), or none for the embedded SQLite store. */
function databaseUrl(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    // The value may hold a password: it is never echoed.
    throw new Error('invalid SITEVPN_DATABASE_URL: expected postgres://user:password@host:port/database');
  }
  return text;
}

function dataplaneKind(value: string | undefined): DataplaneKind {
  if (value === undefined || value === '') return 'simulated';
  if (value === 'simulated' || value === 'strongswan') return value;
  throw new Error(`SITEVPN_DATAPLANE must be simulated or strongswan, got ${JSON.stringify(value)}`);
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return n;
}
