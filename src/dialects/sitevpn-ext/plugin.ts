// Mounts the sitevpn extension API under /sitevpn/v1/projects/{project_id}: what the clouds do not
// offer (device profiles, tunnel history, diagnostics, dry negotiations, fault injection, an event
// stream). Requests are signed and answered exactly like the Huawei dialect's, through the same
// dialects/shared/ kit: AK/SK signature, the project in the path, X-Request-Id on every answer,
// errors as {"error_code","error_msg","request_id"}. An event stream answers newline-delimited JSON.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/ports.ts';
import type { KeyRateLimiter } from '../../http/rate-limit.ts';
import { mayPerform, type RequestContext } from '../../service/context.ts';
import type { Services } from '../../service/services.ts';
import { type AkSkPreHandler, akskPreHandler } from '../shared/aksk-pre-handler.ts';
import { UNKNOWN_API } from '../shared/json-errors.ts';
import { sendHuaweiError } from '../shared/reply-error.ts';
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
      const signed = akskPreHandler({ tenants: opts.services.tenants, clock: opts.clock, limiter: opts.limiter });
      for (const r of extRoutes) mount(scope, r, opts, signed, streams);
    },
    { prefix: '/sitevpn/v1/projects' },
  );
}

function mount(scope: FastifyInstance, r: ExtRoute, opts: SitevpnExtOptions, signed: AkSkPreHandler, streams: Set<() => void>): void {
  const deps = { services: opts.services };
  scope.route({
    method: r.method,
    url: `/:project_id${r.url}`,
    handler: async (req, reply) => {
      const input = await signed(req, reply);
      const result = await r.handle(input, deps);
      if (result instanceof EventStream) return stream(req, reply, result, streams, revocationOf(input.ctx, opts.services));
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
    services.tenants.watchKey(
      ctx.accessKeyId,
      (key) => key !== undefined && key.tenantId === ctx.tenantId && mayPerform(key.policy, 'read'),
      onRevoked,
    );
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
