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
  // Deleted resources kept for EC2's Describe (state deleting/deleted) until purged; the live
  // tables never hold them, so quotas, in-use checks and the Huawei dialect never see them.
  `
  CREATE TABLE deleted_resources (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX deleted_resources_scope ON deleted_resources(tenant_id, project_id, kind, deleted_at);
  CREATE INDEX deleted_resources_age ON deleted_resources(deleted_at);
  `,
  // Connection monitors, and the path observations the reconciler records for them.
  `
  CREATE TABLE connection_monitors (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    connection_id TEXT NOT NULL REFERENCES vpn_connections(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX connection_monitors_tenant ON connection_monitors(tenant_id, project_id, created_at, id);
  CREATE UNIQUE INDEX connection_monitors_connection ON connection_monitors(connection_id);
  CREATE TABLE tunnel_paths (
    tunnel_id TEXT PRIMARY KEY REFERENCES tunnels(id) ON DELETE CASCADE,
    generation INTEGER NOT NULL,
    status TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL
  );
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

// Device-profile pre-shared keys are sealed in their own column (the store moves any clear one
// there at open); the chore asks the store to rebuild the file once, so bytes of profiles
// written or deleted before this migration do not survive in free pages.
sqliteMigrations.push(`
  ALTER TABLE customer_gateways ADD COLUMN device_psk_sealed TEXT;
  CREATE TABLE IF NOT EXISTS store_chores (name TEXT PRIMARY KEY);
  INSERT OR IGNORE INTO store_chores (name) VALUES ('rebuild-file');
`);

// Bounded tunnel history: events age out by time, and the events of a deleted connection go
// after a retention period counted from deleted_connections.deleted_at. Events whose connection
// is already gone start that period now.
sqliteMigrations.push(`
  CREATE INDEX IF NOT EXISTS tunnel_events_at ON tunnel_events(at);
  CREATE INDEX IF NOT EXISTS tunnel_events_connection ON tunnel_events(connection_id);
  CREATE TABLE IF NOT EXISTS deleted_connections (id TEXT PRIMARY KEY, deleted_at TEXT NOT NULL);
  INSERT OR IGNORE INTO deleted_connections (id, deleted_at)
    SELECT DISTINCT connection_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM tunnel_events
    WHERE connection_id NOT IN (SELECT id FROM vpn_connections);
`);

// Row versions: an update from a stale read (two requests' read-modify-writes interleaving at
// their awaits) is refused instead of silently overwriting the other one.
sqliteMigrations.push(`
  ALTER TABLE vpn_gateways ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE customer_gateways ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE vpn_connections ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
`);

// Connections per project, kept by triggers: the quota check and the total of a project's paged
// listing read one row instead of counting every connection (a page then costs the same at a
// thousand connections and at a million).
sqliteMigrations.push(`
  CREATE TABLE IF NOT EXISTS connection_counts (
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, project_id)
  );
  DELETE FROM connection_counts;
  INSERT INTO connection_counts (tenant_id, project_id, n)
    SELECT tenant_id, project_id, count(*) FROM vpn_connections GROUP BY tenant_id, project_id;
  CREATE TRIGGER IF NOT EXISTS connection_counts_insert AFTER INSERT ON vpn_connections BEGIN
    INSERT INTO connection_counts (tenant_id, project_id, n) VALUES (NEW.tenant_id, NEW.project_id, 1)
      ON CONFLICT (tenant_id, project_id) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER IF NOT EXISTS connection_counts_delete AFTER DELETE ON vpn_connections BEGIN
    UPDATE connection_counts SET n = n - 1 WHERE tenant_id = OLD.tenant_id AND project_id = OLD.project_id;
  END;
`);

// The duplicate-peer check ("this outside IP with this customer gateway") looks for a tunnel of a
// given connection with a given outside IP. Without this index SQLite answered it through
// tunnels_outside_ip, reading every tunnel on that IP: with one gateway's two IPs, half of all
// tunnels per create, so creates slowed as the table grew (41/s at 37,000 connections).
sqliteMigrations.push(`
  CREATE INDEX IF NOT EXISTS tunnels_connection_outside_ip ON tunnels(connection_id, outside_ip);
`);
