// Connection monitors and tunnel path observations on PostgreSQL. A monitor row goes with its
// connection, a path row with its tunnel (foreign keys, ON DELETE CASCADE).
import type { ConnectionMonitor, PathObservation } from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import { type PgPool, UNIQUE_VIOLATION } from './database.ts';

export class PgMonitors {
  readonly #pool: PgPool;

  constructor(pool: PgPool) {
    this.#pool = pool;
  }

  async recordPath(tunnelId: string, generation: number, path: PathObservation): Promise<void> {
    await this.#pool.query(
      `INSERT INTO tunnel_paths (tunnel_id, generation, status, detail, at)
       SELECT id, generation, $1, $2, $3 FROM tunnels WHERE id = $4 AND generation = $5
       ON CONFLICT (tunnel_id) DO UPDATE SET generation = excluded.generation, status = excluded.status, detail = excluded.detail, at = excluded.at`,
      [path.status, path.detail, path.at, tunnelId, generation],
    );
  }

  async getPaths(tunnelIds: string[]): Promise<Map<string, PathObservation>> {
    const out = new Map<string, PathObservation>();
    if (tunnelIds.length === 0) return out;
    const { rows } = await this.#pool.query('SELECT tunnel_id, status, detail, at FROM tunnel_paths WHERE tunnel_id = ANY($1)', [
      tunnelIds,
    ]);
    for (const r of rows) out.set(r.tunnel_id, { status: r.status, detail: r.detail, at: r.at });
    return out;
  }

  async insertMonitor(m: ConnectionMonitor): Promise<void> {
    try {
      await this.#pool.query(
        'INSERT INTO connection_monitors (id, tenant_id, project_id, connection_id, created_at, doc) VALUES ($1, $2, $3, $4, $5, $6)',
        [m.id, m.tenantId, m.projectId, m.connectionId, m.createdAt, JSON.stringify(m)],
      );
    } catch (err) {
      // One monitor per connection (a unique index): a second one is a repeated operation.
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new DomainError('Duplicate', `vpn connection ${m.connectionId} already has a connection monitor`, {
          resource: 'ConnectionMonitor',
        });
      }
      throw err;
    }
  }

  async getMonitor(tenantId: string, id: string): Promise<ConnectionMonitor | undefined> {
    const { rows } = await this.#pool.query('SELECT doc FROM connection_monitors WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
    return rows[0] && (JSON.parse(rows[0].doc) as ConnectionMonitor);
  }

  async listMonitors(tenantId: string, projectId: string, connectionId?: string): Promise<ConnectionMonitor[]> {
    const { rows } =
      connectionId === undefined
        ? await this.#pool.query('SELECT doc FROM connection_monitors WHERE tenant_id = $1 AND project_id = $2 ORDER BY created_at, id', [
            tenantId,
            projectId,
          ])
        : await this.#pool.query(
            'SELECT doc FROM connection_monitors WHERE tenant_id = $1 AND project_id = $2 AND connection_id = $3 ORDER BY created_at, id',
            [tenantId, projectId, connectionId],
          );
    return rows.map((r) => JSON.parse(r.doc) as ConnectionMonitor);
  }

  async deleteMonitor(tenantId: string, id: string): Promise<void> {
    await this.#pool.query('DELETE FROM connection_monitors WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
  }
}
