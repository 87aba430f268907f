// Every column that holds a sealed secret, and the work done on all of them at once: moving
// clear device-profile PSKs of older databases into their sealed column at open, and re-sealing
// everything under the current master key (`sitevpn secrets rotate-master-key`).
import { parseSealed, type SecretBox } from '../secret-box.ts';
import { type SqliteDatabase, truncateWal } from './database.ts';

/** A new secret column must be added here, or rotation would leave it under the old key. */
export const SEALED_COLUMNS = [
  { table: 'access_keys', key: 'access_key_id', column: 'secret_sealed' },
  { table: 'tunnels', key: 'id', column: 'psk_sealed' },
  { table: 'customer_gateways', key: 'id', column: 'device_psk_sealed' },
] as const;

/**
 * Seals the device-profile PSKs an older sitevpn stored in clear in customer_gateways.doc, then
 * (once, or whenever a clear one was found) rebuilds the file and empties the WAL so the clear
 * bytes are gone from every page, free ones included. Returns how many were sealed.
 */
export function sealClearDevicePsks(db: SqliteDatabase, box: SecretBox): number {
  const rows = db.prepare(`SELECT id, doc FROM customer_gateways WHERE json_extract(doc, '$.deviceProfile.psk') IS NOT NULL`).all() as {
    id: string;
    doc: string;
  }[];
  const update = db.prepare('UPDATE customer_gateways SET doc = ?, device_psk_sealed = ? WHERE id = ?');
  db.transaction(() => {
    for (const r of rows) {
      const doc = JSON.parse(r.doc);
      const sealed = box.seal(doc.deviceProfile.psk);
      delete doc.deviceProfile.psk;
      update.run(JSON.stringify(doc), sealed, r.id);
    }
  })();
  const chore = db.prepare(`DELETE FROM store_chores WHERE name = 'rebuild-file'`).run().changes > 0;
  if (rows.length > 0 || chore) {
    db.exec('VACUUM');
    truncateWal(db);
  }
  return rows.length;
}

export interface ResealResult {
  /** Sealed secrets in the database. */
  total: number;
  /** How many were sealed under another key and are now under the current one. */
  resealed: number;
}

/**
 * Re-seals, in one write transaction, every secret not sealed under the box's current key.
 * A value the box cannot open fails the whole transaction (nothing is half-rotated).
 */
export function resealAll(db: SqliteDatabase, box: SecretBox): ResealResult {
  const current = box.currentKeyId;
  let total = 0;
  let resealed = 0;
  db.transaction(() => {
    for (const { table, key, column } of SEALED_COLUMNS) {
      const rows = db.prepare(`SELECT ${key} AS k, ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL`).all() as {
        k: string;
        v: string;
      }[];
      const update = db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${key} = ? AND ${column} = ?`);
      for (const r of rows) {
        total++;
        if (parseSealed(r.v)?.keyId === current) continue;
        let plain: string;
        try {
          plain = box.open(r.v);
        } catch (err) {
          throw new Error(`${table}.${column} of ${r.k}: ${(err as Error).message}`);
        }
        update.run(box.seal(plain), r.k, r.v);
        resealed++;
      }
    }
  }).immediate();
  return { total, resealed };
}

/** How many sealed secrets each key id holds ('v1' for values from before key ids). */
export function sealedKeyCensus(db: SqliteDatabase): Map<string, number> {
  const census = new Map<string, number>();
  for (const { table, column } of SEALED_COLUMNS) {
    for (const r of db.prepare(`SELECT ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL`).all() as { v: string }[]) {
      const id = parseSealed(r.v)?.keyId ?? 'v1';
      census.set(id, (census.get(id) ?? 0) + 1);
    }
  }
  return census;
}
