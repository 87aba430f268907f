// The master key file: one key per line as 64 hex characters, the sealing (current) key first,
// older keys after it while a rotation re-seals what they sealed. A file from before key rings
// holds a single line and reads the same way. Written whole to a temporary file and renamed, so
// a reader never sees half a file.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { makePrivateDir } from './file-modes.ts';

export function readKeyFile(file: string): Buffer[] {
  const keys = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (keys.length === 0) throw new Error(`master key file ${file} holds no key`);
  return keys.map((line, i) => {
    if (!/^[0-9a-fA-F]{64}$/.test(line)) throw new Error(`master key file ${file}: line ${i + 1} is not 64 hex characters`);
    return Buffer.from(line, 'hex');
  });
}

export function writeKeyFile(file: string, keys: Buffer[]): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, keys.map((k) => k.toString('hex') + '\n').join(''), { mode: 0o600, flag: 'wx' });
  renameSync(tmp, file);
}

/** Creates the key file with a fresh key (mode 0600, in a 0700 directory) unless it exists. */
export function ensureKeyFile(file: string): boolean {
  if (existsSync(file)) return false;
  makePrivateDir(dirname(file));
  try {
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process (a second server, the CLI) created it first: use theirs.
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
    return false;
  }
  return true;
}
