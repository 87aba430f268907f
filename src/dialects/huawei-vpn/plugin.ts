// Mounts the Huawei Cloud VPN v5 API under /v5/{project_id}: authentication before every
// operation, X-Request-Id on every answer, and every failure in Huawei's error format.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/ports.ts';
import { isDomainError } from '../../domain/errors.ts';
import { rawBodyOf, splitUrl } from '../../http/raw-body.ts';
import type { RequestContext } from '../../service/context.ts';
import type { Services } from '../../service/services.ts';
import { authenticate } from './authenticate.ts';
import { errorBody, fromDomainError, HuaweiError, invalidRequest } from './errors.ts';
import type { HuaweiRoute } from './route.ts';
import { huaweiRoutes } from './routes/index.ts';

export interface HuaweiDialectOptions {
  services: Services;
  clock: Clock;
  logger: Logger;
}

export async function huaweiVpnDialect(app: FastifyInstance, opts: HuaweiDialectOptions): Promise<void> {
  await app.register(
    async (scope) => {
      scope.setErrorHandler((err, req, reply) => sendError(err, req, reply, opts.logger));
      scope.setNotFoundHandler((req, reply) => {
        sendError(new HuaweiError(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment'), req, reply, opts.logger);
      });
      for (const r of huaweiRoutes) mount(scope, r, opts);
    },
    { prefix: '/v5' },
  );
}

function mount(scope: FastifyInstance, r: HuaweiRoute, { services, clock }: HuaweiDialectOptions): void {
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
      const result = await r.handle({ ctx, params, query: req.query as Record<string, string>, body }, services);
      reply.code(r.status).header('X-Request-Id', req.id);
      if (result === undefined) return reply.send();
      result.request_id = req.id;
      return reply.type('application/json').send(result);
    },
  });
}

function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const huawei = toHuaweiError(err);
  if (huawei.status >= 500) logger.error({ err, reqId: req.id, url: req.url }, 'unexpected error');
  reply.header('X-Request-Id', req.id).code(huawei.status).type('application/json').send(errorBody(huawei, req.id));
}

function toHuaweiError(err: unknown): HuaweiError {
  if (err instanceof HuaweiError) return err;
  if (isDomainError(err)) return fromDomainError(err);
  const fe = err as Partial<FastifyError>;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return invalidRequest('the request body is too large');
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return invalidRequest(fe.message ?? 'bad request');
  }
  return new HuaweiError(500, 'VPN.0002', 'server error');
}
