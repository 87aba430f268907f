// Opens the PostgreSQL pool and brings the schema up to date. Migrations run under an advisory
// lock, so two instances starting at once apply each migration exactly once; each migration and
// its schema_version bump commit together or not at all.
import pg from 'pg';
import { postgresMigrations } from '../migrations/postgres.ts';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;
/** Anything that runs a query: the pool (autocommit) or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

/** An arbitrary constant naming sitevpn's migration lock among the database's advisory locks. */
const MIGRATION_LOCK = 0x73766d67;

export interface PgOptions {
  /** Connections in the pool (default 10). */
  max?: number;
}

export async function openPostgres(url: string, options: PgOptions = {}): Promise<PgPool> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return pool;
}

export async function migrate(pool: PgPool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    await client.query('INSERT INTO schema_version (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version)');
    const { rows } = await client.query('SELECT version FROM schema_version');
    for (let version = rows[0].version as number; version < postgresMigrations.length; version++) {
      await client.query('BEGIN');
      try {
        await client.query(postgresMigrations[version]);
        await client.query('UPDATE schema_version SET version = $1', [version + 1]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`PostgreSQL migration ${version + 1} failed: ${(err as Error).message}`);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

/**
 * Runs fn in one transaction on one client: committed when it returns, rolled back when it
 * throws. A serialization failure or deadlock (two instances racing) is retried a few times.
 */
export async function inTransaction<T>(pool: PgPool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      const code = (err as { code?: string }).code;
      if ((code === '40001' || code === '40P01') && attempt < 5) continue;
      throw err;
    } finally {
      client.release();
    }
  }
}

/** Takes a lock held until the transaction ends, named by a text (hashed to a 64-bit key). */
export async function lockName(client: PgClient, name: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
}

/**
 * Runs fn while this instance holds a lock named by a text, shared by every instance on the
 * database (a session advisory lock on one pooled client; fn may use the rest of the pool).
 */
export async function withSessionLock<T>(pool: PgPool, name: string, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]).catch(() => {});
    }
  } finally {
    client.release();
  }
}

export const UNIQUE_VIOLATION = '23505';
