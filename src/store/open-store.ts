// Chooses the store implementation from the config: SQLite by default, PostgreSQL with a URL
// (every instance on one database must share the master key).
// Makes the data directory (0700) and master key file (0600) when missing, and warns loudly,
// in the log and on stderr, when an existing one is open to group or others.
import { dirname } from 'node:path';
import type { SitevpnConfig } from '../config/config.ts';
import type { Clock } from '../domain/ports.ts';
import { exposedPaths, makePrivateDir } from './file-modes.ts';
import { ensureKeyFile } from './key-file.ts';
import { PostgresStore } from './postgres/postgres-store.ts';
import { loadSecretBox } from './secret-box.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export interface OpenStoreOptions {
  clock?: Clock;
  logger?: { warn(obj: object, msg: string): void };
  /** Where the warning lines go besides the log (default: stderr). */
  stderr?: (line: string) => void;
}

export async function openStore(config: SitevpnConfig, options: OpenStoreOptions = {}): Promise<Store> {
  for (const warning of config.databaseUrl ? prepareKeyFile(config) : preparePrivateFiles(config)) {
    options.logger?.warn({ check: 'file-modes' }, warning);
    (options.stderr ?? ((line: string) => process.stderr.write(line)))(`sitevpn: WARNING: ${warning}\n`);
  }
  const box = loadSecretBox(config);
  if (config.databaseUrl) return PostgresStore.open(config.databaseUrl, box, { clock: options.clock, events: config.events });
  return new SqliteStore(config.databaseFile, box, { clock: options.clock, events: config.events });
}

/** With PostgreSQL only the master key file (unless the key is given) is local. */
function prepareKeyFile(config: SitevpnConfig): string[] {
  if (config.masterKey) return [];
  makePrivateDir(dirname(config.masterKeyFile));
  ensureKeyFile(config.masterKeyFile);
  return exposedPaths([
    { path: dirname(config.masterKeyFile), what: 'data directory' },
    { path: config.masterKeyFile, what: 'master key file' },
  ]);
}

/** Creates what is missing with private modes; returns a warning for each exposed existing path. */
export function preparePrivateFiles(config: SitevpnConfig): string[] {
  const dirs = new Set([config.dataDir, dirname(config.databaseFile)]);
  if (!config.masterKey) dirs.add(dirname(config.masterKeyFile));
  for (const dir of dirs) makePrivateDir(dir);
  if (!config.masterKey) ensureKeyFile(config.masterKeyFile);
  const db = config.databaseFile;
  return exposedPaths([
    ...[...dirs].map((path) => ({ path, what: 'data directory' })),
    ...(config.masterKey ? [] : [{ path: config.masterKeyFile, what: 'master key file' }]),
    { path: db, what: 'database file' },
    { path: `${db}-wal`, what: 'database file' },
    { path: `${db}-shm`, what: 'database file' },
  ]);
}
