// A throwaway PostgreSQL for tests: Debian's `postgresql` package, initdb into a temporary
// directory as an unprivileged user, listening only on a unix socket in that directory (no TCP),
// stopped and removed afterwards. Without the binaries the callers skip loudly, or fail under CI.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const BIN_ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin directory, or undefined. */
export function postgresBin(): string | undefined {
  if (process.env.SITEVPN_PG_BIN) return process.env.SITEVPN_PG_BIN;
  if (!existsSync(BIN_ROOT)) return undefined;
  const versions = readdirSync(BIN_ROOT)
    .filter((v) => existsSync(join(BIN_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(BIN_ROOT, versions[0], 'bin');
}

/** Why PostgreSQL tests cannot run here; throws under CI=true instead of skipping. */
export function postgresSkipReason(): string | undefined {
  if (postgresBin()) return undefined;
  const reason = `PostgreSQL tests SKIPPED: no initdb under ${BIN_ROOT}/*/bin; install the Debian package "postgresql"`;
  if (process.env.CI === 'true') throw new Error(`${reason} (CI=true: PostgreSQL tests must run)`);
  process.stderr.write(`\n*** ${reason} ***\n\n`);
  return reason;
}

export interface TestPostgres {
  /** Connection URL of the `postgres` database (over the private unix socket). */
  url: string;
  /** Creates a fresh empty database and returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

let counter = 0;

/** Creates a fresh database on the server of `serverUrl`; returns its URL. */
export async function createDatabaseAt(serverUrl: string): Promise<string> {
  const name = `sitevpn_${process.pid}_${++counter}_${Date.now().toString(36)}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabaseAt(serverUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL binaries not found (Debian package "postgresql")');
  const dir = mkdtempSync(join(tmpdir(), 'sitevpn-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: the cluster belongs to the unprivileged `postgres` user.
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, cmd), asRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args, {
      stdio: 'pipe',
      cwd: dir,
    });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const user = asRoot ? 'postgres' : (process.env.USER ?? 'postgres');
  run('initdb', ['-D', data, '-A', 'trust', '-U', user, '--no-sync', '-E', 'UTF8']);
  const options = `-k ${dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
  // A hostname is needed for a valid URL; the host parameter (the socket directory) overrides it.
  const urlOf = (db: string) => `postgres://${user}@localhost/${db}?host=${encodeURIComponent(dir)}`;
  let stopped = false;
  return {
    url: urlOf('postgres'),
    createDatabase: () => createDatabaseAt(urlOf('postgres')),
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
