// The CLI's own settings: the endpoint and the access key of the sitevpn it talks to, in
// $XDG_CONFIG_HOME/sitevpn/config.json (default ~/.config/sitevpn/config.json), written 0600.
// Precedence: command-line flag, then SITEVPN_* environment variable, then this file.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { usageError } from './exit.ts';

export interface CliSettings {
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  projectId?: string;
}

const FIELDS = ['endpoint', 'accessKeyId', 'secretAccessKey', 'projectId'] as const;

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SITEVPN_CONFIG) return env.SITEVPN_CONFIG;
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  return join(base, 'sitevpn', 'config.json');
}

/** The file's settings; none when there is no file. A file others can read is used, with a warning. */
export function readSettings(path = configPath()): CliSettings {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw usageError(`${path} is not valid JSON (sitevpn configure rewrites it)`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw usageError(`${path} must hold a JSON object`);
  if ((statSync(path).mode & 0o077) !== 0) process.stderr.write(`sitevpn: warning: ${path} can be read by other users (chmod 600 it)\n`);
  const out: CliSettings = {};
  for (const field of FIELDS) {
    const value = (parsed as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw usageError(`${path}: ${field} must be a string`);
    out[field] = value;
  }
  return out;
}

/** Writes the file with mode 0600 (its directory 0700), replacing it in one rename. */
export function writeSettings(settings: CliSettings, path = configPath()): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  const clean = Object.fromEntries(FIELDS.filter((f) => settings[f] !== undefined).map((f) => [f, settings[f]]));
  writeFileSync(tmp, JSON.stringify(clean, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
