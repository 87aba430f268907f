// VPN gateways (with the outside IPs they hold) and customer gateways (with a device profile
// whose PSK is sealed into its own column; the document never holds it).
import type { CustomerGateway, VpnGateway } from '../../domain/entities.ts';
import { DomainError } from '../../domain/errors.ts';
import { stamp, versioned } from '../row-version.ts';
import type { QuotaGuard } from '../store.ts';
import type { SqliteContext } from './context.ts';
import type { CgwRow } from './rows.ts';

type DocRow = { doc: string; version: number };

export class SqliteGateways {
  readonly #ctx: SqliteContext;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
  }

  insertGateway(g: VpnGateway, quota?: QuotaGuard): void {
    const { db, q } = this.#ctx;
    try {
      db.transaction(() => {
        if (quota) this.#ctx.withinQuota('vpn_gateways', g.tenantId, g.projectId, quota);
        q.insertGateway.run(g.id, g.tenantId, g.projectId, g.createdAt, JSON.stringify(g));
        for (const ip of g.outsideIps) q.insertGatewayIp.run(ip.ip, g.id);
      })();
      stamp(g, 1);
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw new DomainError('Duplicate', 'outside IP already allocated', { resource: 'VpnGateway', id: g.id });
      }
      throw err;
    }
  }

  /** One count on the tenant/project index: the customer-gateway quota check reads nothing else. */
  countCustomerGateways(tenantId: string, projectId: string): number {
    const sql = 'SELECT count(*) AS n FROM customer_gateways WHERE tenant_id = @tenantId AND project_id = @projectId';
    return (this.#ctx.prepared(sql).get({ tenantId, projectId }) as { n: number }).n;
  }

  getGateway(tenantId: string, id: string): VpnGateway | undefined {
    const row = this.#ctx.q.getGateway.get(id, tenantId) as DocRow | undefined;
    return row && versioned<VpnGateway>(row.doc, row.version);
  }

  listGateways(tenantId: string, projectId?: string): VpnGateway[] {
    const { q } = this.#ctx;
    const rows = (projectId ? q.listGatewaysOfProject.all(tenantId, projectId) : q.listGateways.all(tenantId)) as DocRow[];
    return rows.map((r) => versioned<VpnGateway>(r.doc, r.version));
  }

  updateGateway(g: VpnGateway): void {
    this.#ctx.versionedUpdate(this.#ctx.q.updateGateway, 'vpn_gateways', 'VpnGateway', g, { doc: JSON.stringify(g) });
  }

  deleteGateway(tenantId: string, id: string): void {
    this.#ctx.q.deleteGateway.run(id, tenantId);
  }

  allocatedOutsideIps(): Set<string> {
    return new Set((this.#ctx.q.listGatewayIps.all() as { ip: string }[]).map((r) => r.ip));
  }

  insertCustomerGateway(c: CustomerGateway, quota?: QuotaGuard): void {
    const { doc, sealed } = this.#cgwDoc(c);
    this.#ctx.db.transaction(() => {
      if (quota) this.#ctx.withinQuota('customer_gateways', c.tenantId, c.projectId, quota);
      this.#ctx.q.insertCgw.run(c.id, c.tenantId, c.projectId, c.createdAt, doc, sealed);
    })();
    stamp(c, 1);
  }

  getCustomerGateway(tenantId: string, id: string): CustomerGateway | undefined {
    const row = this.#ctx.q.getCgw.get(id, tenantId) as CgwRow | undefined;
    return row && this.#toCgw(row);
  }

  listCustomerGateways(tenantId: string, projectId?: string): CustomerGateway[] {
    const { q } = this.#ctx;
    const rows = (projectId ? q.listCgwsOfProject.all(tenantId, projectId) : q.listCgws.all(tenantId)) as CgwRow[];
    return rows.map((r) => this.#toCgw(r));
  }

  updateCustomerGateway(c: CustomerGateway): void {
    const { doc, sealed } = this.#cgwDoc(c);
    this.#ctx.versionedUpdate(this.#ctx.q.updateCgw, 'customer_gateways', 'CustomerGateway', c, { doc, sealed });
  }

  deleteCustomerGateway(tenantId: string, id: string): void {
    this.#ctx.q.deleteCgw.run(id, tenantId);
  }

  #cgwDoc(c: CustomerGateway): { doc: string; sealed: string | null } {
    const psk = c.deviceProfile?.psk;
    if (psk === undefined) return { doc: JSON.stringify(c), sealed: null };
    return { doc: JSON.stringify({ ...c, deviceProfile: { ...c.deviceProfile, psk: undefined } }), sealed: this.#ctx.box.seal(psk) };
  }

  #toCgw(row: CgwRow): CustomerGateway {
    const c = versioned<CustomerGateway>(row.doc, row.version);
    if (row.device_psk_sealed !== null && c.deviceProfile) c.deviceProfile.psk = this.#ctx.open(row.device_psk_sealed);
    return c;
  }
}
