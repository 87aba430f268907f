// Encryption at rest for every secret the server holds (pre-shared keys of tunnels and device
// profiles, secret access keys): AES-256-GCM under a master key ring.
//
//   "v2:" + keyId + ":" + base64(iv[12] | tag[16] | ciphertext)   keyId: 16 hex, from the key itself
//   "v1:" + base64(iv[12] | tag[16] | ciphertext)                  before key ids; every key is tried
//
// The first key of the ring seals; every key opens. A box built from a key file re-reads the file
// when it meets an unknown key id and, before sealing, when the file changed, so a running server
// follows `sitevpn secrets rotate-master-key` without a restart.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { readKeyFile } from './key-file.ts';

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('sitevpn master key id\0').update(key).digest('hex').slice(0, 16);
}

/** Where a ring comes from again after a rotation (a key file); absent for SITEVPN_MASTER_KEY. */
export interface KeySource {
  /** The keys, current first. */
  load(): Buffer[];
  /** Whether the keys may have changed since the last load (cheap: a stat). */
  changed(): boolean;
}

export class SecretBox {
  #keys = new Map<string, Buffer>();
  #current!: { id: string; key: Buffer };
  readonly #source?: KeySource;

  constructor(keys: Buffer | Buffer[], source?: KeySource) {
    this.#source = source;
    this.#use(Array.isArray(keys) ? keys : [keys]);
  }

  /** The id of the key that seals. */
  get currentKeyId(): string {
    if (this.#source?.changed()) this.reload();
    return this.#current.id;
  }

  /** Every key id this box opens with, current first. */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  reload(): void {
    if (this.#source) this.#use(this.#source.load());
  }

  seal(plain: string): string {
    if (this.#source?.changed()) this.reload();
    const { id, key } = this.#current;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v2:${id}:` + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string): string {
    const parsed = parseSealed(sealed);
    if (!parsed) throw new Error('unknown secret format');
    if (parsed.keyId === undefined) {
      for (const key of this.#keys.values()) {
        const plain = tryOpen(key, parsed.raw);
        if (plain !== undefined) return plain;
      }
      throw new Error('no master key opens this secret');
    }
    let key = this.#keys.get(parsed.keyId);
    if (!key && this.#source) {
      this.reload();
      key = this.#keys.get(parsed.keyId);
    }
    if (!key) throw new Error(`secret sealed under an unknown master key ${parsed.keyId}`);
    const plain = tryOpen(key, parsed.raw);
    if (plain === undefined) throw new Error('a sealed secret failed its integrity check');
    return plain;
  }

  #use(keys: Buffer[]): void {
    if (keys.length === 0) throw new Error('the master key ring is empty');
    const map = new Map<string, Buffer>();
    for (const key of keys) {
      if (key.length !== 32) throw new Error('the secret box key must be 32 bytes');
      map.set(keyIdOf(key), key);
    }
    this.#keys = map;
    this.#current = { id: keyIdOf(keys[0]), key: keys[0] };
  }
}

/** The key id a stored value names (undefined for the id-less v1 form), or null if it is not sealed. */
export function parseSealed(sealed: string): { keyId?: string; raw: Buffer } | null {
  if (sealed.startsWith('v1:')) return { raw: Buffer.from(sealed.slice(3), 'base64') };
  const m = /^v2:([0-9a-f]{16}):(.*)$/s.exec(sealed);
  return m ? { keyId: m[1], raw: Buffer.from(m[2], 'base64') } : null;
}

function tryOpen(key: Buffer, raw: Buffer): string | undefined {
  if (raw.length < 28) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** A 32-byte key given as 64 hex characters or base64. */
export function parseKey(text: string, name: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes (64 hex characters or base64)`);
  return key;
}

export interface MasterKeyConfig {
  /** SITEVPN_MASTER_KEY: when set, the ring is this key plus `previousKeys`, no file is used. */
  masterKey?: string;
  /** SITEVPN_MASTER_KEY_PREVIOUS: keys that still open (comma-separated in the variable). */
  previousKeys?: string[];
  masterKeyFile: string;
}

/** The box for a config; the key file must exist (see ensureKeyFile). */
export function loadSecretBox(config: MasterKeyConfig): SecretBox {
  if (config.masterKey) {
    const keys = [parseKey(config.masterKey, 'SITEVPN_MASTER_KEY')];
    for (const k of config.previousKeys ?? []) keys.push(parseKey(k, 'SITEVPN_MASTER_KEY_PREVIOUS'));
    return new SecretBox(keys);
  }
  const source = keyFileSource(config.masterKeyFile);
  return new SecretBox(source.load(), source);
}

export function keyFileSource(file: string): KeySource {
  const signature = () => {
    const s = statSync(file, { throwIfNoEntry: false });
    return s ? `${s.ino}:${s.mtimeMs}:${s.size}` : 'missing';
  };
  let seen = signature();
  return {
    load() {
      seen = signature();
      return readKeyFile(file);
    },
    changed: () => signature() !== seen,
  };
}
