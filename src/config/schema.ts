// Every server setting once: its config-file key, environment variable, flag, TypeBox type
// (range, default, meaning). loadConfig validates against it and docs/CONFIGURATION.md is
// generated from it (scripts/gen-config-docs.ts), so the two cannot drift apart.
import { type TSchema, Type } from '@sinclair/typebox';
import { QUOTA_DEFAULTS } from '../domain/quotas.ts';

export interface Setting {
  /** Key in the config file; a dot nests it ("http.headersTimeoutMs" is {"http":{"headersTimeoutMs":…}}). */
  key: string;
  env?: string;
  /** `sitevpn serve` flag (of `sitevpn` itself when globalFlag). */
  flag?: string;
  globalFlag?: boolean;
  /** Type and range; `default` when the default is a constant, `description` is the meaning. */
  schema: TSchema;
  /** The default in words when it is computed from other settings. */
  defaultText?: string;
  /** Never echoed in an error message. */
  secret?: boolean;
  /** A list: comma-separated in the environment and flags, a JSON array in the file. */
  list?: boolean;
}

const DAY_MS = 86_400_000;
const int = (minimum: number, maximum: number, description: string, dflt?: number) =>
  Type.Integer({ minimum, maximum, description, ...(dflt === undefined ? {} : { default: dflt }) });
const text = (description: string, dflt?: string) =>
  Type.String({ minLength: 1, description, ...(dflt === undefined ? {} : { default: dflt }) });
const oneOf = <T extends string>(values: readonly T[], description: string, dflt: T) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description, default: dflt },
  );

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const SETTINGS: Setting[] = [
  { key: 'host', env: 'SITEVPN_HOST', flag: '--host', schema: text('listen address', '127.0.0.1') },
  { key: 'port', env: 'SITEVPN_PORT', flag: '--port', schema: int(0, 65535, 'listen port (0: any free port)', 8787) },
  {
    key: 'role',
    env: 'SITEVPN_ROLE',
    flag: '--role',
    schema: oneOf(['api', 'dataplane', 'all'] as const, 'what this process runs: the API, the data plane, or both', 'all'),
  },
  {
    key: 'leaseSeconds',
    env: 'SITEVPN_LEASE_SECONDS',
    schema: int(1, 3600, 'how long the data-plane lease lasts without renewal, seconds', 15),
  },
  { key: 'dataplaneHost', env: 'SITEVPN_DATAPLANE_HOST', schema: text('name of the data-plane host this process speaks for (optional)') },
  {
    key: 'dataDir',
    env: 'SITEVPN_DATA_DIR',
    flag: '--data-dir',
    globalFlag: true,
    schema: text('SQLite database (WAL) and the master key file', './data'),
  },
  { key: 'databaseFile', schema: text('the SQLite file'), defaultText: '`<dataDir>/sitevpn.db`' },
  {
    key: 'databaseUrl',
    env: 'SITEVPN_DATABASE_URL',
    secret: true,
    defaultText: '(SQLite)',
    schema: Type.String({
      pattern: '^postgres(ql)?://',
      description: 'use PostgreSQL instead of the SQLite file: postgres://user:password@host:port/database',
    }),
  },
  {
    key: 'masterKey',
    env: 'SITEVPN_MASTER_KEY',
    secret: true,
    defaultText: '(key file)',
    schema: text('32-byte key (64 hex or base64) encrypting secrets at rest; otherwise the key file'),
  },
  {
    key: 'previousKeys',
    env: 'SITEVPN_MASTER_KEY_PREVIOUS',
    secret: true,
    list: true,
    schema: Type.Array(Type.String({ minLength: 1 }), {
      description: 'older master keys that still open secrets while `sitevpn secrets rotate-master-key` re-seals them',
      default: [],
    }),
  },
  {
    key: 'masterKeyFile',
    env: 'SITEVPN_MASTER_KEY_FILE',
    schema: text('the key file, created with mode 0600 in a 0700 directory'),
    defaultText: '`<dataDir>/master.key`',
  },
  {
    key: 'bootstrap.accessKeyId',
    env: 'SITEVPN_ACCESS_KEY_ID',
    defaultText: '(generated)',
    schema: text('the first access key, for scripts and containers'),
  },
  {
    key: 'bootstrap.secretAccessKey',
    env: 'SITEVPN_SECRET_ACCESS_KEY',
    secret: true,
    defaultText: '(generated)',
    schema: text('the secret of the first access key'),
  },
  {
    key: 'bootstrap.projectId',
    env: 'SITEVPN_PROJECT_ID',
    defaultText: '(generated)',
    schema: text('the first project id (32 lower-case hex characters)'),
  },
  {
    key: 'outsideIpPool',
    env: 'SITEVPN_OUTSIDE_IP_POOL',
    schema: text('gateway outside IPs are allocated from this block', '203.0.113.0/24'),
  },
  {
    key: 'regions',
    env: 'SITEVPN_REGIONS',
    list: true,
    schema: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'regions accepted in SigV4 credential scopes',
      default: ['us-east-1', 'cn-north-4'],
    }),
  },
  {
    key: 'dataplane',
    env: 'SITEVPN_DATAPLANE',
    flag: '--dataplane',
    schema: oneOf(['simulated', 'strongswan'] as const, 'the data plane', 'simulated'),
  },
  { key: 'viciUri', env: 'SITEVPN_VICI', flag: '--vici', schema: text('strongSwan VICI socket URI, e.g. unix:///var/run/charon.vici') },
  {
    key: 'simulatedDelayMs',
    env: 'SITEVPN_SIMULATED_DELAY_MS',
    schema: int(0, DAY_MS, 'delay before the simulated data plane reports, ms', 20),
  },
  {
    key: 'logLevel',
    env: 'SITEVPN_LOG_LEVEL',
    flag: '--log-level',
    schema: oneOf(
      LOG_LEVELS,
      'pino level; one JSON line per request at info, headers and body at trace (secrets redacted at every level)',
      'info',
    ),
  },
  {
    key: 'bodyLimitBytes',
    env: 'SITEVPN_BODY_LIMIT_BYTES',
    schema: int(1024, 1024 ** 3, 'largest request body accepted, bytes', 1024 * 1024),
  },
  {
    key: 'quotas.gateways',
    env: 'SITEVPN_QUOTA_VPN_GATEWAYS',
    schema: int(1, 1_000_000, 'VPN gateways per project', QUOTA_DEFAULTS.gateways),
  },
  {
    key: 'quotas.customerGateways',
    env: 'SITEVPN_QUOTA_CUSTOMER_GATEWAYS',
    schema: int(1, 1_000_000, 'customer gateways per project', QUOTA_DEFAULTS.customerGateways),
  },
  {
    key: 'quotas.connections',
    env: 'SITEVPN_QUOTA_VPN_CONNECTIONS',
    schema: int(1, 1_000_000, 'VPN connections per project', QUOTA_DEFAULTS.connections),
  },
  {
    key: 'deletion.retentionSeconds',
    env: 'SITEVPN_DELETED_RETENTION_SECONDS',
    schema: int(
      0,
      31_536_000,
      "how long EC2's Describe still shows a deleted resource before it is purged (0: not at all); the Huawei dialect answers 404 at once",
      3600,
    ),
  },
  {
    key: 'deletion.deletingSeconds',
    env: 'SITEVPN_DELETING_SECONDS',
    schema: int(0, 31_536_000, 'how much of that retention it shows `deleting` before `deleted` (at most the retention)', 5),
  },
  {
    key: 'events.maxPerTunnel',
    env: 'SITEVPN_TUNNEL_EVENTS_MAX',
    schema: int(1, 1_000_000, 'tunnel history rows kept per tunnel; older ones are dropped as new ones arrive', 1000),
  },
  {
    key: 'events.maxAgeHours',
    env: 'SITEVPN_TUNNEL_EVENTS_MAX_AGE_HOURS',
    schema: int(1, 87_600, 'tunnel history older than this is purged, hours', 720),
  },
  {
    key: 'events.deletedRetentionMinutes',
    env: 'SITEVPN_TUNNEL_EVENTS_DELETED_RETENTION_MINUTES',
    schema: int(1, 525_600, 'the history of a deleted connection is purged this long after the delete, minutes', 60),
  },
  {
    key: 'http.headersTimeoutMs',
    env: 'SITEVPN_HEADERS_TIMEOUT_MS',
    schema: int(
      1,
      DAY_MS,
      "time to complete a TLS handshake, and to receive a request's headers (HTTP/1.1, also over TLS), then 408 in the dialect's format, ms",
      10_000,
    ),
  },
  {
    key: 'http.requestTimeoutMs',
    env: 'SITEVPN_REQUEST_TIMEOUT_MS',
    schema: int(
      1,
      DAY_MS,
      'time to receive a whole request, body included (HTTP/1.1 and HTTP/2), at least the headers timeout, ms',
      30_000,
    ),
  },
  {
    key: 'http.idleTimeoutMs',
    env: 'SITEVPN_IDLE_TIMEOUT_MS',
    schema: int(1, DAY_MS, 'a connection (or HTTP/2 session) with no traffic either way is closed (event streams excepted), ms', 60_000),
  },
  {
    key: 'http.keepAliveTimeoutMs',
    env: 'SITEVPN_KEEP_ALIVE_TIMEOUT_MS',
    schema: int(1, DAY_MS, 'how long a kept-alive HTTP/1.1 connection waits for its next request, ms', 5_000),
  },
  {
    key: 'http.maxConnections',
    env: 'SITEVPN_MAX_CONNECTIONS',
    schema: int(1, 1_000_000, 'open connections at most, with or without TLS; further ones are closed at once', 1024),
  },
  {
    key: 'rateLimit.perSecond',
    env: 'SITEVPN_RATE_LIMIT_PER_SECOND',
    schema: int(
      0,
      1_000_000,
      'requests per second per access key (0: off); over it EC2 answers RequestLimitExceeded (503), Huawei VPN.0030 (429)',
      0,
    ),
  },
  {
    key: 'rateLimit.burst',
    env: 'SITEVPN_RATE_LIMIT_BURST',
    defaultText: 'twice the rate, at least 1',
    schema: int(1, 10_000_000, 'requests a key may save up and spend at once'),
  },
  {
    key: 'tls.certFile',
    env: 'SITEVPN_TLS_CERT',
    flag: '--tls-cert',
    schema: text('PEM certificate: HTTPS with HTTP/2 and HTTP/1.1 on the same port (with tls.keyFile, both or neither)'),
  },
  { key: 'tls.keyFile', env: 'SITEVPN_TLS_KEY', flag: '--tls-key', schema: text('PEM private key of the certificate') },
];

export const SETTING_BY_KEY = new Map(SETTINGS.map((s) => [s.key, s]));

/** The config file's schema: the settings nested by their dotted keys, nothing else allowed. */
export function fileSchema(): TSchema {
  type Tree = Map<string, Tree | TSchema>;
  const root: Tree = new Map();
  for (const s of SETTINGS) {
    const parts = s.key.split('.');
    let node = root;
    for (const p of parts.slice(0, -1)) {
      if (!node.has(p)) node.set(p, new Map());
      node = node.get(p) as Tree;
    }
    node.set(parts[parts.length - 1], s.schema);
  }
  const build = (tree: Tree): TSchema =>
    Type.Object(Object.fromEntries([...tree].map(([k, v]) => [k, Type.Optional(v instanceof Map ? build(v) : v)])), {
      additionalProperties: false,
    });
  return build(root);
}
