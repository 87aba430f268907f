import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from './config.ts';
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

  it('shows an example config file that loadConfig accepts as written', () => {
    const example = /```json\n([\s\S]*?)```/.exec(committed)?.[1];
    assert.ok(example, 'no JSON example');
    const dir = mkdtempSync(join(tmpdir(), 'sitevpn-config-doc-'));
    try {
      const file = join(dir, 'sitevpn.json');
      writeFileSync(file, example);
      const config = loadConfig({}, { configFile: file });
      assert.equal(config.port, 8443);
      assert.equal(config.quotas.connections, 200);
      assert.deepEqual(config.tls, { certFile: '/etc/sitevpn/cert.pem', keyFile: '/etc/sitevpn/key.pem' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
