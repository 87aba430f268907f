// The HTTP side of sitevpn: the fastify instance with its limits, raw bodies, request ids, request
// logging and the plugins mounted on it. What it serves (services, metrics, readiness) is built by
// the composition root, src/server.ts. `createApp` stays importable from here for callers and tests.

import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { SitevpnConfig } from '../config/config.ts';
import { awsEc2Dialect } from '../dialects/aws-ec2/plugin.ts';
import { huaweiVpnDialect } from '../dialects/huawei-vpn/plugin.ts';
import { sitevpnExtDialect } from '../dialects/sitevpn-ext/plugin.ts';
import type { Clock } from '../domain/ports.ts';
import type { Services } from '../service/services.ts';
import { webConsole } from './console.ts';
import { healthPlugin, type ReadinessProbes } from './health.ts';
import { socketLimits } from './limits.ts';
import { logRequests } from './logging.ts';
import { type MetricsRecorder, metricsPlugin } from './metrics.ts';
import { openApiPlugin } from './openapi.ts';
import { frameworkErrors, noApiHere, notFound } from './protocol-faults.ts';
import { rateLimiterFor } from './rate-limit.ts';
import { keepRawBodies } from './raw-body.ts';
import { http2HostPlugin, tlsServerOptions, warnIfPlaintext } from './tls.ts';

export { type App, type AppDeps, createApp } from '../server.ts';

export interface HttpParts {
  clock: Clock;
  logger: Logger;
  metrics: MetricsRecorder;
  readiness: ReadinessProbes;
  /** The dialects and the console are mounted only with services (not on a data-plane instance). */
  services?: Services;
}

export async function createHttpServer(config: SitevpnConfig, parts: HttpParts): Promise<FastifyInstance> {
  const { clock, logger, services } = parts;
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
  server.setNotFoundHandler(services ? notFound : noApiHere);
  keepRawBodies(server);
  logRequests(server, logger);
  await server.register(http2HostPlugin);
  await server.register(metricsPlugin, { recorder: parts.metrics });
  await server.register(healthPlugin, parts.readiness);
  if (!services) return server;
  const limiter = rateLimiterFor(config.rateLimit, clock);
  await server.register(openApiPlugin);
  await server.register(huaweiVpnDialect, { services, clock, logger, limiter });
  await server.register(sitevpnExtDialect, { services, clock, logger, limiter });
  await server.register(webConsole); // the web console at /ui (static files; the page signs its own calls)
  await server.register(awsEc2Dialect, {
    services,
    clock,
    logger,
    regions: config.regions,
    bodyLimitBytes: config.bodyLimitBytes,
    limiter,
  });
  return server;
}

/** Starts listening; resolves with the bound address. */
export async function listenOn(server: FastifyInstance, config: SitevpnConfig, logger: Logger): Promise<string> {
  warnIfPlaintext(config.host, config.tls, logger);
  await server.listen({ host: config.host, port: config.port });
  const address = server.server.address();
  return typeof address === 'string' || !address ? String(address) : `${config.tls ? 'https' : 'http'}://${config.host}:${address.port}`;
}
