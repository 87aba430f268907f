// What every part of the embedded store shares: the database, its fixed statements, the secret
// box, and the few helpers more than one part needs (opened secrets, dynamic SQL, quotas, versions).
import type { CustomerGateway, VpnConnection, VpnGateway } from '../../domain/entities.ts';
import { stamp, versionOf } from '../row-version.ts';
import type { SecretBox } from '../secret-box.ts';
import { type QuotaGuard, staleWrite } from '../store.ts';
import type { SqliteDatabase } from './database.ts';
import { prepareStatements, type Statements } from './statements.ts';

export type QuotaTable = 'vpn_gateways' | 'customer_gateways' | 'vpn_connections';

export class SqliteContext {
  readonly db: SqliteDatabase;
  readonly box: SecretBox;
  readonly q: Statements;
  /** Opening a sealed secret costs a cipher setup; reads would pay it on every request. */
  readonly #opened = new Map<string, string>();
  readonly #dynamic = new Map<string, ReturnType<SqliteDatabase['prepare']>>();

  constructor(db: SqliteDatabase, box: SecretBox) {
    this.db = db;
    this.box = box;
    this.q = prepareStatements(db);
  }

  open(sealed: string): string {
    let plain = this.#opened.get(sealed);
    if (plain === undefined) {
      plain = this.box.open(sealed);
      if (this.#opened.size >= 50_000) this.#opened.clear();
      this.#opened.set(sealed, plain);
    }
    return plain;
  }

  /** Filtered listings build their SQL from the filters given; each shape is prepared once. */
  prepared(sql: string): ReturnType<SqliteDatabase['prepare']> {
    let statement = this.#dynamic.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.#dynamic.size >= 500) this.#dynamic.clear();
      this.#dynamic.set(sql, statement);
    }
    return statement;
  }

  /** Inside the insert's transaction: this process's only writer makes count-then-insert atomic. */
  withinQuota(table: QuotaTable, tenantId: string, projectId: string, quota: QuotaGuard): void {
    const counted =
      table === 'vpn_connections'
        ? this.q.countConnections.get(tenantId, projectId)
        : this.prepared(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = @tenantId AND project_id = @projectId`).get({
            tenantId,
            projectId,
          });
    const n = (counted as { n: number }).n;
    if (n >= quota.limit) throw quota.exceeded();
  }

  /**
   * Writes only if the row is still at the version the entity was read at (when it carries one);
   * otherwise another request's write came between this one's read and write.
   */
  versionedUpdate(
    statement: Statements['updateGateway'],
    table: keyof Statements['liveRow'],
    resource: 'VpnGateway' | 'CustomerGateway' | 'VpnConnection',
    e: VpnGateway | CustomerGateway | VpnConnection,
    values: Record<string, unknown>,
  ): void {
    const expected = versionOf(e) ?? null;
    const row = statement.get({ ...values, id: e.id, tenantId: e.tenantId, expected }) as { version: number } | undefined;
    if (row) return stamp(e, row.version);
    if (expected !== null && this.q.liveRow[table].get(e.id, e.tenantId)) throw staleWrite(resource, e.id);
  }
}
