// Where each process runs: the load generator on core 0, the server under test (sitevpn or the
// bare baseline) on core 1, so neither takes CPU from the other. Without two cores or taskset the
// processes run unpinned and the run's header says so.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export const LOAD_CORE = 0;
export const SERVER_CORE = 1;

const canPin = availableParallelism() >= 2 && spawnSync('taskset', ['-V']).status === 0;

/** argv run under `taskset -c <core>` when pinning is possible. */
export function pinned(core: number, argv: string[]): string[] {
  return canPin ? ['taskset', '-c', String(core), ...argv] : argv;
}

export function pinningNote(): string {
  return canPin
    ? `wrk pinned to core ${LOAD_CORE} (\`taskset -c ${LOAD_CORE}\`), each server under test to core ${SERVER_CORE} (\`taskset -c ${SERVER_CORE}\`)`
    : 'NOT pinned (fewer than 2 cores or no taskset): load generator and server share the CPUs';
}
