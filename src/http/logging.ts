// sitevpn's own log lines: one access line per request at info, the request's headers and body
// at trace, errors at error. No line carries a secret: URLs and bodies are redacted by parameter
// name (redact.ts), secret headers by pino's redaction, error texts scrubbed.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import pino, { type Logger } from 'pino';
import { rawBodyOf } from './raw-body.ts';
import { REDACTED, redactBody, redactUrl, scrubText } from './redact.ts';

/** Header paths pino replaces with [REDACTED] wherever a line carries headers. */
const SECRET_HEADER_PATHS = ['authorization', 'x-amz-security-token', 'x-auth-token', 'cookie'].flatMap((h) => [
  `headers["${h}"]`,
  `req.headers["${h}"]`,
]);

/** An error as a log line may show it: message and stack scrubbed of anything secret-looking. */
function errSerializer(err: unknown): unknown {
  const plain = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!plain || typeof plain !== 'object') return plain;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plain)) out[k] = typeof v === 'string' ? scrubText(v) : v;
  return out;
}

/** The logger every part of sitevpn writes to, whatever logger the caller handed in. */
export function redactingLogger(base: Logger): Logger {
  return base.child({}, { redact: { paths: SECRET_HEADER_PATHS, censor: REDACTED }, serializers: { err: errSerializer } });
}

/** Access lines: one per request at info; headers and (redacted) body at trace. */
export function logRequests(server: FastifyInstance, logger: Logger): void {
  const trace = logger.isLevelEnabled('trace');
  if (!logger.isLevelEnabled('info')) return;
  server.addHook('onResponse', async (req, reply) => {
    logger.info({ reqId: req.id, method: req.method, url: redactUrl(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    if (trace) logger.trace({ reqId: req.id, headers: req.headers, body: redactBody(rawBodyOf(req.body), req.headers['content-type']) }, 'request detail');
  });
}

/** An unexpected failure: the error and where it happened, never the request's secrets. */
export function logUnexpected(logger: Logger, err: unknown, req: FastifyRequest): void {
  logger.error({ err, reqId: req.id, method: req.method, url: redactUrl(req.url) }, 'unexpected error');
}
