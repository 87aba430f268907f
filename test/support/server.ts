// Starts a real sitevpn (HTTP server, SQLite file, data plane) on a free loopback port with a
// fresh data directory, for integration tests. With SITEVPN_TEST_DATABASE_URL (a PostgreSQL
// server's URL) each server gets a fresh database on that server instead of the SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig, type SitevpnConfig } from '../../src/config/config.ts';
import { type App, type AppDeps, createApp } from '../../src/http/app.ts';
import { HuaweiTestClient } from './huawei-client.ts';
import { createDatabaseAt, dropDatabaseAt } from './postgres.ts';

export const TEST_AK = 'SVTESTACCESSKEY00001';
export const TEST_SK = 'test-secret-key-0123456789abcdefghijklmnop';
export const TEST_PROJECT = '0123456789abcdef0123456789abcdef';

export interface TestServer {
  app: App;
  endpoint: string;
  dataDir: string;
  huawei: HuaweiTestClient;
  close(): Promise<void>;
}

export async function startTestServer(overrides: Partial<SitevpnConfig> = {}, deps: AppDeps = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sitevpn-test-'));
  const server = process.env.SITEVPN_TEST_DATABASE_URL;
  const databaseUrl = server && !overrides.databaseUrl ? await createDatabaseAt(server) : undefined;
  const config = loadConfig(
    { SITEVPN_ACCESS_KEY_ID: TEST_AK, SITEVPN_SECRET_ACCESS_KEY: TEST_SK, SITEVPN_PROJECT_ID: TEST_PROJECT },
    { dataDir, port: 0, simulatedDelayMs: 5, logLevel: 'silent', ...(databaseUrl ? { databaseUrl } : {}), ...overrides },
  );
  const app = await createApp(config, { logger: pino({ level: 'silent' }), ...deps });
  const endpoint = await app.listen();
  return {
    app,
    endpoint,
    dataDir,
    huawei: new HuaweiTestClient(endpoint, TEST_AK, TEST_SK, TEST_PROJECT),
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (databaseUrl) await dropDatabaseAt(server!, databaseUrl);
    },
  };
}

/** Polls until fn returns a truthy value (the data plane reports asynchronously). */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
