// Socket limits of the HTTP server: header, whole-request and idle timeouts and a connection cap,
// so slow or idle clients (a body trickled one byte at a time) cannot hold sockets for ever. A
// request cut off gets its dialect's error (protocol-faults.ts).
import type { Socket } from 'node:net';
import type { Server } from 'node:http';
import type { FastifyHttpOptions, FastifyInstance } from 'fastify';
import type { HttpLimits } from '../config/config.ts';
import { clientErrorHandler } from './protocol-faults.ts';

/** The request whose headers arrived last on each socket, for an error sent while its body is late. */
type Inflight = WeakMap<Socket, { url: string; res: { headersSent: boolean; writableEnded: boolean } }>;

/**
 * The limits as fastify server options, and `install`, which applies the connection cap and
 * records each request's URL against its socket once the server exists.
 */
export function socketLimits(limits: HttpLimits): { options: FastifyHttpOptions<Server>; install(server: FastifyInstance): void } {
  const inflight: Inflight = new WeakMap();
  // Node looks for expired requests every connectionsCheckingInterval (30 s by default), which
  // would stretch a short timeout; check a few times per timeout, at most once per second.
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  const checkEvery = Math.max(10, Math.min(1000, Math.floor(shortest / 4)));
  const options: FastifyHttpOptions<Server> = {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
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
      server.addHook('onRequest', async (req, reply) => {
        if (req.raw.socket) inflight.set(req.raw.socket, { url: req.url, res: reply.raw });
      });
    },
  };
}
