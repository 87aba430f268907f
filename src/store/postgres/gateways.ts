// VPN gateways (with their outside IPs, unique across the database) and customer gateways on
// PostgreSQL. Updates are checked against the version the entity was read at.
import type { CustomerGateway, VpnGateway } from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import { stamp, versioned, versionOf } from '../row-version.ts';
import type { QuotaGuard } from '../store.ts';
import { staleWrite } from '../store.ts';
import { withinQuota } from './connections.ts';
import { inTransaction, type PgPool, UNIQUE_VIOLATION } from './database.ts';
import type { OpenedSecrets } from './rows.ts';

export class PgGateways {
  readonly #pool: PgPool;
  readonly #secrets: OpenedSecrets;

  constructor(pool: PgPool, secrets: OpenedSecrets) {
    this.#pool = pool;
    this.#secrets = secrets;
  }

  async insertGateway(g: VpnGateway, quota?: QuotaGuard): Promise<void> {
    try {
      await inTransaction(this.#pool, async (db) => {
        if (quota) await withinQuota(db, 'vpn_gateways', g.tenantId, g.projectId, quota);
        await db.query('INSERT INTO vpn_gateways (id, tenant_id, project_id, created_at, doc) VALUES ($1, $2, $3, $4, $5)', [
          g.id,
          g.tenantId,
          g.projectId,
          g.createdAt,
          JSON.stringify(g),
        ]);
        for (const ip of g.outsideIps) await db.query('INSERT INTO gateway_ips (ip, gateway_id) VALUES ($1, $2)', [ip.ip, g.id]);
      });
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new DomainError('Duplicate', 'outside IP already allocated', { resource: 'VpnGateway', id: g.id });
      }
      throw err;
    }
    stamp(g, 1);
  }

  async getGateway(tenantId: string, id: string): Promise<VpnGateway | undefined> {
    const { rows } = await this.#pool.query('SELECT doc, version FROM vpn_gateways WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
    return rows[0] && versioned<VpnGateway>(rows[0].doc, rows[0].version);
  }

  async listGateways(tenantId: string, projectId?: string): Promise<VpnGateway[]> {
    const { rows } = projectId
      ? await this.#pool.query('SELECT doc, version FROM vpn_gateways WHERE tenant_id = $1 AND project_id = $2 ORDER BY created_at, id', [
          tenantId,
          projectId,
        ])
      : await this.#pool.query('SELECT doc, version FROM vpn_gateways WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId]);
    return rows.map((r) => versioned<VpnGateway>(r.doc, r.version));
  }

  async updateGateway(g: VpnGateway): Promise<void> {
    await this.#updateVersioned('vpn_gateways', 'VpnGateway', g, [JSON.stringify(g)], 'doc = $4');
  }

  async deleteGateway(tenantId: string, id: string): Promise<void> {
    await this.#pool.query('DELETE FROM vpn_gateways WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
  }

  async allocatedOutsideIps(): Promise<Set<string>> {
    return new Set((await this.#pool.query('SELECT ip FROM gateway_ips')).rows.map((r) => r.ip as string));
  }

  // The device profile's PSK is sealed into its own column; the document never holds it.
  async insertCustomerGateway(c: CustomerGateway, quota?: QuotaGuard): Promise<void> {
    const { doc, sealed } = this.#cgwDoc(c);
    await inTransaction(this.#pool, async (db) => {
      if (quota) await withinQuota(db, 'customer_gateways', c.tenantId, c.projectId, quota);
      await db.query(
        'INSERT INTO customer_gateways (id, tenant_id, project_id, created_at, doc, device_psk_sealed) VALUES ($1, $2, $3, $4, $5, $6)',
        [c.id, c.tenantId, c.projectId, c.createdAt, doc, sealed],
      );
    });
    stamp(c, 1);
  }

  async getCustomerGateway(tenantId: string, id: string): Promise<CustomerGateway | undefined> {
    const { rows } = await this.#pool.query(
      'SELECT doc, version, device_psk_sealed FROM customer_gateways WHERE id = $1 AND tenant_id = $2',
      [id, tenantId],
    );
    return rows[0] && this.#toCgw(rows[0]);
  }

  async listCustomerGateways(tenantId: string, projectId?: string): Promise<CustomerGateway[]> {
    const { rows } = projectId
      ? await this.#pool.query(
          'SELECT doc, version, device_psk_sealed FROM customer_gateways WHERE tenant_id = $1 AND project_id = $2 ORDER BY created_at, id',
          [tenantId, projectId],
        )
      : await this.#pool.query(
          'SELECT doc, version, device_psk_sealed FROM customer_gateways WHERE tenant_id = $1 ORDER BY created_at, id',
          [tenantId],
        );
    return rows.map((r) => this.#toCgw(r));
  }

  async updateCustomerGateway(c: CustomerGateway): Promise<void> {
    const { doc, sealed } = this.#cgwDoc(c);
    await this.#updateVersioned('customer_gateways', 'CustomerGateway', c, [doc, sealed], 'doc = $4, device_psk_sealed = $5');
  }

  async deleteCustomerGateway(tenantId: string, id: string): Promise<void> {
    await this.#pool.query('DELETE FROM customer_gateways WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
  }

  #cgwDoc(c: CustomerGateway): { doc: string; sealed: string | null } {
    const psk = c.deviceProfile?.psk;
    if (psk === undefined) return { doc: JSON.stringify(c), sealed: null };
    return { doc: JSON.stringify({ ...c, deviceProfile: { ...c.deviceProfile, psk: undefined } }), sealed: this.#secrets.seal(psk) };
  }

  #toCgw(row: { doc: string; version: string; device_psk_sealed: string | null }): CustomerGateway {
    const c = versioned<CustomerGateway>(row.doc, row.version);
    if (row.device_psk_sealed !== null && c.deviceProfile) c.deviceProfile.psk = this.#secrets.open(row.device_psk_sealed);
    return c;
  }

  /** An update checked against the version the entity was read at, when it carries one. */
  async #updateVersioned(
    table: string,
    resource: 'VpnGateway' | 'CustomerGateway',
    e: VpnGateway | CustomerGateway,
    values: unknown[],
    set: string,
  ): Promise<void> {
    const expected = versionOf(e);
    const r = await this.#pool.query(
      `UPDATE ${table} SET ${set}, version = version + 1 WHERE id = $1 AND tenant_id = $2 AND ($3::bigint IS NULL OR version = $3) RETURNING version`,
      [e.id, e.tenantId, expected ?? null, ...values],
    );
    if (r.rowCount === 1) return stamp(e, Number(r.rows[0].version));
    if (expected === undefined) return;
    const live = await this.#pool.query(`SELECT 1 FROM ${table} WHERE id = $1 AND tenant_id = $2`, [e.id, e.tenantId]);
    if (live.rows.length > 0) throw staleWrite(resource, e.id);
  }

  async countCustomerGateways(tenantId: string, projectId: string): Promise<number> {
    return Number(
      (
        await this.#pool.query('SELECT count(*) AS n FROM customer_gateways WHERE tenant_id = $1 AND project_id = $2', [
          tenantId,
          projectId,
        ])
      ).rows[0].n,
    );
  }
}
