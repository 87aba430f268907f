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
  const access = new AccessLog(logger);
  server.addHook('onClose', (_app, done) => {
    access.flush();
    done();
  });
  // A callback hook, not an async one: no promise per request.
  server.addHook('onResponse', (req, reply, done) => {
    access.write(req.id, req.method, redactUrl(req.url), reply.statusCode, Math.round(reply.elapsedTime));
    if (trace)
      logger.trace(
        { reqId: req.id, headers: req.headers, body: redactBody(rawBodyOf(req.body), req.headers['content-type']) },
        'request detail',
      );
    done();
  });
}

/**
 * The access line, exactly as `logger.info({reqId, method, url, status, ms}, 'request')` writes it,
 * built as one string (no object, no pino plumbing) and written with the other lines of the same
 * event-loop turn in one write: one `write` per turn instead of one per request. The lines reach
 * the logger's stream before any client can see the next turn's I/O, and pending ones are written
 * when the server closes. Loggers with a mixin, a log formatter, hooks or a multistream keep
 * pino's own path.
 */
const SYMBOLS = pino.symbols as unknown as Record<string, symbol>;

/** What the access line needs from pino's internals (public as `pino.symbols`). */
interface PinoLine {
  levelPrefix: string;
  time: () => string;
  chindings: () => string;
  tail: string;
  stream: { write(s: string): unknown };
}

function pinoLine(logger: Logger): PinoLine | undefined {
  const l = logger as unknown as Record<symbol, unknown>;
  const s = SYMBOLS;
  const formatters = l[s.formattersSym] as { log?: unknown } | undefined;
  const hooks = l[s.hooksSym] as { streamWrite?: unknown } | undefined;
  const stream = l[s.streamSym] as Record<symbol, unknown> & { write?: unknown };
  const levelPrefix = (l[s.lsCacheSym] as Record<number, unknown> | undefined)?.[logger.levels.values.info];
  const time = l[s.timeSym];
  if (l[s.mixinSym] || formatters?.log || hooks?.streamWrite || l[s.msgPrefixSym] || stream?.[Symbol.for('pino.metadata')] === true)
    return undefined;
  if (typeof levelPrefix !== 'string' || typeof time !== 'function' || typeof stream?.write !== 'function') return undefined;
  return {
    levelPrefix,
    time: time.bind(logger) as () => string,
    chindings: () => l[s.chindingsSym] as string,
    tail: ',' + JSON.stringify(l[s.messageKeySym]) + ':"request"' + (l[s.endSym] as string),
    stream: stream as PinoLine['stream'],
  };
}

class AccessLog {
  readonly #logger: Logger;
  readonly #line: PinoLine | undefined;
  #pending = '';
  #scheduled = false;
  readonly #flush = (): void => this.flush();

  constructor(logger: Logger) {
    this.#logger = logger;
    this.#line = pinoLine(logger);
  }

  write(reqId: string, method: string, url: string, status: number, ms: number): void {
    const p = this.#line;
    if (p === undefined) {
      this.#logger.info({ reqId, method, url, status, ms }, 'request');
      return;
    }
    this.#pending +=
      p.levelPrefix +
      p.time() +
      p.chindings() +
      ',"reqId":' +
      JSON.stringify(reqId) +
      ',"method":' +
      JSON.stringify(method) +
      ',"url":' +
      JSON.stringify(url) +
      ',"status":' +
      status +
      ',"ms":' +
      ms +
      p.tail;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#pending === '' || this.#line === undefined) return;
    const lines = this.#pending;
    this.#pending = '';
    this.#line.stream.write(lines);
  }
}

/** An unexpected failure: the error and where it happened, never the request's secrets. */
export function logUnexpected(logger: Logger, err: unknown, req: FastifyRequest): void {
  logger.error({ err, reqId: req.id, method: req.method, url: redactUrl(req.url) }, 'unexpected error');
}
