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
const args = [
  '--import',
  'tsx',
  '--disable-warning=NodeVersionSupportWarning',
  '--test',
  '--test-concurrency=2',
  ...process.argv.slice(2),
  ...files,
];
const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
