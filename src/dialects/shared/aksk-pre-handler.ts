// The one AK/SK pre-handler both JSON dialects mount before every operation: it authenticates the
// signed request, applies the per-key request rate, and hands the route its JsonRequest.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/ports.ts';
import type { KeyRateLimiter } from '../../http/rate-limit.ts';
import { rawBodyOf, splitUrl } from '../../http/raw-body.ts';
import type { TenantService } from '../../service/tenants.ts';
import { authenticate } from './aksk-authenticate.ts';
import { throttled } from './json-errors.ts';
import type { JsonRequest } from './json-request.ts';

export interface AkSkAuthOptions {
  tenants: TenantService;
  clock: Clock;
  /** Per-key request rate, when configured. */
  limiter?: KeyRateLimiter;
}

/** Throws a HuaweiError (401, 404, 429 with Retry-After) for a request that may not go on. */
export type AkSkPreHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<JsonRequest>;

/** The route's URL must have a :project_id parameter. */
export function akskPreHandler({ tenants, clock, limiter }: AkSkAuthOptions): AkSkPreHandler {
  return async (req, reply) => {
    const params = req.params as Record<string, string>;
    const body = rawBodyOf(req.body);
    const { path, rawQuery } = splitUrl(req.url);
    const ctx = await authenticate(
      { method: req.method, path, rawQuery, headers: req.headers, body },
      params.project_id,
      req.id,
      tenants,
      clock,
    );
    const wait = limiter?.take(ctx.accessKeyId) ?? 0;
    if (wait > 0) {
      reply.header('Retry-After', String(wait));
      throw throttled();
    }
    return { ctx, params, query: req.query as Record<string, string>, body };
  };
}
