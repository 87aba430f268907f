// Socket limits of the HTTP server: header, whole-request and idle timeouts and a connection cap,
// so slow or idle clients (a body trickled one byte at a time) cannot hold sockets for ever. A
// request cut off gets its dialect's error (protocol-faults.ts). The same limits hold under TLS,
// where fastify builds an HTTP/2 server and passes none of its HTTP/1.1 timeouts on.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { constants, type Http2SecureServer, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { FastifyHttpOptions, FastifyInstance } from 'fastify';
import type { HttpLimits } from '../config/config.ts';
import { clientErrorHandler, renderFault } from './protocol-faults.ts';

/** The request whose headers arrived last on each socket, for an error sent while its body is late. */
type Inflight = WeakMap<Socket, { url: string; res: { headersSent: boolean; writableEnded: boolean } }>;

/**
 * The limits as fastify server options, and `install`, which applies the connection cap and
 * records each request's URL against its socket once the server exists.
 */
export function socketLimits(limits: HttpLimits): {
  options: FastifyHttpOptions<Server> & { http2SessionTimeout: number };
  install(server: FastifyInstance): void;
} {
  const inflight: Inflight = new WeakMap();
  // Node looks for expired requests every connectionsCheckingInterval (30 s by default), which
  // would stretch a short timeout; check a few times per timeout, at most once per second.
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  const checkEvery = Math.max(10, Math.min(1000, Math.floor(shortest / 4)));
  const options: FastifyHttpOptions<Server> & { http2SessionTimeout: number } = {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // HTTP/2 only: a session with no traffic either way is closed.
    http2SessionTimeout: limits.idleTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: checkEvery },
    clientErrorHandler: clientErrorHandler((socket) => {
      const entry = inflight.get(socket);
      // A finished answer belongs to an earlier request of a kept-alive socket.
      if (!entry || entry.res.writableEnded) return undefined;
      return { url: entry.url, answered: entry.res.headersSent };
    }),
  };
  return {
    options,
    install(server) {
      server.server.maxConnections = limits.maxConnections;
      if (server.initialConfig.http2) http2Limits(server.server as unknown as Http2SecureServer, limits, checkEvery);
      server.addHook('onRequest', async (req, reply) => {
        if (req.raw.socket) inflight.set(req.raw.socket, { url: req.url, res: reply.raw });
      });
    },
  };
}

/** The HTTP/1.1 connection listener node runs for `allowHTTP1` reads these from the HTTP/2 server. */
type Http1Fallback = Http2SecureServer & {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
};

/**
 * Under TLS: a handshake deadline; the header, request and keep-alive timeouts for HTTP/1.1
 * clients (node checks them once listening); and for HTTP/2, where headers arrive in one frame, a deadline on receiving
 * each request's body; a stream past it gets the dialect's 408 and is closed.
 */
function http2Limits(server: Http2SecureServer, limits: HttpLimits, checkEvery: number): void {
  const h1 = server as Http1Fallback;
  h1.headersTimeout = limits.headersTimeoutMs;
  h1.requestTimeout = limits.requestTimeoutMs;
  h1.keepAliveTimeout = limits.keepAliveTimeoutMs;
  h1.connectionsCheckingInterval = checkEvery;
  // A TLS handshake gets no longer than the headers (node allows 120 s): the raw socket is closed
  // unless it becomes a TLS connection in time, matched by its peer address and port.
  const handshaking = new Map<string, ReturnType<typeof setTimeout>>();
  const peer = (s: Socket) => `${s.remoteAddress}:${s.remotePort}`;
  server.on('connection', (raw: Socket) => {
    const key = peer(raw);
    const timer = setTimeout(() => raw.destroy(), limits.headersTimeoutMs);
    handshaking.set(key, timer);
    raw.once('close', () => {
      clearTimeout(timer);
      if (handshaking.get(key) === timer) handshaking.delete(key);
    });
  });
  server.on('secureConnection', (socket: Socket) => {
    clearTimeout(handshaking.get(peer(socket)));
    handshaking.delete(peer(socket));
  });
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    if (stream.endAfterHeaders) return; // the whole request is in: nothing left to wait for
    const timer = setTimeout(() => cutOff(stream, String(headers[':path'] ?? '/')), limits.requestTimeoutMs);
    const done = () => clearTimeout(timer);
    stream.once('end', done); // the body was read to its end
    stream.once('close', done);
  });
}

function cutOff(stream: ServerHttp2Stream, path: string): void {
  if (stream.destroyed || stream.closed) return;
  if (stream.headersSent) {
    stream.close(constants.NGHTTP2_CANCEL);
    return;
  }
  const r = renderFault('request-timeout', path, randomUUID());
  stream.respond({ ':status': r.status, 'content-length': Buffer.byteLength(r.body), ...r.headers });
  // Answered; the client's half of the stream is closed too, so it cannot keep it open.
  stream.end(r.body, () => stream.close(constants.NGHTTP2_NO_ERROR));
}
