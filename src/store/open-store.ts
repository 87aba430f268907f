// Chooses the store implementation from the config: SQLite by default, PostgreSQL with a URL.
import type { SitevpnConfig } from '../config/config.ts';
import { loadSecretBox } from './secret-box.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export async function openStore(config: SitevpnConfig): Promise<Store> {
  const box = loadSecretBox(config.masterKey, config.masterKeyFile);
  if (config.databaseUrl) {
    throw new Error('PostgreSQL (SITEVPN_DATABASE_URL) is not supported by this build yet; unset it to use the embedded SQLite store');
  }
  return new SqliteStore(config.databaseFile, box);
}
