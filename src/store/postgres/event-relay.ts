// Live tunnel events across instances. The data-plane instances record observations; API instances
// serve the event streams. Each history line a data-plane instance records is published with
// NOTIFY on `sitevpn_events`, and each API instance LISTENs and hands it to its followers. A
// notice is at most 8000 bytes, so a long detail is cut; the full line stays in the store.
import pg from 'pg';
import type { TunnelEvent } from '../../domain/entities.ts';
import type { PgPool } from './database.ts';

export const EVENTS_CHANNEL = 'sitevpn_events';
/** Room for the rest of the notice within PostgreSQL's 8000-byte payload limit. */
const MAX_DETAIL_BYTES = 6000;
/** After the listening connection drops, it is made anew this long after. */
const RELISTEN_MS = 1000;

/** A relayed event: the history line and the tenant whose connection it belongs to. */
export interface RelayedEvent {
  tenantId: string;
  event: TunnelEvent;
}

function cut(detail: string): string {
  if (Buffer.byteLength(detail) <= MAX_DETAIL_BYTES) return detail;
  return `${Buffer.from(detail)
    .subarray(0, MAX_DETAIL_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '')}…`;
}

export class PgEventRelay {
  readonly #pool: PgPool;
  readonly #url: string;

  constructor(pool: PgPool, url: string) {
    this.#pool = pool;
    this.#url = url;
  }

  async publish(tenantId: string, e: TunnelEvent): Promise<void> {
    const payload = JSON.stringify({ tenantId, event: { ...e, detail: cut(e.detail) } });
    await this.#pool.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, payload]);
  }

  /**
   * Calls onEvent for every relayed event until the returned stop is called. A dropped connection
   * is made anew after a second; events published meanwhile are not replayed (history reads have them).
   */
  async listen(onEvent: (r: RelayedEvent) => void, onError: (err: unknown) => void): Promise<() => Promise<void>> {
    let client: pg.Client | undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ connectionString: this.#url });
      const again = (err?: unknown) => {
        if (stopped || client !== c) return;
        client = undefined;
        if (err) onError(err);
        timer = setTimeout(() => void connect().catch(onError), RELISTEN_MS);
      };
      client = c;
      c.on('error', again);
      c.on('end', () => again());
      c.on('notification', (msg) => {
        if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
        try {
          onEvent(JSON.parse(msg.payload) as RelayedEvent);
        } catch (err) {
          onError(err);
        }
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${EVENTS_CHANNEL}`);
      } catch (err) {
        again(err);
      }
    };
    await connect();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await client?.end().catch(() => {});
    };
  }
}
