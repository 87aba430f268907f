// Schema migrations for the embedded store, applied in order at start inside one transaction
// each; PRAGMA user_version records how far a database has come.

export const sqliteMigrations: string[] = [
  `
  CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    region TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX projects_tenant ON projects(tenant_id);
  CREATE TABLE access_keys (
    access_key_id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    secret_sealed TEXT NOT NULL,
    policy TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE vpn_gateways (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX vpn_gateways_tenant ON vpn_gateways(tenant_id, project_id, created_at);
  CREATE TABLE gateway_ips (
    ip TEXT PRIMARY KEY,
    gateway_id TEXT NOT NULL REFERENCES vpn_gateways(id) ON DELETE CASCADE
  );
  CREATE TABLE customer_gateways (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX customer_gateways_tenant ON customer_gateways(tenant_id, project_id, created_at);
  CREATE TABLE vpn_connections (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    vgw_id TEXT NOT NULL,
    cgw_id TEXT NOT NULL,
    enterprise_project_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX vpn_connections_tenant ON vpn_connections(tenant_id, project_id, created_at, id);
  CREATE INDEX vpn_connections_cgw ON vpn_connections(tenant_id, cgw_id);
  CREATE INDEX vpn_connections_vgw ON vpn_connections(tenant_id, vgw_id);
  CREATE TABLE tunnels (
    id TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL REFERENCES vpn_connections(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    outside_ip TEXT NOT NULL,
    outside_ip_id TEXT NOT NULL,
    generation INTEGER NOT NULL,
    psk_sealed TEXT NOT NULL,
    config TEXT NOT NULL,
    observed TEXT NOT NULL
  );
  CREATE INDEX tunnels_connection ON tunnels(connection_id, idx);
  CREATE INDEX tunnels_outside_ip ON tunnels(outside_ip);
  CREATE TABLE tunnel_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tunnel_id TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX tunnel_events_tunnel ON tunnel_events(tunnel_id, seq);
  `,
  // The access-key revision: one counter row that triggers bump on every change to access_keys,
  // so a server process notices keys changed by another process (the CLI) with one cheap read.
  `
  CREATE TABLE key_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
  );
  INSERT INTO key_revision (id, n) VALUES (1, 0);
  CREATE TRIGGER access_keys_revision_insert AFTER INSERT ON access_keys
    BEGIN UPDATE key_revision SET n = n + 1 WHERE id = 1; END;
  CREATE TRIGGER access_keys_revision_update AFTER UPDATE ON access_keys
    BEGIN UPDATE key_revision SET n = n + 1 WHERE id = 1; END;
  CREATE TRIGGER access_keys_revision_delete AFTER DELETE ON access_keys
    BEGIN UPDATE key_revision SET n = n + 1 WHERE id = 1; END;
  `,
];
