// Mounts the sitevpn extension API under /sitevpn/v1/projects/{project_id}: what the clouds do not
// offer (device profiles, tunnel history, diagnostics, dry negotiations, fault injection, an event
// stream). Requests are signed and answered exactly like the Huawei dialect's: AK/SK signature,
// the project in the path, X-Request-Id on every answer, errors as
// {"error_code","error_msg","request_id"}. An event stream answers newline-delimited JSON.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/ports.ts';
import type { KeyRateLimiter } from '../../http/rate-limit.ts';
import { rawBodyOf, splitUrl } from '../../http/raw-body.ts';
import { mayPerform, type RequestContext } from '../../service/context.ts';
import type { Services } from '../../service/services.ts';
import { authenticate } from '../huawei-vpn/authenticate.ts';
import { throttled } from '../huawei-vpn/errors.ts';
import { sendHuaweiError, UNKNOWN_API } from '../huawei-vpn/reply-error.ts';
import { EventStream, type ExtRoute } from './route.ts';
import { extRoutes } from './routes/index.ts';

export interface SitevpnExtOptions {
  services: Services;
  clock: Clock;
  logger: Logger;
  /** Per-key request rate, when configured. */
  limiter?: KeyRateLimiter;
}

export async function sitevpnExtDialect(app: FastifyInstance, opts: SitevpnExtOptions): Promise<void> {
  await app.register(
    async (scope) => {
      // Open event streams end when the server closes, or closing would wait for them forever.
      const streams = new Set<() => void>();
      scope.addHook('preClose', (done) => {
        for (const end of [...streams]) end();
        done();
      });
      scope.setErrorHandler((err, req, reply) => sendHuaweiError(err, req, reply, opts.logger));
      scope.setNotFoundHandler((req, reply) => sendHuaweiError(UNKNOWN_API(), req, reply, opts.logger));
      for (const r of extRoutes) mount(scope, r, opts, streams);
    },
    { prefix: '/sitevpn/v1/projects' },
  );
}

function mount(scope: FastifyInstance, r: ExtRoute, opts: SitevpnExtOptions, streams: Set<() => void>): void {
  const deps = { services: opts.services };
  scope.route({
    method: r.method,
    url: `/:project_id${r.url}`,
    handler: async (req, reply) => {
      const params = req.params as Record<string, string>;
      const body = rawBodyOf(req.body);
      const { path, rawQuery } = splitUrl(req.url);
      const ctx = await authenticate(
        { method: req.method, path, rawQuery, headers: req.headers, body },
        params.project_id,
        req.id,
        opts.services.tenants,
        opts.clock,
      );
      const wait = opts.limiter?.take(ctx.accessKeyId) ?? 0;
      if (wait > 0) {
        reply.header('Retry-After', String(wait));
        throw throttled();
      }
      const result = await r.handle({ ctx, params, query: req.query as Record<string, string>, body }, deps);
      if (result instanceof EventStream) return stream(req, reply, result, streams, revocationOf(ctx, opts.services));
      reply.code(r.status).header('X-Request-Id', req.id);
      if (result === undefined) return reply.send();
      result.request_id = req.id;
      return reply.type('application/json').send(result);
    },
  });
}

/** Watches the stream's key: the stream ends as soon as the key is deleted or may no longer read. */
function revocationOf(ctx: RequestContext, services: Services): (onRevoked: () => void) => () => void {
  return (onRevoked) =>
    services.tenants.watchKey(ctx.accessKeyId, (key) => key !== undefined && key.tenantId === ctx.tenantId && mayPerform(key.policy, 'read'), onRevoked);
}

function stream(
  req: FastifyRequest,
  reply: FastifyReply,
  events: EventStream,
  streams: Set<() => void>,
  watchKey: (onRevoked: () => void) => () => void,
): void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': req.id,
  });
  raw.flushHeaders();
  // A stream may stay quiet for long: the socket's idle timeout is for requests, not for it.
  req.raw.socket?.setTimeout(0);
  let stop: (() => void) | undefined;
  let unwatch: (() => void) | undefined;
  const end = (): void => {
    if (!streams.delete(end)) return;
    stop?.();
    unwatch?.();
    raw.end();
  };
  streams.add(end);
  raw.on('close', end);
  unwatch = watchKey(end);
  stop = events.open((line) => {
    if (!raw.writableEnded) raw.write(JSON.stringify(line) + '\n');
  });
  if (!streams.has(end)) {
    stop();
    unwatch();
  }
}
