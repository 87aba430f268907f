// Typed configuration, built once from defaults, an optional JSON config file, the environment
// and CLI flags (in that order of precedence), validated against the schema (schema.ts), and
// passed down through constructors; nothing reads process.env at module scope.
import { join, resolve } from 'node:path';
import { SETTINGS } from './schema.ts';
import { ConfigError, checked, envLayer, fileLayer, flagLayer, type Layer } from './sources.ts';

export { ConfigError } from './sources.ts';

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

export type ConfigFlags = Partial<
  Omit<SitevpnConfig, 'port' | 'leaseSeconds' | 'http' | 'rateLimit' | 'quotas' | 'deletion' | 'bootstrap' | 'tls'>
> & {
  port?: number | string;
  leaseSeconds?: number | string;
  http?: Partial<HttpLimits>;
  rateLimit?: Partial<SitevpnConfig['rateLimit']>;
  quotas?: Partial<SitevpnConfig['quotas']>;
  deletion?: Partial<SitevpnConfig['deletion']>;
  bootstrap?: Partial<SitevpnConfig['bootstrap']>;
  tlsCert?: string;
  tlsKey?: string;
  /** The JSON config file (`serve --config`); otherwise SITEVPN_SERVER_CONFIG names it. */
  configFile?: string;
};

const NESTED = ['http', 'rateLimit', 'quotas', 'deletion', 'bootstrap'] as const;

/** Flags by setting key ("http.headersTimeoutMs"); `events` (in ms) and configFile are not settings. */
function flagValues(flags: ConfigFlags): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flags)) {
    if (k === 'events' || k === 'configFile') continue;
    if ((NESTED as readonly string[]).includes(k) && v) for (const [sub, x] of Object.entries(v)) out[`${k}.${sub}`] = x;
    else if (k === 'tlsCert') out['tls.certFile'] = v;
    else if (k === 'tlsKey') out['tls.keyFile'] = v;
    else out[k] = v;
  }
  return out;
}

/**
 * The configuration, or a ConfigError naming the first bad setting and where its value came from.
 * Precedence: default < config file < environment < flags.
 */
export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): SitevpnConfig {
  const configFile = flags.configFile ?? (env.SITEVPN_SERVER_CONFIG || undefined);
  const layers: Layer[] = [flagLayer(flagValues(flags)), envLayer(env), ...(configFile ? [fileLayer(configFile)] : [])];
  const values = new Map<string, unknown>();
  const origin = new Map<string, string>();
  for (const s of SETTINGS) {
    const source = layers.map((l) => l.get(s.key)).find((x) => x !== undefined);
    if (source) {
      values.set(s.key, checked(s, source));
      origin.set(s.key, source.label);
    } else if (s.schema.default !== undefined) values.set(s.key, structuredClone(s.schema.default)); // no config shares a default list
  }
  const get = <T>(key: string) => values.get(key) as T;
  const named = (key: string) => origin.get(key) ?? `the default of ${SETTINGS.find((s) => s.key === key)?.env ?? key}`;

  const dataDir = resolve(get<string>('dataDir'));
  const deletion = { retentionSeconds: get<number>('deletion.retentionSeconds'), deletingSeconds: get<number>('deletion.deletingSeconds') };
  if (deletion.deletingSeconds > deletion.retentionSeconds) {
    throw new ConfigError(
      `${named('deletion.deletingSeconds')} must be at most the retention (${named('deletion.retentionSeconds')}, ${deletion.retentionSeconds}), got ${deletion.deletingSeconds}`,
    );
  }
  const http: HttpLimits = {
    headersTimeoutMs: get('http.headersTimeoutMs'),
    requestTimeoutMs: get('http.requestTimeoutMs'),
    idleTimeoutMs: get('http.idleTimeoutMs'),
    keepAliveTimeoutMs: get('http.keepAliveTimeoutMs'),
    maxConnections: get('http.maxConnections'),
  };
  // Node refuses a headers timeout longer than the whole-request timeout.
  if (http.headersTimeoutMs > http.requestTimeoutMs) {
    throw new ConfigError(
      `${named('http.headersTimeoutMs')} must be at most the request timeout (${named('http.requestTimeoutMs')}, ${http.requestTimeoutMs}), got ${http.headersTimeoutMs}`,
    );
  }
  const perSecond = get<number>('rateLimit.perSecond');
  const certFile = get<string | undefined>('tls.certFile');
  const keyFile = get<string | undefined>('tls.keyFile');
  if (!certFile !== !keyFile) {
    throw new ConfigError(
      'TLS needs both a certificate and a key: --tls-cert and --tls-key (SITEVPN_TLS_CERT, SITEVPN_TLS_KEY; tls.certFile and tls.keyFile in the config file)',
    );
  }
  return {
    host: get('host'),
    port: get('port'),
    role: get('role'),
    leaseSeconds: get('leaseSeconds'),
    dataplaneHost: get('dataplaneHost'),
    dataDir,
    databaseFile: resolve(get<string | undefined>('databaseFile') ?? join(dataDir, 'sitevpn.db')),
    databaseUrl: get('databaseUrl'),
    masterKey: get('masterKey'),
    previousKeys: get('previousKeys'),
    masterKeyFile: get<string | undefined>('masterKeyFile') ?? join(dataDir, 'master.key'),
    bootstrap: {
      accessKeyId: get('bootstrap.accessKeyId'),
      secretAccessKey: get('bootstrap.secretAccessKey'),
      projectId: get('bootstrap.projectId'),
    },
    outsideIpPool: get('outsideIpPool'),
    regions: get('regions'),
    dataplane: get('dataplane'),
    viciUri: get('viciUri'),
    simulatedDelayMs: get('simulatedDelayMs'),
    logLevel: get('logLevel'),
    bodyLimitBytes: get('bodyLimitBytes'),
    events: flags.events ?? {
      maxPerTunnel: get('events.maxPerTunnel'),
      maxAgeMs: get<number>('events.maxAgeHours') * 3600_000,
      deletedRetentionMs: get<number>('events.deletedRetentionMinutes') * 60_000,
    },
    quotas: { gateways: get('quotas.gateways'), customerGateways: get('quotas.customerGateways'), connections: get('quotas.connections') },
    deletion,
    http,
    rateLimit: { perSecond, burst: get<number | undefined>('rateLimit.burst') ?? Math.max(1, perSecond * 2) },
    tls: certFile && keyFile ? { certFile: resolve(certFile), keyFile: resolve(keyFile) } : undefined,
  };
}
