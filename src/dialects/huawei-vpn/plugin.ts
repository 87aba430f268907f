// Mounts the Huawei Cloud VPN v5 API under /v5/{project_id}: authentication before every
// operation, X-Request-Id on every answer, and every failure in Huawei's error format.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/ports.ts';
import type { KeyRateLimiter } from '../../http/rate-limit.ts';
import { rawBodyOf, splitUrl } from '../../http/raw-body.ts';
import type { RequestContext } from '../../service/context.ts';
import type { Services } from '../../service/services.ts';
import { authenticate } from './authenticate.ts';
import { throttled } from './errors.ts';
import { sendHuaweiError, UNKNOWN_API } from './reply-error.ts';
import type { HuaweiRoute } from './route.ts';
import { huaweiRoutes } from './routes/index.ts';

export interface HuaweiDialectOptions {
  services: Services;
  clock: Clock;
  logger: Logger;
  /** Per-key request rate, when configured. */
  limiter?: KeyRateLimiter;
}

export async function huaweiVpnDialect(app: FastifyInstance, opts: HuaweiDialectOptions): Promise<void> {
  await app.register(
    async (scope) => {
      scope.setErrorHandler((err, req, reply) => sendHuaweiError(err, req, reply, opts.logger));
      scope.setNotFoundHandler((req, reply) => sendHuaweiError(UNKNOWN_API(), req, reply, opts.logger));
      for (const r of huaweiRoutes) mount(scope, r, opts);
    },
    { prefix: '/v5' },
  );
}

function mount(scope: FastifyInstance, r: HuaweiRoute, { services, clock, limiter }: HuaweiDialectOptions): void {
  scope.route({
    method: r.method,
    url: `/:project_id${r.url}`,
    handler: async (req, reply) => {
      const params = req.params as Record<string, string>;
      const body = rawBodyOf(req.body);
      const { path, rawQuery } = splitUrl(req.url);
      const ctx: RequestContext = await authenticate(
        { method: req.method, path, rawQuery, headers: req.headers, body },
        params.project_id,
        req.id,
        services.tenants,
        clock,
      );
      const wait = limiter?.take(ctx.accessKeyId) ?? 0;
      if (wait > 0) {
        reply.header('Retry-After', String(wait));
        throw throttled();
      }
      const result = await r.handle({ ctx, params, query: req.query as Record<string, string>, body }, services);
      reply.code(r.status).header('X-Request-Id', req.id);
      if (result === undefined) return reply.send();
      result.request_id = req.id;
      return reply.type('application/json').send(result);
    },
  });
}
