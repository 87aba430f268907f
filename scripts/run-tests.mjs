#!/usr/bin/env node
// Runs every test file (unit tests beside the code in src/, integration suites in test/) with
// node's own test runner, TypeScript loaded through tsx. Extra arguments are passed through,
// e.g. `npm test -- --test-name-pattern=seed`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = [...testFiles('src'), ...testFiles('test')].sort();
// Suites that run real charon daemons (userspace ESP, DPD and retransmit timers) share the CPU
// badly with each other: they run one file at a time, after everything else (two at a time).
const withCharon = (f) => f.startsWith(join('test', 'strongswan')) || f === join('test', 'quickstart.test.ts');
const run = (concurrency, list) =>
  spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--disable-warning=NodeVersionSupportWarning',
      '--test',
      `--test-concurrency=${concurrency}`,
      ...process.argv.slice(2),
      ...list,
    ],
    { stdio: 'inherit' },
  ).status ?? 1;
const first = run(
  2,
  files.filter((f) => !withCharon(f)),
);
const second = run(1, files.filter(withCharon));
process.exit(first || second);
