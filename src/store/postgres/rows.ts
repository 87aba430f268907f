// The PostgreSQL store's cache of opened secrets (its documents are in ../documents.ts).
import type { SecretBox } from '../secret-box.ts';

/** Opening a sealed secret costs a cipher setup; reads would pay it on every request. */
export class OpenedSecrets {
  readonly #box: SecretBox;
  readonly #opened = new Map<string, string>();

  constructor(box: SecretBox) {
    this.#box = box;
  }

  seal(plain: string): string {
    return this.#box.seal(plain);
  }

  open(sealed: string): string {
    let plain = this.#opened.get(sealed);
    if (plain === undefined) {
      plain = this.#box.open(sealed);
      if (this.#opened.size >= 50_000) this.#opened.clear();
      this.#opened.set(sealed, plain);
    }
    return plain;
  }
}
