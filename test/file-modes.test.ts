// File modes of the data directory: what sitevpn creates is private (0700 directories, 0600
// files, whatever the umask), and an existing directory or master key that group or others may
// reach is reported loudly, in the log and on stderr, by the real `sitevpn serve`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { createApp } from '../src/http/app.ts';
import { openStore } from '../src/store/open-store.ts';

const root = mkdtempSync(join(tmpdir(), 'sitevpn-modes-'));
after(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('file modes of the data directory', () => {
  it('creates the data directory 0700 and the database, its WAL and SHM and the master key 0600, even with umask 000', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const previous = process.umask(0o000);
    try {
      const config = loadConfig({}, { dataDir, port: 0, logLevel: 'silent' });
      const app = await createApp(config, { logger: pino({ level: 'silent' }) });
      try {
        assert.equal(mode(join(root, 'fresh')), '700');
        assert.equal(mode(dataDir), '700');
        for (const f of ['sitevpn.db', 'sitevpn.db-wal', 'sitevpn.db-shm', 'master.key']) assert.equal(mode(join(dataDir, f)), '600', f);
      } finally {
        await app.close();
      }
    } finally {
      process.umask(previous);
    }
  });

  it('warns about nothing when the data directory and its files are private', async () => {
    const dataDir = join(root, 'private');
    const lines: string[] = [];
    const logged: string[] = [];
    const config = loadConfig({}, { dataDir, logLevel: 'silent' });
    for (let start = 0; start < 2; start++) {
      const store = await openStore(config, { stderr: (l) => lines.push(l), logger: { warn: (_o, m) => logged.push(m) } });
      await store.close();
    }
    assert.deepEqual([lines, logged], [[], []]);
  });

  it('makes `sitevpn serve` warn in its log and on stderr about a data directory and a master key file that others may read', {
    timeout: 60_000,
  }, async () => {
    const dataDir = join(root, 'shared');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'master.key'), 'ab'.repeat(32) + '\n');
    chmodSync(join(dataDir, 'master.key'), 0o644);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--data-dir', dataDir, '--port', '0'], {
      env: { ...process.env, SITEVPN_LOG_LEVEL: 'info' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        // The JSON log is written asynchronously: wait for both warnings, not just the listen line
        // (a missing warning fails by the test's timeout).
        if (
          stdout.includes('sitevpn listening on') &&
          stdout.includes('"msg":"master key file') &&
          stdout.includes('"msg":"data directory')
        )
          resolve();
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));

    const dirWarning = `data directory ${dataDir} is accessible by group or others (mode 0755); anyone on this host may read it: chmod 700 ${dataDir}`;
    const keyFile = join(dataDir, 'master.key');
    const keyWarning = `master key file ${keyFile} is accessible by group or others (mode 0644); anyone on this host may read it: chmod 600 ${keyFile}`;
    assert.ok(stderr.includes(`sitevpn: WARNING: ${dirWarning}\n`), stderr);
    assert.ok(stderr.includes(`sitevpn: WARNING: ${keyWarning}\n`), stderr);
    const warnings = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .filter((l) => l.level === 40)
      .map((l) => l.msg);
    assert.deepEqual(warnings.sort(), [dirWarning, keyWarning].sort());
    // The operator's modes are reported, not changed.
    assert.equal(mode(dataDir), '755');
    assert.equal(mode(keyFile), '644');
  });
});
