// The real `sitevpn serve` in a child process on a data directory that outlives it, so a test can
// SIGKILL it and start it again on the same files.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_AK, TEST_PROJECT, TEST_SK } from './server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export class ServerProcess {
  #child?: ChildProcess;
  #exited?: Promise<void>;
  endpoint = '';

  constructor(readonly dataDir: string) {}

  /** Starts the server and resolves with its endpoint once it listens. */
  async start(): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', '--disable-warning=NodeVersionSupportWarning', 'src/cli/main.ts', 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env,
        SITEVPN_DATA_DIR: this.dataDir,
        SITEVPN_PORT: '0',
        SITEVPN_ACCESS_KEY_ID: TEST_AK,
        SITEVPN_SECRET_ACCESS_KEY: TEST_SK,
        SITEVPN_PROJECT_ID: TEST_PROJECT,
        SITEVPN_LOG_LEVEL: 'warn',
        SITEVPN_SIMULATED_DELAY_MS: '20',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    this.endpoint = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/[^\s]+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code, signal) => reject(new Error(`sitevpn serve exited (${code ?? signal}) before listening\n${out}\n${err}`)));
    });
    return this.endpoint;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. Resolves once the process is gone. */
  async kill(): Promise<void> {
    this.#child?.kill('SIGKILL');
    await this.#exited;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }
}
