import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureKeyFile, readKeyFile, writeKeyFile } from './key-file.ts';
import { keyIdOf, loadSecretBox, SecretBox } from './secret-box.ts';

const dir = mkdtempSync(join(tmpdir(), 'secret-box-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The id-less form an older sitevpn wrote. */
function sealV1(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return 'v1:' + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
}

describe('SecretBox', () => {
  it('opens what it sealed, names the sealing key, and seals the same secret differently each time', () => {
    const key = Buffer.alloc(32, 7);
    const box = new SecretBox(key);
    const a = box.seal('Abcdefgh1234');
    const b = box.seal('Abcdefgh1234');
    assert.notEqual(a, b);
    assert.match(a, new RegExp(`^v2:${keyIdOf(key)}:`));
    assert.equal(a.includes('Abcdefgh1234'), false);
    assert.equal(box.open(a), 'Abcdefgh1234');
  });

  it('refuses a sealed secret that was altered or sealed under another key', () => {
    const box = new SecretBox(Buffer.alloc(32, 7));
    const sealed = box.seal('secret');
    const [prefix, id, body] = sealed.split(':');
    const raw = Buffer.from(body, 'base64');
    raw[raw.length - 1] ^= 1;
    assert.throws(() => box.open(`${prefix}:${id}:${raw.toString('base64')}`), /failed its integrity check/);
    assert.throws(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed), /unknown master key/);
  });

  it('opens the id-less v1 form of an older sitevpn with any key of its ring', () => {
    const old = Buffer.alloc(32, 1);
    const ring = new SecretBox([Buffer.alloc(32, 2), old]);
    assert.equal(ring.open(sealV1(old, 'legacy-psk')), 'legacy-psk');
    assert.throws(() => new SecretBox(Buffer.alloc(32, 3)).open(sealV1(old, 'x')), /no master key opens this secret/);
  });

  it('seals with the first key of its ring and opens with every key', () => {
    const [k1, k2] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    const sealedOld = new SecretBox(k1).seal('old');
    const ring = new SecretBox([k2, k1]);
    assert.equal(ring.open(sealedOld), 'old');
    assert.equal(ring.currentKeyId, keyIdOf(k2));
    assert.throws(() => new SecretBox(k1).open(ring.seal('new')), /unknown master key/);
  });

  it('creates its key file with mode 0600 and reuses it', () => {
    const file = join(dir, 'sub', 'master.key');
    assert.equal(ensureKeyFile(file), true);
    assert.equal(ensureKeyFile(file), false);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'sub')).mode & 0o777, 0o700);
    assert.match(readFileSync(file, 'utf8'), /^[0-9a-f]{64}\n$/);
    const first = loadSecretBox({ masterKeyFile: file });
    assert.equal(loadSecretBox({ masterKeyFile: file }).open(first.seal('x')), 'x');
  });

  it('follows its key file: an unknown key id or a changed file makes it read the file again', () => {
    const file = join(dir, 'ring.key');
    const [k1, k2] = [randomBytes(32), randomBytes(32)];
    writeKeyFile(file, [k1]);
    const running = loadSecretBox({ masterKeyFile: file });
    writeKeyFile(file, [k2, k1]);
    const rotator = new SecretBox(readKeyFile(file));
    assert.equal(running.open(rotator.seal('after rotation')), 'after rotation');
    writeKeyFile(file, [k2]);
    assert.equal(running.currentKeyId, keyIdOf(k2));
    assert.match(running.seal('x'), new RegExp(`^v2:${keyIdOf(k2)}:`));
    assert.deepEqual(running.keyIds, [keyIdOf(k2)]);
  });

  it('reads a key file with several keys, current first, and refuses a malformed line', () => {
    const file = join(dir, 'bad.key');
    writeFileSync(file, 'ab'.repeat(32) + '\nnot-a-key\n');
    assert.throws(() => readKeyFile(file), /line 2 is not 64 hex characters/);
  });

  it('takes the key from SITEVPN_MASTER_KEY in hex or base64, previous keys from SITEVPN_MASTER_KEY_PREVIOUS, and refuses a short one', () => {
    const hex = 'ab'.repeat(32);
    const unused = join(dir, 'unused.key');
    const fromHex = loadSecretBox({ masterKey: hex, masterKeyFile: unused });
    const fromBase64 = loadSecretBox({ masterKey: Buffer.from(hex, 'hex').toString('base64'), masterKeyFile: unused });
    assert.equal(fromBase64.open(fromHex.seal('same key')), 'same key');
    const rotated = loadSecretBox({ masterKey: 'cd'.repeat(32), previousKeys: [hex], masterKeyFile: unused });
    assert.equal(rotated.open(fromHex.seal('previous')), 'previous');
    assert.throws(() => loadSecretBox({ masterKey: 'abcd', masterKeyFile: unused }), /SITEVPN_MASTER_KEY must be 32 bytes/);
    assert.throws(
      () => loadSecretBox({ masterKey: hex, previousKeys: ['abcd'], masterKeyFile: unused }),
      /SITEVPN_MASTER_KEY_PREVIOUS must be 32 bytes/,
    );
  });
});
