// sitevpn serve pinned to one core with taskset, on a data directory the caller may keep (so a
// restart can reopen it), optionally with a CPU profile written on exit.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_AK, BENCH_PROJECT, BENCH_SK, freePort } from '../lib/processes.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export { BENCH_AK, BENCH_PROJECT, BENCH_SK };

export interface PinnedServer {
  endpoint: string;
  pid: number;
  /** ms from spawn until the first answered request. */
  readyMs: number;
  stop(): Promise<void>;
}

export async function startPinned(
  dataDir: string,
  opts: {
    cpu?: string;
    profileDir?: string;
    env?: Record<string, string> /** Run the build in dist/ (npm run build) rather than src/ through tsx. */;
    dist?: boolean;
  } = {},
): Promise<PinnedServer> {
  const port = await freePort();
  const nodeArgs = opts.dist ? [] : ['--import', 'tsx'];
  if (opts.profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`);
  const t0 = performance.now();
  const child = spawn(
    'taskset',
    ['-c', opts.cpu ?? '1', process.execPath, ...nodeArgs, opts.dist ? 'dist/cli/main.js' : 'src/cli/main.ts', 'serve'],
    {
      cwd: process.env.BENCH_SERVER_ROOT ?? ROOT,
      env: {
        ...process.env,
        SITEVPN_PORT: String(port),
        SITEVPN_DATA_DIR: dataDir,
        SITEVPN_LOG_LEVEL: 'warn',
        SITEVPN_ACCESS_KEY_ID: BENCH_AK,
        SITEVPN_SECRET_ACCESS_KEY: BENCH_SK,
        SITEVPN_PROJECT_ID: BENCH_PROJECT,
        SITEVPN_QUOTA_VPN_GATEWAYS: '1000',
        SITEVPN_QUOTA_CUSTOMER_GATEWAYS: '200000',
        SITEVPN_QUOTA_VPN_CONNECTIONS: '200000',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  child.stdout!.resume();
  // Ready = the first request answered (any status), not a log line.
  for (;;) {
    if (exited) throw new Error('sitevpn exited before it answered');
    try {
      await fetch(`${endpoint}/`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  const readyMs = performance.now() - t0;
  return {
    endpoint,
    pid: child.pid!,
    readyMs,
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}
