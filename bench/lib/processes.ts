// Starts the servers a benchmark measures, each in its own process so the load generator (this
// process) never shares an event loop with them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const BENCH_AK = 'SVBENCHACCESSKEY0001';
export const BENCH_SK = 'bench-secret-key-0123456789abcdefghijklmn';
export const BENCH_PROJECT = 'b0000000000000000000000000000001';

export interface Running {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => process.stderr.write(c));
    child.once('exit', (code) => reject(new Error(`${what} exited with code ${code} before it was ready:\n${seen}`)));
  });
}

function stopper(child: ChildProcess, cleanup: () => void): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(cleanup());
      child.once('exit', () => resolve(cleanup()));
      child.kill('SIGTERM');
    });
}

/** sitevpn serve on its embedded defaults (SQLite, simulated data plane), quiet logs. */
export async function startSitevpn(extraEnv: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'sitevpn-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      SITEVPN_PORT: String(port),
      SITEVPN_DATA_DIR: dataDir,
      SITEVPN_LOG_LEVEL: 'warn',
      SITEVPN_ACCESS_KEY_ID: BENCH_AK,
      SITEVPN_SECRET_ACCESS_KEY: BENCH_SK,
      SITEVPN_PROJECT_ID: BENCH_PROJECT,
      SITEVPN_QUOTA_VPN_GATEWAYS: '100000',
      SITEVPN_QUOTA_CUSTOMER_GATEWAYS: '100000',
      SITEVPN_QUOTA_VPN_CONNECTIONS: '100000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForLine(child, /sitevpn listening on/, 'sitevpn');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: stopper(child, () => rmSync(dataDir, { recursive: true, force: true })),
  };
}

/** A bare node:http server answering every request with the given bytes. */
export async function startBareServer(body: string, contentType: string): Promise<Running> {
  const port = await freePort();
  // The body goes through a file: an environment variable cannot hold a large answer.
  const bodyDir = mkdtempSync(join(tmpdir(), 'sitevpn-bare-'));
  writeFileSync(join(bodyDir, 'body'), body);
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'lib', 'bare-server.mjs')], {
    env: { ...process.env, BARE_PORT: String(port), BARE_BODY_FILE: join(bodyDir, 'body'), BARE_CONTENT_TYPE: contentType },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForLine(child, /bare server listening/, 'bare server');
  return { endpoint: `http://127.0.0.1:${port}`, pid: child.pid!, stop: stopper(child, () => rmSync(bodyDir, { recursive: true, force: true })) };
}
