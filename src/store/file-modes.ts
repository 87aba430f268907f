// Private files: a data directory sitevpn creates is 0700 and every file in it 0600 (database,
// its -wal and -shm, the master key). What already exists is left as the operator made it, but a
// directory or file that group or others may reach is reported, for a loud warning at start.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Creates dir (and missing parents) with mode 0700; returns whether anything was created. */
export function makePrivateDir(dir: string): boolean {
  const target = resolve(dir);
  if (existsSync(target)) return false;
  const created: string[] = [];
  for (let d = target; !existsSync(d); d = dirname(d)) created.push(d);
  mkdirSync(target, { recursive: true, mode: 0o700 });
  // mkdir's mode passes through the umask; set it exactly.
  for (const d of created) chmodSync(d, 0o700);
  return true;
}

/** Creates an empty file with mode 0600 unless it exists (SQLite gives -wal and -shm its mode). */
export function makePrivateFile(file: string): boolean {
  if (existsSync(file)) return false;
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as { code?: string }).code === 'EEXIST') return false;
    throw err;
  }
  chmodSync(file, 0o600);
  return true;
}

/** One warning for each existing path that group or others may read, write or enter. */
export function exposedPaths(paths: { path: string; what: string }[]): string[] {
  const warnings: string[] = [];
  for (const { path, what } of paths) {
    const s = statSync(path, { throwIfNoEntry: false });
    if (!s || (s.mode & 0o077) === 0) continue;
    const mode = (s.mode & 0o777).toString(8).padStart(4, '0');
    const fix = s.isDirectory() ? `chmod 700 ${path}` : `chmod 600 ${path}`;
    warnings.push(`${what} ${path} is accessible by group or others (mode ${mode}); anyone on this host may read it: ${fix}`);
  }
  return warnings;
}
