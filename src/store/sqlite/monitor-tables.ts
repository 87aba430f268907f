// Connection monitors and the tunnel path observations behind their status. A monitor row goes
// with its connection, a path row with its tunnel (foreign keys, ON DELETE CASCADE).
import type { ConnectionMonitor, PathObservation } from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import type { SqliteDatabase } from './database.ts';

export class MonitorTables {
  readonly #db: SqliteDatabase;
  readonly #q;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#q = {
      upsertPath: db.prepare(
        `INSERT INTO tunnel_paths (tunnel_id, generation, status, detail, at)
         SELECT id, generation, ?, ?, ? FROM tunnels WHERE id = ? AND generation = ?
         ON CONFLICT (tunnel_id) DO UPDATE SET generation = excluded.generation, status = excluded.status, detail = excluded.detail, at = excluded.at`,
      ),
      insertMonitor: db.prepare(
        'INSERT INTO connection_monitors (id, tenant_id, project_id, connection_id, created_at, doc) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      getMonitor: db.prepare('SELECT doc FROM connection_monitors WHERE id = ? AND tenant_id = ?'),
      listMonitors: db.prepare('SELECT doc FROM connection_monitors WHERE tenant_id = ? AND project_id = ? ORDER BY created_at, id'),
      listMonitorsOf: db.prepare(
        'SELECT doc FROM connection_monitors WHERE tenant_id = ? AND project_id = ? AND connection_id = ? ORDER BY created_at, id',
      ),
      deleteMonitor: db.prepare('DELETE FROM connection_monitors WHERE id = ? AND tenant_id = ?'),
    };
  }

  recordPath(tunnelId: string, generation: number, path: PathObservation): void {
    this.#q.upsertPath.run(path.status, path.detail, path.at, tunnelId, generation);
  }

  getPaths(tunnelIds: string[]): Map<string, PathObservation> {
    const out = new Map<string, PathObservation>();
    if (tunnelIds.length === 0) return out;
    const rows = this.#db
      .prepare(`SELECT tunnel_id, status, detail, at FROM tunnel_paths WHERE tunnel_id IN (${tunnelIds.map(() => '?').join(', ')})`)
      .all(...tunnelIds) as { tunnel_id: string; status: 'UP' | 'DOWN'; detail: string; at: string }[];
    for (const r of rows) out.set(r.tunnel_id, { status: r.status, detail: r.detail, at: r.at });
    return out;
  }

  insertMonitor(m: ConnectionMonitor): void {
    try {
      this.#q.insertMonitor.run(m.id, m.tenantId, m.projectId, m.connectionId, m.createdAt, JSON.stringify(m));
    } catch (err) {
      // One monitor per connection (a unique index): a second one is a repeated operation.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new DomainError('Duplicate', `vpn connection ${m.connectionId} already has a connection monitor`, {
          resource: 'ConnectionMonitor',
        });
      }
      throw err;
    }
  }

  getMonitor(tenantId: string, id: string): ConnectionMonitor | undefined {
    const row = this.#q.getMonitor.get(id, tenantId) as { doc: string } | undefined;
    return row && (JSON.parse(row.doc) as ConnectionMonitor);
  }

  listMonitors(tenantId: string, projectId: string, connectionId?: string): ConnectionMonitor[] {
    const rows = (
      connectionId === undefined
        ? this.#q.listMonitors.all(tenantId, projectId)
        : this.#q.listMonitorsOf.all(tenantId, projectId, connectionId)
    ) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as ConnectionMonitor);
  }

  deleteMonitor(tenantId: string, id: string): void {
    this.#q.deleteMonitor.run(id, tenantId);
  }
}
