// Mounts the EC2 Query API at `/` (POST form body or GET query string): SigV4 first, then the
// action's typed input, DryRun, the handler, and a shape-driven XML answer. Every failure is
// EC2's error XML with the request id in the body and the x-amzn-requestid header.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { isDomainError } from '../../domain/errors.ts';
import type { Clock } from '../../domain/ports.ts';
import { logUnexpected } from '../../http/logging.ts';
import type { KeyRateLimiter } from '../../http/rate-limit.ts';
import { rawBodyOf, splitUrl } from '../../http/raw-body.ts';
import { mayPerform } from '../../service/context.ts';
import type { Services } from '../../service/services.ts';
import type { Ec2Action } from './action.ts';
import { ec2Actions } from './actions/index.ts';
import { authenticate } from './authenticate.ts';
import { Ec2Caches } from './caches.ts';
import { Ec2Error, fromDomainError } from './errors.ts';
import { EC2_ERROR_MESSAGES, ec2ErrorReply, ec2ReplyHeaders } from './protocol/errors.ts';
import { parseModelInput } from './protocol/model-input-parser.ts';
import { parseQueryRequest, QueryParseError } from './protocol/query-parser.ts';
import { SigV4Error } from './protocol/sigv4-verifier.ts';
import { renderEc2ResponseBytes } from './protocol/xml-writer.ts';

export interface Ec2DialectOptions {
  services: Services;
  clock: Clock;
  logger: Logger;
  regions: string[];
  bodyLimitBytes: number;
  /** Per-key request rate, when configured. */
  limiter?: KeyRateLimiter;
  /** The dialect's response caches; the composition root passes them to drive invalidate(id). */
  caches?: Ec2Caches;
}

const byName = new Map<string, Ec2Action>(ec2Actions.map((a) => [a.name, a as Ec2Action]));

export async function awsEc2Dialect(app: FastifyInstance, opts: Ec2DialectOptions): Promise<void> {
  const caches = opts.caches ?? new Ec2Caches();
  await app.register(async (scope) => {
    scope.setErrorHandler((err, req, reply) => sendError(err, req, reply, opts.logger));
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const body = rawBodyOf(req.body);
      const { path, rawQuery } = splitUrl(req.url);
      const ctx = await authenticate(
        { method: req.method, path, rawQuery, headers: req.headers, body },
        req.id,
        opts.services.tenants,
        opts.clock,
        opts.regions,
        caches.signingKeys,
      );
      const wait = opts.limiter?.take(ctx.accessKeyId) ?? 0;
      if (wait > 0) {
        reply.header('Retry-After', String(wait));
        throw new Ec2Error('RequestLimitExceeded', EC2_ERROR_MESSAGES.RequestLimitExceeded);
      }
      const parsed = parseQueryRequest(
        { method: req.method, rawQuery, body, contentType: req.headers['content-type'] },
        { maxBodyBytes: opts.bodyLimitBytes },
      );
      const action = byName.get(parsed.action);
      if (!action) throw new QueryParseError('InvalidAction', `The action ${parsed.action} is not valid for this web service.`);
      // Every pair is read through the action's model shape: unknown, mistyped and missing
      // parameters are refused here, then the action's own value checks.
      const input = parseModelInput(parsed.params, action.input, { missing: action.missing });
      action.validate?.(input);
      const dryRun = (input as { DryRun?: boolean }).DryRun === true;
      // The key's policy is checked before anything the action does, so a key that may not act
      // learns nothing from validation errors.
      if (!mayPerform(ctx.policy, action.access))
        throw new Ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.');
      if (dryRun) throw new Ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
      const output = await action.handle(ctx, input, opts.services, caches);
      const headers = ec2ReplyHeaders(req.id);
      return reply
        .code(200)
        .headers(headers)
        .send(renderEc2ResponseBytes(action.name, action.output, output, req.id, caches.xml));
    };
    scope.post('/', handler);
    scope.get('/', handler);
  });
}

function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const { code, message } = toEc2Error(err);
  if (code === 'InternalError') logUnexpected(logger, err, req);
  const r = ec2ErrorReply(code, message, req.id);
  reply.code(r.status).headers(r.headers).send(r.body);
}

function toEc2Error(err: unknown): { code: string; message: string } {
  if (err instanceof Ec2Error || err instanceof QueryParseError || err instanceof SigV4Error)
    return { code: err.code, message: err.message };
  if (isDomainError(err)) return fromDomainError(err);
  const fe = err as { code?: string; statusCode?: number; message?: string };
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { code: 'RequestEntityTooLarge', message: 'The request is larger than the limit.' };
  if (typeof fe.statusCode === 'number' && fe.statusCode < 500)
    return { code: 'InvalidParameterValue', message: fe.message ?? 'bad request' };
  return { code: 'InternalError', message: 'An internal error has occurred' };
}
