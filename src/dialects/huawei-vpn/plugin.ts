// Mounts the Huawei Cloud VPN v5 API under /v5/{project_id}: authentication before every
// operation, X-Request-Id on every answer, and every failure in Huawei's error format.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/ports.ts';
import type { KeyRateLimiter } from '../../http/rate-limit.ts';
import type { Services } from '../../service/services.ts';
import { type AkSkPreHandler, akskPreHandler } from '../shared/aksk-pre-handler.ts';
import { UNKNOWN_API } from '../shared/json-errors.ts';
import { sendHuaweiError } from '../shared/reply-error.ts';
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
      const signed = akskPreHandler({ tenants: opts.services.tenants, clock: opts.clock, limiter: opts.limiter });
      for (const r of huaweiRoutes) mount(scope, r, opts.services, signed);
    },
    { prefix: '/v5' },
  );
}

function mount(scope: FastifyInstance, r: HuaweiRoute, services: Services, signed: AkSkPreHandler): void {
  scope.route({
    method: r.method,
    url: `/:project_id${r.url}`,
    handler: async (req, reply) => {
      const result = await r.handle(await signed(req, reply), services);
      reply.code(r.status).header('X-Request-Id', req.id);
      if (result === undefined) return reply.send();
      result.request_id = req.id;
      return reply.type('application/json').send(result);
    },
  });
}
