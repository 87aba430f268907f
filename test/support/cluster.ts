// sitevpn processes of one cluster on one PostgreSQL database (issue 13): each a real
// `sitevpn serve --role ...` child process with its own data directory, sharing the master key
// and the bootstrap credentials, so a test can SIGKILL any of them.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_AK, TEST_PROJECT, TEST_SK } from './server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export class ClusterProcess {
  #child?: ChildProcess;
  #exited?: Promise<void>;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'sitevpn-cluster-'));
  endpoint = '';
  output = '';

  constructor(
    readonly role: 'api' | 'dataplane',
    readonly env: Record<string, string>,
  ) {}

  async start(): Promise<string> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--disable-warning=NodeVersionSupportWarning', 'src/cli/main.ts', 'serve', '--role', this.role],
      {
        cwd: ROOT,
        env: { ...process.env, ...this.env, SITEVPN_DATA_DIR: this.dataDir, SITEVPN_PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stderr!.on('data', (c: Buffer) => (this.output += c.toString()));
    this.endpoint = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => {
        this.output += c.toString();
        const m = /listening on (http:\/\/[^\s]+)/.exec(this.output);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code, signal) =>
        reject(new Error(`sitevpn serve --role ${this.role} exited (${code ?? signal}) before listening\n${this.output}`)),
      );
    });
    return this.endpoint;
  }

  /** SIGKILL: no shutdown hook runs, no lease is released. */
  async kill(): Promise<void> {
    this.#child?.kill('SIGKILL');
    await this.#exited;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async stop(): Promise<void> {
    if (this.#child && this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGTERM');
      await this.#exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The environment every process of one cluster shares. */
export function clusterEnv(databaseUrl: string, leaseSeconds: number): Record<string, string> {
  return {
    SITEVPN_DATABASE_URL: databaseUrl,
    SITEVPN_MASTER_KEY: randomBytes(32).toString('hex'),
    SITEVPN_ACCESS_KEY_ID: TEST_AK,
    SITEVPN_SECRET_ACCESS_KEY: TEST_SK,
    SITEVPN_PROJECT_ID: TEST_PROJECT,
    SITEVPN_LOG_LEVEL: 'warn',
    SITEVPN_SIMULATED_DELAY_MS: '20',
    SITEVPN_LEASE_SECONDS: String(leaseSeconds),
  };
}
