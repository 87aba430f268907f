// TLS for the API server: with a certificate and key, the server speaks HTTPS with HTTP/2 and
// HTTP/1.1 on the same port (ALPN); without, plain HTTP/1.1. Pre-shared keys travel in request
// bodies, so listening beyond loopback without TLS earns a warning at start.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** fastify server options for TLS (HTTP/2 with HTTP/1.1 fallback), or none without TLS. */
export function tlsServerOptions(tls: TlsFiles | undefined): Record<string, unknown> {
  if (!tls) return {};
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`cannot read the TLS ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  return { http2: true, https: { allowHTTP1: true, cert: read(tls.certFile, 'certificate'), key: read(tls.keyFile, 'key') } };
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h.startsWith('::ffff:127.');
}

/** The warning for a listener that may be reached from elsewhere without TLS, if any. */
export function plaintextWarning(host: string, tls: TlsFiles | undefined): string | undefined {
  if (tls || isLoopback(host)) return undefined;
  return `sitevpn is listening on ${host} without TLS: pre-shared keys travel in request bodies in clear; pass --tls-cert and --tls-key (SITEVPN_TLS_CERT, SITEVPN_TLS_KEY) or listen on 127.0.0.1 behind a TLS proxy`;
}

/** Writes the warning to stderr and the log, once at start. */
export function warnIfPlaintext(
  host: string,
  tls: TlsFiles | undefined,
  logger: Pick<Logger, 'warn'>,
  stderr: NodeJS.WritableStream = process.stderr,
): void {
  const warning = plaintextWarning(host, tls);
  if (!warning) return;
  stderr.write(`WARNING: ${warning}\n`);
  logger.warn({ host }, warning);
}

/**
 * HTTP/2 carries the host in `:authority`; both dialects' signatures cover `host`, so an HTTP/2
 * request gets a `host` header from it (RFC 9113 §8.3.1: the two say the same thing).
 */
export async function http2HostPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', async (req) => {
    const authority = req.headers[':authority'];
    if (req.headers.host === undefined && typeof authority === 'string') req.headers.host = authority;
  });
}
Object.assign(http2HostPlugin, { [Symbol.for('skip-override')]: true });
