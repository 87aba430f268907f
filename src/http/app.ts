// Composition root: store, data plane, reconciler, services and the HTTP server with both
// dialects mounted. Everything is built from the config passed in, so tests can run several
// independent instances in one process.
import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { SitevpnConfig } from '../config/config.ts';
import { randomIds } from '../domain/ids.ts';
import { systemClock, type Clock, type IdGenerator } from '../domain/ports.ts';
import type { DataplaneDriver } from '../dataplane/driver.ts';
import { Reconciler } from '../dataplane/reconciler.ts';
import { createDataplane } from '../dataplane/create-dataplane.ts';
import { awsEc2Dialect } from '../dialects/aws-ec2/plugin.ts';
import { huaweiVpnDialect } from '../dialects/huawei-vpn/plugin.ts';
import { sitevpnExtDialect } from '../dialects/sitevpn-ext/plugin.ts';
import { ConnectionService } from '../service/connections.ts';
import { CustomerGatewayService } from '../service/customer-gateways.ts';
import { DeviceProfileService } from '../service/device-profiles.ts';
import { DiagnosticsService } from '../service/diagnostics.ts';
import { EventService } from '../service/events.ts';
import { NegotiationService } from '../service/negotiation.ts';
import { GatewayService } from '../service/gateways.ts';
import { DeletedResourcePurger, type DeletionPolicy } from '../service/retention.ts';
import { MonitorService } from '../service/monitors.ts';
import { TagService } from '../service/tags.ts';
import type { Services } from '../service/services.ts';
import { TenantService, type BootstrapResult } from '../service/tenants.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { socketLimits } from './limits.ts';
import { logRequests, redactingLogger } from './logging.ts';
import { frameworkErrors, notFound } from './protocol-faults.ts';
import { rateLimiterFor } from './rate-limit.ts';
import { webConsole } from './console.ts';
import { keepRawBodies } from './raw-body.ts';
// Operator endpoints (issue 14): metrics, health, OpenAPI, TLS.
import { reportsSession } from '../dataplane/driver.ts';
import { healthPlugin } from './health.ts';
import { MetricsRecorder, metricsPlugin } from './metrics.ts';
import { openApiPlugin } from './openapi.ts';
import { http2HostPlugin, tlsServerOptions, warnIfPlaintext } from './tls.ts';

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

export async function createApp(config: SitevpnConfig, deps: AppDeps = {}): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const logger = redactingLogger(deps.logger ?? pino({ level: config.logLevel }));
  const store = await openStore(config, { clock, logger });
  const dataplane = deps.dataplane ?? createDataplane(config, clock, logger);
  const reconciler = new Reconciler(store, logger);

  const tenants = new TenantService(store, clock);
  const deletion: DeletionPolicy = { retentionMs: config.deletion.retentionSeconds * 1000, deletingMs: config.deletion.deletingSeconds * 1000 };
  const services: Services = {
    tenants,
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
  // Operator endpoints (issue 14): what /metrics and /readyz read, fed from the reconciler.
  const sessionUp = reportsSession(dataplane) ? () => dataplane.sessionUp() : undefined;
  const metrics = new MetricsRecorder({ tunnels: async () => (await store.listAllTunnels()).map((t) => t.tunnel.observed), viciConnected: sessionUp });
  reconciler.subscribe((e) => metrics.tunnelEvent(e.kind, e.detail, Date.parse(e.at), clock.now()));
  const readiness = {
    store: () => store.countTenants(),
    dataplane: () => (sessionUp ? { up: sessionUp(), detail: sessionUp() ? 'strongSwan VICI session connected' : 'strongSwan VICI session down' } : { up: true, detail: `${dataplane.name} data plane` }),
  };

  const bootstrap = await tenants.bootstrap({ ...config.bootstrap, region: config.regions[0] ?? 'us-east-1' });

  await dataplane.start(reconciler.onEvent, reconciler.onPath);
  // In the background, a slice at a time: a restart on many tunnels answers requests at once.
  const converging = new AbortController();
  const converged = services.connections.converge({ signal: converging.signal }).catch((err) => logger.error({ err }, 'converging the data plane failed'));
  const purger = new DeletedResourcePurger(store, clock, deletion, logger);
  await purger.sweep();
  purger.start();

  // Fastify gets no logger: its per-request child loggers cost a third of the throughput of the
  // hot read paths. sitevpn writes its own lines: one per request at info, errors at error.
  const limits = socketLimits(config.http);
  const server: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    frameworkErrors,
    ...limits.options,
    ...tlsServerOptions(config.tls),
  }) as unknown as FastifyInstance;
  limits.install(server);
  server.setNotFoundHandler(notFound);
  keepRawBodies(server);
  logRequests(server, logger);
  const limiter = rateLimiterFor(config.rateLimit, clock);
  await server.register(http2HostPlugin);
  await server.register(metricsPlugin, { recorder: metrics });
  await server.register(healthPlugin, readiness);
  await server.register(openApiPlugin);
  await server.register(huaweiVpnDialect, { services, clock, logger, limiter });
  await server.register(sitevpnExtDialect, { services, clock, logger, limiter });
  await server.register(webConsole); // the web console at /ui (static files; the page signs its own calls)
  await server.register(awsEc2Dialect, { services, clock, logger, regions: config.regions, bodyLimitBytes: config.bodyLimitBytes, limiter });

  return {
    config,
    server,
    store,
    services,
    reconciler,
    dataplane,
    bootstrap,
    metrics,
    async listen() {
      warnIfPlaintext(config.host, config.tls, logger);
      await server.listen({ host: config.host, port: config.port });
      const address = server.server.address();
      return typeof address === 'string' || !address ? String(address) : `${config.tls ? 'https' : 'http'}://${config.host}:${address.port}`;
    },
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
