// Drives a server with wrk (a C load generator, one thread) pinned to core 0, replaying a pool of
// pre-built raw requests (pool.lua), and reduces its summary to the figures the benchmarks report.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOAD_CORE, pinned } from './cores.ts';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'pool.lua');

export interface RawRequest {
  method: string;
  /** Path and query, exactly as signed. */
  path: string;
  /** Every header but Host and Content-Length, which are added here. */
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors, timeouts and answers with a status of 400 or more. */
  errors: number;
  total: number;
  durationS: number;
}

/** The bytes of one HTTP/1.1 request (keep-alive) for `host`. */
export function rawRequest(r: RawRequest, host: string): string {
  const body = r.body ?? '';
  const lines = [`${r.method} ${r.path} HTTP/1.1`, `Host: ${host}`];
  for (const [k, v] of Object.entries(r.headers))
    if (k.toLowerCase() !== 'host' && k.toLowerCase() !== 'content-length') lines.push(`${k}: ${v}`);
  if (body || r.method !== 'GET') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

export async function runWrk(endpoint: string, requests: RawRequest[], connections: number, durationSeconds: number): Promise<LoadResult> {
  const url = new URL(endpoint);
  const dir = mkdtempSync(join(tmpdir(), 'sitevpn-wrk-'));
  try {
    const pool = join(dir, 'pool');
    writeFileSync(
      pool,
      requests
        .map((r) => {
          const raw = rawRequest(r, url.host);
          return `${Buffer.byteLength(raw)}\n${raw}`;
        })
        .join(''),
    );
    const args = ['-t1', `-c${connections}`, `-d${durationSeconds}s`, '--timeout', '10s', '-s', SCRIPT, endpoint, '--', pool];
    const out = await capture(pinned(LOAD_CORE, ['wrk', ...args]));
    const line = out.split('\n').find((l) => l.startsWith('BENCHJSON '));
    if (!line) throw new Error(`wrk printed no summary:\n${out}`);
    const s = JSON.parse(line.slice('BENCHJSON '.length));
    const durationS = s.durationUs / 1e6;
    return {
      requestsPerSecond: s.requests / durationS,
      p50Ms: s.p50Us / 1000,
      p99Ms: s.p99Us / 1000,
      errors: s.connect + s.read + s.write + s.status + s.timeout,
      total: s.requests,
      durationS,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function capture(argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c));
    p.stderr.on('data', (c: Buffer) => (out += c));
    p.once('error', reject);
    p.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')} exited with ${code}:\n${out}`))));
  });
}

/** wrk's version line, for the record. */
export function wrkVersion(): string {
  const r = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  return (
    `${r.stdout ?? ''}${r.stderr ?? ''}`
      .split('\n')[0]
      .replace(/ Copyright.*/, '')
      .trim() || 'wrk (version unknown)'
  );
}
