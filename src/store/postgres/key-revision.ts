// The access-key revision on PostgreSQL: read once, then kept current by LISTEN on the channel
// the access_keys trigger notifies, so a signed request costs no query while nothing changes.
// Whenever the listening connection is not up, every call reads the counter row instead (correct,
// one query dearer) and a reconnect is tried now and then.
import pg from 'pg';
import type { PgPool } from './database.ts';

const CHANNEL = 'sitevpn_keys';
const RETRY_MS = 5000;

export class KeyRevision {
  readonly #pool: PgPool;
  readonly #url: string;
  #listener?: pg.Client;
  #known: number | undefined;
  #nextAttempt = 0;
  #closed = false;

  constructor(pool: PgPool, url: string) {
    this.#pool = pool;
    this.#url = url;
  }

  async current(): Promise<number> {
    if (this.#known !== undefined) return this.#known;
    if (!this.#listener && !this.#closed && Date.now() >= this.#nextAttempt) await this.#listen();
    const { rows } = await this.#pool.query('SELECT n FROM key_revision WHERE id = 1');
    const n = Number(rows[0].n);
    // Trusted from now on only while listening: a notification may then replace it.
    if (this.#listener && this.#known === undefined) this.#known = n;
    return n;
  }

  /** A key written through this instance: read the counter afresh rather than wait for the notice. */
  forget(): void {
    this.#known = undefined;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const listener = this.#listener;
    this.#drop();
    await listener?.end().catch(() => {});
  }

  async #listen(): Promise<void> {
    this.#nextAttempt = Date.now() + RETRY_MS;
    const client = new pg.Client({ connectionString: this.#url });
    client.on('error', () => this.#drop());
    client.on('end', () => this.#drop());
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL) return;
      const n = Number(msg.payload);
      // Notices of concurrent commits may arrive in any order; the revision only moves on.
      this.#known = Number.isFinite(n) && (this.#known === undefined || n > this.#known) ? n : undefined;
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.#listener = client;
    } catch {
      await client.end().catch(() => {});
    }
  }

  #drop(): void {
    this.#listener = undefined;
    this.#known = undefined;
  }
}
