// Opens the embedded database: WAL journal, foreign keys on, secure delete on, migrations
// applied at start. The file is created 0600 in a 0700 directory when sitevpn makes them; SQLite
// gives the -wal and -shm files the database file's mode.

import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { makePrivateDir, makePrivateFile } from '../file-modes.ts';
import { sqliteMigrations } from '../migrations/sqlite.ts';

export type SqliteDatabase = Database.Database;

export function openSqlite(file: string): SqliteDatabase {
  if (file !== ':memory:') {
    makePrivateDir(dirname(file));
    makePrivateFile(file);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted and overwritten content (a replaced sealed secret, a deleted row) is zeroed on its page.
  db.pragma('secure_delete = ON');
  migrate(db);
  return db;
}

function migrate(db: SqliteDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < sqliteMigrations.length; version++) {
    db.transaction(() => {
      db.exec(sqliteMigrations[version]);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/**
 * Copies the WAL into the database file and empties it, so page versions the WAL still holds
 * (an old sealed secret, a deleted row) leave the files. Retries while a reader holds a snapshot.
 */
export function truncateWal(db: SqliteDatabase, attempts = 50): boolean {
  for (let i = 0; i < attempts; i++) {
    const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (!r || r.busy === 0) return true;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  return false;
}
