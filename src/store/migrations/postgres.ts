// Schema migrations for the PostgreSQL store, applied in order at start, each in its own
// transaction; schema_version records how far a database has come. The same tables as the
// embedded store (documents beside the columns queries filter on), plus what several processes
// need: a version column per mutable row for optimistic concurrency.

export const postgresMigrations: string[] = [
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
  CREATE INDEX projects_tenant ON projects(tenant_id, created_at, id);
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
    version BIGINT NOT NULL DEFAULT 1,
    doc TEXT NOT NULL
  );
  CREATE INDEX vpn_gateways_tenant ON vpn_gateways(tenant_id, project_id, created_at, id);
  CREATE TABLE gateway_ips (
    ip TEXT PRIMARY KEY,
    gateway_id TEXT NOT NULL REFERENCES vpn_gateways(id) ON DELETE CASCADE
  );
  CREATE INDEX gateway_ips_gateway ON gateway_ips(gateway_id);
  CREATE TABLE customer_gateways (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    doc TEXT NOT NULL,
    device_psk_sealed TEXT
  );
  CREATE INDEX customer_gateways_tenant ON customer_gateways(tenant_id, project_id, created_at, id);
  CREATE TABLE vpn_connections (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    vgw_id TEXT NOT NULL,
    cgw_id TEXT NOT NULL,
    enterprise_project_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    doc TEXT NOT NULL
  );
  CREATE INDEX vpn_connections_tenant ON vpn_connections(tenant_id, project_id, created_at, id);
  CREATE INDEX vpn_connections_page ON vpn_connections(tenant_id, created_at, id);
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
  CREATE INDEX tunnels_outside_ip_id ON tunnels(outside_ip_id);
  CREATE TABLE tunnel_events (
    seq BIGSERIAL PRIMARY KEY,
    tunnel_id TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX tunnel_events_tunnel ON tunnel_events(tunnel_id, seq);
  CREATE INDEX tunnel_events_at ON tunnel_events(at);
  CREATE INDEX tunnel_events_connection ON tunnel_events(connection_id);
  CREATE TABLE deleted_connections (id TEXT PRIMARY KEY, deleted_at TEXT NOT NULL);
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
];

// Connections per project, kept by a trigger: the quota check and the total of a project's paged
// listing read one row instead of counting every connection.
postgresMigrations.push(`
  CREATE TABLE connection_counts (
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, project_id)
  );
  INSERT INTO connection_counts (tenant_id, project_id, n)
    SELECT tenant_id, project_id, count(*) FROM vpn_connections GROUP BY tenant_id, project_id;
  CREATE FUNCTION connection_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO connection_counts (tenant_id, project_id, n) VALUES (NEW.tenant_id, NEW.project_id, 1)
        ON CONFLICT (tenant_id, project_id) DO UPDATE SET n = connection_counts.n + 1;
    ELSE
      UPDATE connection_counts SET n = n - 1 WHERE tenant_id = OLD.tenant_id AND project_id = OLD.project_id;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER connection_counts_keep AFTER INSERT OR DELETE ON vpn_connections
    FOR EACH ROW EXECUTE FUNCTION connection_counts_keep();
`);

// The access-key revision: one counter row a statement trigger bumps on every change to
// access_keys, announcing the new value on the sitevpn_keys channel, so every instance learns of
// a revoked or changed key without asking the database on each request.
postgresMigrations.push(`
  CREATE TABLE key_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
  );
  INSERT INTO key_revision (id, n) VALUES (1, 0);
  CREATE FUNCTION key_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    next BIGINT;
  BEGIN
    UPDATE key_revision SET n = n + 1 WHERE id = 1 RETURNING n INTO next;
    PERFORM pg_notify('sitevpn_keys', next::text);
    RETURN NULL;
  END $$;
  CREATE TRIGGER access_keys_revision AFTER INSERT OR UPDATE OR DELETE ON access_keys
    FOR EACH STATEMENT EXECUTE FUNCTION key_revision_bump();
`);

// Gateway leases (issue 13): each VPN gateway is owned by one data-plane instance, which renews
// its lease; a lease left to expire is taken over by another instance of the same host.
// Expiry times are milliseconds since the epoch from the instances' clocks (kept in step by NTP,
// and injectable in tests). Leases go with their gateway.
postgresMigrations.push(`
  CREATE TABLE dataplane_instances (
    id TEXT PRIMARY KEY,
    host TEXT,
    expires_at BIGINT NOT NULL
  );
  CREATE TABLE gateway_leases (
    gateway_id TEXT PRIMARY KEY REFERENCES vpn_gateways(id) ON DELETE CASCADE,
    owner TEXT NOT NULL,
    host TEXT,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX gateway_leases_owner ON gateway_leases(owner);
`);
