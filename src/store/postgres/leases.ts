// Gateway leases on PostgreSQL (issue 13). A data-plane instance calls heartbeat() a few times per
// lease period: it renews its own leases, claims gateways nobody holds (up to its fair share of
// the live instances), and takes over leases their owner let expire. A gateway's first claim binds
// it to the claimer's host (null when unbound); only instances of that host take it over later,
// since with strongSwan only that host's charon serves the gateway's outside IPs.
// Time is passed in (ms since the epoch), never read here: tests expire a lease by calling with a
// later `now`, never by sleeping.
import pg from 'pg';
import { inTransaction, lockName, type PgPool } from './database.ts';

export const INTENTS_CHANNEL = 'sitevpn_intents';

export interface LeaseHolder {
  id: string;
  host?: string;
}

export interface OwnedGateway {
  gatewayId: string;
  tenantId: string;
}

export interface StaleLease {
  owner: string;
  expiresAt: number;
}

export class PgLeases {
  readonly #pool: PgPool;
  readonly #url: string;

  constructor(pool: PgPool, url: string) {
    this.#pool = pool;
    this.#url = url;
  }

  /** Renews, claims and takes over; returns every gateway the holder owns afterwards. */
  heartbeat(holder: LeaseHolder, now: number, ttlMs: number): Promise<OwnedGateway[]> {
    const expires = now + ttlMs;
    const host = holder.host ?? null;
    return inTransaction(this.#pool, async (db) => {
      // One claimer at a time: two instances never count the same free gateway as theirs.
      await lockName(db, 'sitevpn:gateway-leases');
      await db.query(
        `INSERT INTO dataplane_instances (id, host, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET host = excluded.host, expires_at = excluded.expires_at`,
        [holder.id, host, expires],
      );
      await db.query('DELETE FROM dataplane_instances WHERE expires_at <= $1', [now]);
      await db.query('UPDATE gateway_leases SET expires_at = $2 WHERE owner = $1', [holder.id, expires]);
      // Expired leases of this host are taken whatever the share: takeover time is what is bounded.
      await db.query(
        'UPDATE gateway_leases SET owner = $1, expires_at = $3 WHERE expires_at <= $2 AND owner <> $1 AND host IS NOT DISTINCT FROM $4',
        [holder.id, now, expires, host],
      );
      const counts = await db.query(
        `SELECT (SELECT count(*) FROM vpn_gateways) AS gateways, (SELECT count(*) FROM dataplane_instances) AS instances,
                (SELECT count(*) FROM gateway_leases WHERE owner = $1) AS mine`,
        [holder.id],
      );
      const { gateways, instances, mine } = counts.rows[0];
      const room = Math.ceil(Number(gateways) / Math.max(1, Number(instances))) - Number(mine);
      if (room > 0) {
        await db.query(
          `INSERT INTO gateway_leases (gateway_id, owner, host, expires_at)
           SELECT g.id, $1, $2, $3 FROM vpn_gateways g LEFT JOIN gateway_leases l ON l.gateway_id = g.id
           WHERE l.gateway_id IS NULL ORDER BY g.created_at, g.id LIMIT $4`,
          [holder.id, host, expires, room],
        );
      }
      const { rows } = await db.query(
        'SELECT l.gateway_id, g.tenant_id FROM gateway_leases l JOIN vpn_gateways g ON g.id = l.gateway_id WHERE l.owner = $1 ORDER BY l.gateway_id',
        [holder.id],
      );
      return rows.map((r) => ({ gatewayId: r.gateway_id as string, tenantId: r.tenant_id as string }));
    });
  }

  /** A clean stop: the holder's gateways are free for the others' next heartbeat. */
  async release(holderId: string): Promise<void> {
    await inTransaction(this.#pool, async (db) => {
      await lockName(db, 'sitevpn:gateway-leases');
      await db.query('DELETE FROM gateway_leases WHERE owner = $1', [holderId]);
      await db.query('DELETE FROM dataplane_instances WHERE id = $1', [holderId]);
    });
  }

  /** The leases among these gateways' that expired by `now` (their owner is gone, nobody took over yet). */
  async expired(gatewayIds: string[], now: number): Promise<Map<string, StaleLease>> {
    const stale = new Map<string, StaleLease>();
    if (gatewayIds.length === 0) return stale;
    const { rows } = await this.#pool.query(
      'SELECT gateway_id, owner, expires_at FROM gateway_leases WHERE gateway_id = ANY($1) AND expires_at <= $2',
      [gatewayIds, now],
    );
    for (const r of rows) stale.set(r.gateway_id, { owner: r.owner, expiresAt: Number(r.expires_at) });
    return stale;
  }

  /** Tells the data-plane instances that intents changed (they resync their gateways). */
  async notifyIntents(): Promise<void> {
    await this.#pool.query(`SELECT pg_notify('${INTENTS_CHANNEL}', '')`);
  }

  /**
   * Calls onChange on every intents notice until the returned stop is called. The connection is
   * dropped on error; the caller's periodic resync covers the gap, and the next listen() retries.
   */
  async listen(onChange: () => void, onDown: () => void): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString: this.#url });
    client.on('error', onDown);
    client.on('end', onDown);
    client.on('notification', (msg) => {
      if (msg.channel === INTENTS_CHANNEL) onChange();
    });
    await client.connect();
    await client.query(`LISTEN ${INTENTS_CHANNEL}`);
    return async () => {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    };
  }
}
