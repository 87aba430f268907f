import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadSecretBox, SecretBox } from './secret-box.ts';

const dir = mkdtempSync(join(tmpdir(), 'secret-box-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('SecretBox', () => {
  it('opens what it sealed, and seals the same secret differently each time', () => {
    const box = new SecretBox(Buffer.alloc(32, 7));
    const a = box.seal('Abcdefgh1234');
    const b = box.seal('Abcdefgh1234');
    assert.notEqual(a, b);
    assert.match(a, /^v1:/);
    assert.equal(a.includes('Abcdefgh1234'), false);
    assert.equal(box.open(a), 'Abcdefgh1234');
  });

  it('refuses a sealed secret that was altered or sealed under another key', () => {
    const box = new SecretBox(Buffer.alloc(32, 7));
    const sealed = box.seal('secret');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] ^= 1;
    assert.throws(() => box.open('v1:' + raw.toString('base64')));
    assert.throws(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed));
  });

  it('creates its key file with mode 0600 and reuses it', () => {
    const file = join(dir, 'sub', 'master.key');
    const first = loadSecretBox(undefined, file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8'), /^[0-9a-f]{64}\n$/);
    assert.equal(loadSecretBox(undefined, file).open(first.seal('x')), 'x');
  });

  it('takes the key from SITEVPN_MASTER_KEY in hex or base64, and refuses a short one', () => {
    const hex = 'ab'.repeat(32);
    const fromHex = loadSecretBox(hex, join(dir, 'unused.key'));
    const fromBase64 = loadSecretBox(Buffer.from(hex, 'hex').toString('base64'), join(dir, 'unused.key'));
    assert.equal(fromBase64.open(fromHex.seal('same key')), 'same key');
    assert.throws(() => loadSecretBox('abcd', join(dir, 'unused.key')), /SITEVPN_MASTER_KEY must be 32 bytes/);
  });
});
