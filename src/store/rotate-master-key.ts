// Master key rotation without downtime, from a process beside the running servers:
//
//   key file  1. write [new, old...]: a server that meets a value under `new` re-reads the file,
//                and one about to seal sees the file changed and seals under `new` from then on
//             2. re-seal every stored secret under `new` (one write transaction)
//             3. write [new]: the old keys are gone from the file
//             4. re-seal again (a write a server sealed just before step 1), empty the WAL
//   SITEVPN_MASTER_KEY  the operator restarts the servers with the new key in SITEVPN_MASTER_KEY
//                and the old one in SITEVPN_MASTER_KEY_PREVIOUS; this re-seals under the new one,
//                after which SITEVPN_MASTER_KEY_PREVIOUS can go.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { SitevpnConfig } from '../config/config.ts';
import { readKeyFile, writeKeyFile } from './key-file.ts';
import { keyIdOf, loadSecretBox, SecretBox } from './secret-box.ts';
import { openSqlite, truncateWal } from './sqlite/database.ts';
import { resealAll, sealedKeyCensus } from './sqlite/sealed-columns.ts';

export interface RotationReport {
  source: 'key file' | 'SITEVPN_MASTER_KEY';
  keyId: string;
  retiredKeyIds: string[];
  total: number;
  resealed: number;
  /** False when a reader kept the WAL busy: older bytes leave it at the next checkpoint. */
  walEmptied: boolean;
}

export function rotateMasterKey(config: SitevpnConfig): RotationReport {
  if (config.databaseUrl) throw new Error('master key rotation needs the embedded SQLite store');
  if (!existsSync(config.databaseFile)) throw new Error(`no database at ${config.databaseFile}`);
  if (config.masterKey) {
    const box = loadSecretBox(config);
    const [current, ...previous] = box.keyIds;
    const db = openSqlite(config.databaseFile);
    try {
      const r = resealAll(db, box);
      return { source: 'SITEVPN_MASTER_KEY', keyId: current, retiredKeyIds: previous, ...r, walEmptied: finish(db, current) };
    } finally {
      db.close();
    }
  }
  if (!existsSync(config.masterKeyFile)) throw new Error(`no master key file at ${config.masterKeyFile}`);
  const old = readKeyFile(config.masterKeyFile);
  const fresh = randomBytes(32);
  writeKeyFile(config.masterKeyFile, [fresh, ...old]);
  // Keeps the old keys in memory only, for the straggler pass after they left the file.
  const box = new SecretBox([fresh, ...old]);
  const db = openSqlite(config.databaseFile);
  try {
    const first = resealAll(db, box);
    writeKeyFile(config.masterKeyFile, [fresh]);
    const second = resealAll(db, box);
    const keyId = keyIdOf(fresh);
    return {
      source: 'key file',
      keyId,
      retiredKeyIds: old.map(keyIdOf),
      total: second.total,
      resealed: first.resealed + second.resealed,
      walEmptied: finish(db, keyId),
    };
  } finally {
    db.close();
  }
}

/** Every secret must now be under `keyId`; then the WAL is emptied of older page versions. */
function finish(db: ReturnType<typeof openSqlite>, keyId: string): boolean {
  const stray = [...sealedKeyCensus(db)].filter(([id]) => id !== keyId);
  if (stray.length > 0) throw new Error(`secrets remain under other keys: ${stray.map(([id, n]) => `${n} under ${id}`).join(', ')}`);
  return truncateWal(db);
}

/** The key ids of the ring and how many stored secrets each one sealed. */
export function masterKeyStatus(config: SitevpnConfig): { ring: string[]; census: Map<string, number> } {
  const box = loadSecretBox(config);
  const db = openSqlite(config.databaseFile);
  try {
    return { ring: box.keyIds, census: sealedKeyCensus(db) };
  } finally {
    db.close();
  }
}
