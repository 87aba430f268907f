// Deleted resources EC2 keeps visible for a while: the live row goes and a copy stays, in one
// transaction. A connection's copy never holds its tunnels' pre-shared keys.
import type { VpnConnection } from '../../domain/entities.ts';
import { retiredConnectionDoc } from '../documents.ts';
import type { Retired, RetiredItems, RetiredKind } from '../store.ts';
import type { PgConnections } from './connections.ts';
import { inTransaction, type PgPool } from './database.ts';

const LIVE_TABLE: Record<RetiredKind, string> = {
  'vpn-gateway': 'vpn_gateways',
  'customer-gateway': 'customer_gateways',
  'vpn-connection': 'vpn_connections',
};

export class PgRetired {
  readonly #pool: PgPool;
  readonly #connections: PgConnections;

  constructor(pool: PgPool, connections: PgConnections) {
    this.#pool = pool;
    this.#connections = connections;
  }

  async retire<K extends RetiredKind>(kind: K, item: RetiredItems[K], deletedAt: string): Promise<void> {
    const doc = kind === 'vpn-connection' ? retiredConnectionDoc(item as VpnConnection) : JSON.stringify(item);
    await inTransaction(this.#pool, async (db) => {
      // Its tunnels' events are kept only for the event retention from now on.
      if (kind === 'vpn-connection') await this.#connections.deleteIn(db, item.tenantId, item.id);
      else await db.query(`DELETE FROM ${LIVE_TABLE[kind]} WHERE id = $1 AND tenant_id = $2`, [item.id, item.tenantId]);
      await db.query(
        `INSERT INTO deleted_resources (id, kind, tenant_id, project_id, deleted_at, doc) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, tenant_id = excluded.tenant_id, project_id = excluded.project_id,
           deleted_at = excluded.deleted_at, doc = excluded.doc`,
        [item.id, kind, item.tenantId, item.projectId, deletedAt, doc],
      );
    });
  }

  async get<K extends RetiredKind>(kind: K, tenantId: string, id: string): Promise<Retired<K> | undefined> {
    const { rows } = await this.#pool.query(
      'SELECT deleted_at, doc FROM deleted_resources WHERE id = $1 AND kind = $2 AND tenant_id = $3',
      [id, kind, tenantId],
    );
    return rows[0] && { deletedAt: rows[0].deleted_at, item: JSON.parse(rows[0].doc) };
  }

  async list<K extends RetiredKind>(kind: K, tenantId: string, projectId: string): Promise<Retired<K>[]> {
    const { rows } = await this.#pool.query(
      'SELECT deleted_at, doc FROM deleted_resources WHERE tenant_id = $1 AND project_id = $2 AND kind = $3 ORDER BY deleted_at, id',
      [tenantId, projectId, kind],
    );
    return rows.map((r) => ({ deletedAt: r.deleted_at, item: JSON.parse(r.doc) }));
  }

  async purge(deletedBefore: string): Promise<number> {
    return (await this.#pool.query('DELETE FROM deleted_resources WHERE deleted_at < $1', [deletedBefore])).rowCount ?? 0;
  }
}
