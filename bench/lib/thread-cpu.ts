// CPU time of each thread of a process, from /proc (Linux), to see what runs off the main thread
// (libuv's pool writing the access log, V8's GC helpers) during a load run.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** utime + stime in ms of every thread, keyed "main" for the main thread, else by its name. */
export function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the ")" that closes the name: state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
      const name = tid === String(pid) ? 'main' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      out.set(name, (out.get(name) ?? 0) + ms);
    } catch {
      // the thread ended between listing and reading
    }
  }
  return out;
}

export function cpuDelta(before: Map<string, number>, after: Map<string, number>): { name: string; cpuMs: number }[] {
  return [...after]
    .map(([name, ms]) => ({ name, cpuMs: ms - (before.get(name) ?? 0) }))
    .filter((t) => t.cpuMs > 0)
    .sort((a, b) => b.cpuMs - a.cpuMs);
}

/** utime + stime in ms of the whole process (all threads, including ended ones). */
export function totalCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}
