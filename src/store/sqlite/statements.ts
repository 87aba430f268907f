// Every fixed SQL statement of the embedded store, prepared once at open.
import type { SqliteDatabase } from './database.ts';

export function prepareStatements(db: SqliteDatabase) {
  const p = (sql: string) => db.prepare(sql);
  return {
    insertTenant: p('INSERT INTO tenants (id, account_id, name, created_at) VALUES (?, ?, ?, ?)'),
    countTenants: p('SELECT count(*) AS n FROM tenants'),
    getTenant: p('SELECT * FROM tenants WHERE id = ?'),
    listTenants: p('SELECT * FROM tenants ORDER BY created_at, id'),
    insertProject: p('INSERT INTO projects (id, tenant_id, name, region, created_at) VALUES (?, ?, ?, ?, ?)'),
    getProject: p('SELECT * FROM projects WHERE id = ?'),
    listProjects: p('SELECT * FROM projects WHERE tenant_id = ? ORDER BY created_at, id'),
    upsertKey: p(
      `INSERT INTO access_keys (access_key_id, tenant_id, secret_sealed, policy, description, created_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (access_key_id) DO UPDATE SET secret_sealed = excluded.secret_sealed,
         policy = excluded.policy, description = excluded.description`,
    ),
    getKey: p('SELECT * FROM access_keys WHERE access_key_id = ?'),
    listKeys: p('SELECT * FROM access_keys ORDER BY created_at, access_key_id'),
    listKeysOfTenant: p('SELECT * FROM access_keys WHERE tenant_id = ? ORDER BY created_at, access_key_id'),
    deleteKey: p('DELETE FROM access_keys WHERE access_key_id = ?'),
    // data_version moves when another connection (another process) commits; then the key
    // revision row says whether that commit touched access keys.
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    keyRevision: db.prepare('SELECT n FROM key_revision WHERE id = 1').pluck(),

    insertGateway: p('INSERT INTO vpn_gateways (id, tenant_id, project_id, created_at, doc) VALUES (?, ?, ?, ?, ?)'),
    insertGatewayIp: p('INSERT INTO gateway_ips (ip, gateway_id) VALUES (?, ?)'),
    getGateway: p('SELECT doc, version FROM vpn_gateways WHERE id = ? AND tenant_id = ?'),
    listGateways: p('SELECT doc, version FROM vpn_gateways WHERE tenant_id = ? ORDER BY created_at, id'),
    listGatewaysOfProject: p('SELECT doc, version FROM vpn_gateways WHERE tenant_id = ? AND project_id = ? ORDER BY created_at, id'),
    updateGateway: p(
      'UPDATE vpn_gateways SET doc = @doc, version = version + 1 WHERE id = @id AND tenant_id = @tenantId AND (@expected IS NULL OR version = @expected) RETURNING version',
    ),
    deleteGateway: p('DELETE FROM vpn_gateways WHERE id = ? AND tenant_id = ?'),
    listGatewayIps: p('SELECT ip FROM gateway_ips'),

    insertCgw: p('INSERT INTO customer_gateways (id, tenant_id, project_id, created_at, doc, device_psk_sealed) VALUES (?, ?, ?, ?, ?, ?)'),
    getCgw: p('SELECT doc, version, device_psk_sealed FROM customer_gateways WHERE id = ? AND tenant_id = ?'),
    listCgws: p('SELECT doc, version, device_psk_sealed FROM customer_gateways WHERE tenant_id = ? ORDER BY created_at, id'),
    listCgwsOfProject: p(
      'SELECT doc, version, device_psk_sealed FROM customer_gateways WHERE tenant_id = ? AND project_id = ? ORDER BY created_at, id',
    ),
    updateCgw: p(
      'UPDATE customer_gateways SET doc = @doc, device_psk_sealed = @sealed, version = version + 1 WHERE id = @id AND tenant_id = @tenantId AND (@expected IS NULL OR version = @expected) RETURNING version',
    ),
    deleteCgw: p('DELETE FROM customer_gateways WHERE id = ? AND tenant_id = ?'),

    insertConnection: p(
      `INSERT INTO vpn_connections (id, tenant_id, project_id, vgw_id, cgw_id, enterprise_project_id, created_at, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    getConnection: p('SELECT doc, version FROM vpn_connections WHERE id = ? AND tenant_id = ?'),
    getConnectionWithTunnels: p(
      `SELECT c.doc, c.version AS row_version, t.* FROM vpn_connections c JOIN tunnels t ON t.connection_id = c.id
       WHERE c.id = ? AND c.tenant_id = ? ORDER BY t.idx`,
    ),
    getConnectionAnchor: p('SELECT created_at, id FROM vpn_connections WHERE id = ? AND tenant_id = ?'),
    updateConnection: p(
      'UPDATE vpn_connections SET cgw_id = @cgwId, doc = @doc, version = version + 1 WHERE id = @id AND tenant_id = @tenantId AND (@expected IS NULL OR version = @expected) RETURNING version',
    ),
    liveRow: {
      vpn_gateways: p('SELECT 1 FROM vpn_gateways WHERE id = ? AND tenant_id = ?'),
      customer_gateways: p('SELECT 1 FROM customer_gateways WHERE id = ? AND tenant_id = ?'),
      vpn_connections: p('SELECT 1 FROM vpn_connections WHERE id = ? AND tenant_id = ?'),
    },
    deleteConnection: p('DELETE FROM vpn_connections WHERE id = ? AND tenant_id = ?'),
    // One row kept by triggers (migration connection_counts), not a count of every connection.
    countConnections: p('SELECT coalesce((SELECT n FROM connection_counts WHERE tenant_id = ? AND project_id = ?), 0) AS n'),

    insertRetired: p(
      'INSERT OR REPLACE INTO deleted_resources (id, kind, tenant_id, project_id, deleted_at, doc) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    getRetired: p('SELECT deleted_at, doc FROM deleted_resources WHERE id = ? AND kind = ? AND tenant_id = ?'),
    listRetired: p(
      'SELECT deleted_at, doc FROM deleted_resources WHERE tenant_id = ? AND project_id = ? AND kind = ? ORDER BY deleted_at, id',
    ),
    purgeRetired: p('DELETE FROM deleted_resources WHERE deleted_at < ?'),

    insertTunnel: p(
      `INSERT INTO tunnels (id, connection_id, idx, outside_ip, outside_ip_id, generation, psk_sealed, config, observed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    listTunnels: p('SELECT * FROM tunnels WHERE connection_id = ? ORDER BY idx'),
    listAllTunnels: p(
      `SELECT t.*, c.tenant_id FROM tunnels t JOIN vpn_connections c ON c.id = t.connection_id ORDER BY c.created_at, t.idx`,
    ),
    updateTunnelConfig: p(
      // The observation is replaced only when the config generation moves on, so a write of names
      // or tags never clobbers what the reconciler recorded meanwhile.
      `UPDATE tunnels SET outside_ip = @outsideIp, outside_ip_id = @outsideIpId, psk_sealed = @psk, config = @config,
         observed = CASE WHEN generation = @generation THEN observed ELSE @observed END, generation = @generation
       WHERE id = @id`,
    ),
    getTunnelOwner: p(
      `SELECT t.generation, t.connection_id, t.observed, c.tenant_id FROM tunnels t JOIN vpn_connections c ON c.id = t.connection_id WHERE t.id = ?`,
    ),
    updateObservation: p('UPDATE tunnels SET observed = ? WHERE id = ?'),
    insertEvent: p('INSERT INTO tunnel_events (tunnel_id, connection_id, at, kind, detail) VALUES (?, ?, ?, ?, ?)'),
    listLogEvents: p(`SELECT * FROM tunnel_events WHERE tunnel_id = ? AND kind = 'log' ORDER BY seq DESC LIMIT ?`),
    listHistoryEvents: p(`SELECT * FROM tunnel_events WHERE tunnel_id = ? AND kind <> 'log' ORDER BY seq DESC LIMIT ?`),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
