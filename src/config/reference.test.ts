import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { configurationReference } from './reference.ts';
import { SETTINGS } from './schema.ts';

const committed = readFileSync(new URL('../../docs/CONFIGURATION.md', import.meta.url), 'utf8');

describe('docs/CONFIGURATION.md', () => {
  it('is exactly what the schema generates (run `npm run gen:config-docs` after changing a setting)', () => {
    assert.equal(committed, configurationReference());
  });

  it('has a row for every setting, with its environment variable and flag', () => {
    for (const s of SETTINGS) {
      const row = committed.split('\n').find((line) => line.startsWith(`| \`${s.key}\` |`));
      assert.ok(row, `no row for ${s.key}`);
      if (s.env) assert.ok(row.includes(`\`${s.env}\``), `${s.key} lacks ${s.env}`);
      if (s.flag) assert.ok(row.includes(` ${s.flag}\``), `${s.key} lacks ${s.flag}`);
    }
  });
});
