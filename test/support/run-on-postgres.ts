// Runs test files against PostgreSQL: starts a throwaway server (test/support/postgres.ts), sets
// SITEVPN_TEST_DATABASE_URL so every test server gets a fresh database on it, runs the files
// with node --test, and removes the server. Usage:
//   node --import tsx test/support/run-on-postgres.ts test/huawei-gateways.test.ts ...
import { spawn } from 'node:child_process';
import { startPostgres } from './postgres.ts';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: run-on-postgres.ts <test files...>\n');
  process.exit(2);
}
const server = await startPostgres();
let status = 1;
try {
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
    stdio: 'inherit',
    env: { ...process.env, SITEVPN_TEST_DATABASE_URL: server.url },
  });
  // Interrupted: the tests stop first, then the server goes with its directory.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  status = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
} finally {
  await server.stop();
}
process.exit(status);
