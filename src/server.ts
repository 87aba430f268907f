// Composition root: builds the object graph from a validated config (store, data plane,
// reconciler, services, purger, metrics) and hands the HTTP side (src/http/app.ts) what it serves.
// Everything comes from the config and the deps passed in, so tests run several independent
// instances in one process.

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { ServeRole, SitevpnConfig } from './config/config.ts';
import { createDataplane } from './dataplane/create-dataplane.ts';
import { type DataplaneDriver, reportsSession } from './dataplane/driver.ts';
import { GatewayOwner } from './dataplane/gateway-owner.ts';
import { Reconciler } from './dataplane/reconciler.ts';
import { RemoteDataplane } from './dataplane/remote-dataplane.ts';
import { randomIds } from './domain/ids.ts';
import { type Clock, type IdGenerator, systemClock } from './domain/ports.ts';
import { createHttpServer, listenOn } from './http/app.ts';
import { redactingLogger } from './http/logging.ts';
import { MetricsRecorder } from './http/metrics.ts';
import { ConnectionService } from './service/connections.ts';
import { CustomerGatewayService } from './service/customer-gateways.ts';
import { DeviceProfileService } from './service/device-profiles.ts';
import { DiagnosticsService } from './service/diagnostics.ts';
import { EventService, type TunnelEventSource } from './service/events.ts';
import { GatewaySync } from './service/gateway-sync.ts';
import { GatewayService } from './service/gateways.ts';
import { MonitorService } from './service/monitors.ts';
import { NegotiationService } from './service/negotiation.ts';
import { RelayedEventSource } from './service/relayed-events.ts';
import { DeletedResourcePurger, type DeletionPolicy } from './service/retention.ts';
import type { Services } from './service/services.ts';
import { TagService } from './service/tags.ts';
import { type BootstrapResult, TenantService } from './service/tenants.ts';
import { openStore } from './store/open-store.ts';
import type { PgEventRelay } from './store/postgres/event-relay.ts';
import type { PgLeases } from './store/postgres/leases.ts';
import { PostgresStore } from './store/postgres/postgres-store.ts';
import type { Store } from './store/store.ts';

export interface AppDeps {
  clock?: Clock;
  ids?: IdGenerator;
  logger?: Logger;
  dataplane?: DataplaneDriver;
}

export interface App {
  config: SitevpnConfig;
  server: FastifyInstance;
  store: Store;
  services: Services;
  reconciler: Reconciler;
  dataplane: DataplaneDriver;
  bootstrap: BootstrapResult;
  metrics: MetricsRecorder;
  /** The gateway-lease side of a data-plane instance (role dataplane). */
  owner?: GatewayOwner;
  /** Starts listening; resolves with the bound address. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export function buildServices(
  config: SitevpnConfig,
  store: Store,
  dataplane: DataplaneDriver,
  eventSource: TunnelEventSource,
  clock: Clock,
  ids: IdGenerator,
): Services {
  const deletion = deletionPolicy(config);
  return {
    tenants: new TenantService(store, clock),
    gateways: new GatewayService(store, clock, ids, config.outsideIpPool, config.quotas.gateways, deletion),
    customerGateways: new CustomerGatewayService(store, clock, ids, config.quotas.customerGateways, deletion),
    connections: new ConnectionService(store, dataplane, clock, ids, config.quotas.connections, deletion),
    deviceProfiles: new DeviceProfileService(store, dataplane, clock),
    tags: new TagService(store, clock),
    negotiation: new NegotiationService(store, dataplane),
    diagnostics: new DiagnosticsService(store, dataplane),
    events: new EventService(store, eventSource),
    monitors: new MonitorService(store, clock, ids),
    quotas: config.quotas,
  };
}

function deletionPolicy(config: SitevpnConfig): DeletionPolicy {
  return { retentionMs: config.deletion.retentionSeconds * 1000, deletingMs: config.deletion.deletingSeconds * 1000 };
}

/** What /metrics and /readyz read (issue 14), fed from the reconciler. */
function operatorProbes(store: Store, dataplane: DataplaneDriver, reconciler: Reconciler, clock: Clock) {
  const sessionUp = reportsSession(dataplane) ? () => dataplane.sessionUp() : undefined;
  const metrics = new MetricsRecorder({
    tunnels: async () => (await store.listAllTunnels()).map((t) => t.tunnel.observed),
    viciConnected: sessionUp,
  });
  reconciler.subscribe((e) => metrics.tunnelEvent(e.kind, e.detail, Date.parse(e.at), clock.now()));
  const readiness = {
    store: () => store.countTenants(),
    dataplane: () =>
      sessionUp
        ? { up: sessionUp(), detail: sessionUp() ? 'strongSwan VICI session connected' : 'strongSwan VICI session down' }
        : { up: true, detail: `${dataplane.name} data plane` },
  };
  return { metrics, readiness };
}

function relayOf(store: Store): PgEventRelay | undefined {
  return store instanceof PostgresStore ? store.events : undefined;
}

/** A data-plane instance publishes every recorded history line; an API instance listens. */
async function startRelay(
  relay: PgEventRelay,
  role: ServeRole,
  reconciler: Reconciler,
  relayed: RelayedEventSource | undefined,
  logger: Logger,
): Promise<() => Promise<void>> {
  const failed = (err: unknown) => logger.error({ err }, 'relaying a live tunnel event failed');
  if (role === 'dataplane') {
    const unsubscribe = reconciler.subscribe((event, connection) => void relay.publish(connection.tenantId, event).catch(failed));
    return async () => unsubscribe();
  }
  return relay.listen(({ tenantId, event }) => relayed?.relay(tenantId, event, failed), failed);
}

/** The roles other than `all` share the gateway leases, which only the PostgreSQL store has. */
function leasesOf(config: SitevpnConfig, store: Store): PgLeases | undefined {
  const role = config.role ?? 'all';
  if (role === 'all') return undefined;
  if (!(store instanceof PostgresStore)) throw new Error(roleNeedsPostgres(role));
  return store.leases;
}

function roleNeedsPostgres(role: string): string {
  return `serve --role ${role} needs PostgreSQL: set SITEVPN_DATABASE_URL=postgres://... (the SQLite store is one process; use --role all)`;
}

export async function createApp(config: SitevpnConfig, deps: AppDeps = {}): Promise<App> {
  const role: ServeRole = config.role ?? 'all';
  // Refused before anything is opened or created.
  if (role !== 'all' && !config.databaseUrl) throw new Error(roleNeedsPostgres(role));
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const logger = redactingLogger(deps.logger ?? pino({ level: config.logLevel }));
  const store = await openStore(config, { clock, logger });
  const leases = leasesOf(config, store);
  const driver = deps.dataplane ?? createDataplane(config, clock, logger);
  // An API instance only announces intents; the data-plane instances negotiate them.
  const dataplane =
    role === 'api' && leases
      ? new RemoteDataplane(
          driver,
          () => leases.notifyIntents(),
          (err) => logger.error({ err }, 'announcing changed intents failed'),
        )
      : driver;
  const reconciler = new Reconciler(store, logger);
  const relay = role === 'all' ? undefined : relayOf(store);
  // Live events: an API instance hears what the data-plane instances relay; they relay each one.
  const relayed = role === 'api' ? new RelayedEventSource(store) : undefined;
  const stopRelay = relay && (await startRelay(relay, role, reconciler, relayed, logger));
  const services = buildServices(config, store, dataplane, relayed ?? reconciler, clock, ids);
  const { metrics, readiness } = operatorProbes(store, dataplane, reconciler, clock);
  if (role === 'api') readiness.dataplane = () => ({ up: true, detail: 'the data plane runs in the data-plane instances (role api)' });

  const bootstrap: BootstrapResult =
    role === 'dataplane'
      ? { created: false, action: 'none', message: 'data-plane instance: no bootstrap (the API instances do it)' }
      : await services.tenants.bootstrap({ ...config.bootstrap, region: config.regions[0] ?? 'us-east-1' });

  let owner: GatewayOwner | undefined;
  const converging = new AbortController();
  let converged: Promise<unknown> = Promise.resolve();
  if (role !== 'api') await dataplane.start(reconciler.onEvent, reconciler.onPath);
  if (role === 'dataplane' && leases) {
    const sync = new GatewaySync(store, dataplane);
    const id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    owner = new GatewayOwner(leases, {
      id,
      host: config.dataplaneHost,
      leaseMs: (config.leaseSeconds ?? 15) * 1000,
      clock,
      logger,
      sync: (owned) => sync.sync(owned),
    });
    await owner.start();
  } else if (role === 'all') {
    // In the background, a slice at a time: a restart on many tunnels answers requests at once.
    converged = services.connections
      .converge({ signal: converging.signal })
      .catch((err) => logger.error({ err }, 'converging the data plane failed'));
  }
  const purger = role === 'dataplane' ? undefined : new DeletedResourcePurger(store, clock, deletionPolicy(config), logger);
  await purger?.sweep();
  purger?.start();

  // A data-plane instance serves only /healthz, /readyz and /metrics.
  const server = await createHttpServer(config, {
    clock,
    logger,
    metrics,
    readiness,
    services: role === 'dataplane' ? undefined : services,
  });
  return {
    config,
    server,
    store,
    services,
    reconciler,
    dataplane,
    bootstrap,
    metrics,
    owner,
    listen: () => listenOn(server, config, logger),
    async close() {
      await server.close();
      purger?.stop();
      converging.abort();
      await converged;
      await owner?.stop();
      await dataplane.stop();
      await reconciler.idle();
      await stopRelay?.();
      await relayed?.idle();
      await store.close();
    },
  };
}
