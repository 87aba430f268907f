// Sends any failure in the shared JSON error format; used by the Huawei dialect and the sitevpn
// extension API, which answer alike. Protocol errors go as they are, domain errors are rendered,
// fastify's own 4xx become VPN.0001, and anything else is a bare 500 with a log line.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { isDomainError } from '../../domain/errors.ts';
import { logUnexpected } from '../../http/logging.ts';
import { errorBody, fromDomainError, HuaweiError, invalidRequest } from './json-errors.ts';

export function sendHuaweiError(err: unknown, req: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const huawei = toHuaweiError(err);
  if (huawei.status >= 500) logUnexpected(logger, err, req);
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
