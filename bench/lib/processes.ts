// Starts the servers a benchmark measures, each in its own process pinned to the server core, so
// the load generator never shares a core or an event loop with them. sitevpn runs as
// `sitevpn serve` at log level info: its access log (one line per request) goes to a real file.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinned, SERVER_CORE } from './cores.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const BENCH_AK = 'SVBENCHACCESSKEY0001';
export const BENCH_SK = 'bench-secret-key-0123456789abcdefghijklmn';
export const BENCH_PROJECT = 'b0000000000000000000000000000001';

export interface Running {
  endpoint: string;
  pid: number;
  /** The server's stdout: its start banner and, for sitevpn, the access log. */
  logFile: string;
  stop(): Promise<void>;
}

export interface SitevpnOptions {
  env?: Record<string, string>;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Serve this data directory and keep it afterwards (default: a fresh one, deleted on stop). */
  dataDir?: string;
  /** Write stdout (banner and access log) here and keep it (default: a temp file, deleted on stop). */
  logFile?: string;
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

/** Spawns argv with stdout into logFile and resolves once that file shows `ready`. */
async function startLogged(argv: string[], env: NodeJS.ProcessEnv, logFile: string, ready: RegExp, what: string): Promise<ChildProcess> {
  const fd = openSync(logFile, 'a');
  const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env, stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c;
    process.stderr.write(c);
  });
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (const started = Date.now(); ; ) {
    if (existsSync(logFile) && ready.test(readFileSync(logFile, 'utf8'))) return child;
    if (exited !== undefined) throw new Error(`${what} exited with code ${exited} before it was ready:\n${stderr}`);
    if (Date.now() - started > 60_000) throw new Error(`${what} not ready within 60 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function stopper(child: ChildProcess, cleanup: () => void): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(cleanup());
      child.once('exit', () => resolve(cleanup()));
      child.kill('SIGTERM');
    });
}

/** sitevpn serve on its embedded defaults (SQLite, simulated data plane), access log on. */
export async function startSitevpn(opts: SitevpnOptions = {}): Promise<Running> {
  const port = await freePort();
  const keep = opts.dataDir !== undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'sitevpn-bench-'));
  const logDir = opts.logFile ? undefined : mkdtempSync(join(tmpdir(), 'sitevpn-bench-log-'));
  const logFile = opts.logFile ?? join(logDir!, 'sitevpn.log');
  const argv = pinned(SERVER_CORE, [process.execPath, ...(opts.nodeArgs ?? []), '--import', 'tsx', 'src/cli/main.ts', 'serve']);
  const child = await startLogged(
    argv,
    {
      ...process.env,
      SITEVPN_PORT: String(port),
      SITEVPN_DATA_DIR: dataDir,
      SITEVPN_LOG_LEVEL: 'info',
      SITEVPN_ACCESS_KEY_ID: BENCH_AK,
      SITEVPN_SECRET_ACCESS_KEY: BENCH_SK,
      SITEVPN_PROJECT_ID: BENCH_PROJECT,
      SITEVPN_QUOTA_VPN_GATEWAYS: '100000',
      SITEVPN_QUOTA_CUSTOMER_GATEWAYS: '100000',
      SITEVPN_QUOTA_VPN_CONNECTIONS: '100000',
      ...opts.env,
    },
    logFile,
    /sitevpn listening on/,
    'sitevpn',
  );
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    logFile,
    stop: stopper(child, () => {
      if (logDir) rmSync(logDir, { recursive: true, force: true });
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    }),
  };
}

/** A bare node:http server answering every request with the given bytes. */
export async function startBareServer(body: string, contentType: string): Promise<Running> {
  const port = await freePort();
  // The body goes through a file: an environment variable cannot hold a large answer.
  const dir = mkdtempSync(join(tmpdir(), 'sitevpn-bare-'));
  writeFileSync(join(dir, 'body'), body);
  const logFile = join(dir, 'stdout');
  const argv = pinned(SERVER_CORE, [process.execPath, join(ROOT, 'bench', 'lib', 'bare-server.mjs')]);
  const env = { ...process.env, BARE_PORT: String(port), BARE_BODY_FILE: join(dir, 'body'), BARE_CONTENT_TYPE: contentType };
  const child = await startLogged(argv, env, logFile, /bare server listening/, 'bare server');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    logFile,
    stop: stopper(child, () => rmSync(dir, { recursive: true, force: true })),
  };
}
