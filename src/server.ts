// Composition root: builds the object graph from a validated config (store, data plane,
// reconciler, services, purger, metrics) and hands the HTTP side (src/http/app.ts) what it serves.
// Everything comes from the config and the deps passed in, so tests run several independent
// instances in one process.
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { SitevpnConfig } from './config/config.ts';
import { randomIds } from './domain/ids.ts';
import { systemClock, type Clock, type IdGenerator } from './domain/ports.ts';
import { reportsSession, type DataplaneDriver } from './dataplane/driver.ts';
import { Reconciler } from './dataplane/reconciler.ts';
import { createDataplane } from './dataplane/create-dataplane.ts';
import { createHttpServer, listenOn } from './http/app.ts';
import { redactingLogger } from './http/logging.ts';
import { MetricsRecorder } from './http/metrics.ts';
import { ConnectionService } from './service/connections.ts';
import { CustomerGatewayService } from './service/customer-gateways.ts';
import { DeviceProfileService } from './service/device-profiles.ts';
import { DiagnosticsService } from './service/diagnostics.ts';
import { EventService } from './service/events.ts';
import { NegotiationService } from './service/negotiation.ts';
import { GatewayService } from './service/gateways.ts';
import { DeletedResourcePurger, type DeletionPolicy } from './service/retention.ts';
import { MonitorService } from './service/monitors.ts';
import { TagService } from './service/tags.ts';
import type { Services } from './service/services.ts';
import { TenantService, type BootstrapResult } from './service/tenants.ts';
import { openStore } from './store/open-store.ts';
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
  /** Starts listening; resolves with the bound address. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export function buildServices(config: SitevpnConfig, store: Store, dataplane: DataplaneDriver, reconciler: Reconciler, clock: Clock, ids: IdGenerator): Services {
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
    events: new EventService(store, reconciler),
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
  const metrics = new MetricsRecorder({ tunnels: async () => (await store.listAllTunnels()).map((t) => t.tunnel.observed), viciConnected: sessionUp });
  reconciler.subscribe((e) => metrics.tunnelEvent(e.kind, e.detail, Date.parse(e.at), clock.now()));
  const readiness = {
    store: () => store.countTenants(),
    dataplane: () => (sessionUp ? { up: sessionUp(), detail: sessionUp() ? 'strongSwan VICI session connected' : 'strongSwan VICI session down' } : { up: true, detail: `${dataplane.name} data plane` }),
  };
  return { metrics, readiness };
}

export async function createApp(config: SitevpnConfig, deps: AppDeps = {}): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const logger = redactingLogger(deps.logger ?? pino({ level: config.logLevel }));
  const store = await openStore(config, { clock, logger });
  const dataplane = deps.dataplane ?? createDataplane(config, clock, logger);
  const reconciler = new Reconciler(store, logger);
  const services = buildServices(config, store, dataplane, reconciler, clock, ids);
  const { metrics, readiness } = operatorProbes(store, dataplane, reconciler, clock);

  const bootstrap = await services.tenants.bootstrap({ ...config.bootstrap, region: config.regions[0] ?? 'us-east-1' });

  await dataplane.start(reconciler.onEvent, reconciler.onPath);
  // In the background, a slice at a time: a restart on many tunnels answers requests at once.
  const converging = new AbortController();
  const converged = services.connections.converge({ signal: converging.signal }).catch((err) => logger.error({ err }, 'converging the data plane failed'));
  const purger = new DeletedResourcePurger(store, clock, deletionPolicy(config), logger);
  await purger.sweep();
  purger.start();

  const server = await createHttpServer(config, { clock, logger, metrics, readiness, services });
  return {
    config,
    server,
    store,
    services,
    reconciler,
    dataplane,
    bootstrap,
    metrics,
    listen: () => listenOn(server, config, logger),
    async close() {
      await server.close();
      purger.stop();
      converging.abort();
      await converged;
      await dataplane.stop();
      await reconciler.idle();
      await store.close();
    },
  };
}
