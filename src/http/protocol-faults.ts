// Requests that never reach a dialect (a path fastify cannot decode, a path parameter too long, a
// path no dialect serves, a request cut off by a timeout, a header block too large) still get
// the error format of the dialect their path belongs to: Huawei JSON under /v5 and /sitevpn, EC2
// XML everywhere else (the EC2 Query API lives at /).
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ec2ErrorReply } from '../dialects/aws-ec2/protocol/errors.ts';
import { errorBody, HuaweiError } from '../dialects/huawei-vpn/errors.ts';

export type ProtocolFault = 'bad-url' | 'url-too-long' | 'not-found' | 'no-api' | 'request-timeout' | 'headers-too-large' | 'bad-request';

const DATAPLANE_ONLY = 'this instance runs the data plane only (role dataplane); send API requests to an instance with role api or all';

export interface WireError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** EC2 code and message per fault; the status comes from EC2's status table. */
const EC2: Record<ProtocolFault, [code: string, message: string]> = {
  'bad-url': ['MalformedQueryString', 'The request URI is not valid: it contains an invalid percent-encoding.'],
  'url-too-long': ['RequestURITooLong', 'The request URI is too long.'],
  'not-found': ['InvalidAction', 'The requested path is not valid for this web service; EC2 Query requests go to /.'],
  'no-api': ['InvalidAction', `The requested action is not served here: ${DATAPLANE_ONLY}.`],
  'request-timeout': ['RequestTimeout', 'The request was not received completely in time.'],
  'headers-too-large': ['RequestHeaderSectionTooLarge', 'The request headers are too large.'],
  'bad-request': ['InvalidParameterValue', 'The request is not valid HTTP.'],
};

const HUAWEI: Record<ProtocolFault, [status: number, code: string, message: string]> = {
  'bad-url': [400, 'VPN.0001', 'invalid request: the URL is not valid percent-encoding'],
  'url-too-long': [414, 'VPN.0001', 'invalid request: the URL is too long'],
  'not-found': [404, 'APIGW.0101', 'The API does not exist or has not been published in the environment'],
  'no-api': [404, 'APIGW.0101', `The API is not served here: ${DATAPLANE_ONLY}`],
  'request-timeout': [408, 'VPN.0001', 'invalid request: the request was not received completely in time'],
  'headers-too-large': [431, 'VPN.0001', 'invalid request: the request headers are too large'],
  'bad-request': [400, 'VPN.0001', 'invalid request: the request is not valid HTTP'],
};

/** True for a path of the Huawei dialect or the extension API (both answer Huawei's format). */
export function isHuaweiPath(url: string): boolean {
  const path = url.split('?', 1)[0];
  return path === '/v5' || path.startsWith('/v5/') || path === '/sitevpn' || path.startsWith('/sitevpn/');
}

export function renderFault(fault: ProtocolFault, url: string | undefined, requestId: string): WireError {
  if (url !== undefined && isHuaweiPath(url)) {
    const [status, code, message] = HUAWEI[fault];
    const body = JSON.stringify(errorBody(new HuaweiError(status, code, message), requestId));
    return { status, headers: { 'content-type': 'application/json', 'x-request-id': requestId }, body };
  }
  const [code, message] = EC2[fault];
  return ec2ErrorReply(code, message, requestId);
}

function send(reply: FastifyReply, fault: ProtocolFault, req: FastifyRequest): void {
  const r = renderFault(fault, req.url, req.id);
  reply.code(r.status).headers(r.headers).send(r.body);
}

/** fastify's `frameworkErrors`: a path it cannot decode, or a path parameter over its length limit. */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  send(reply, err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'url-too-long' : 'bad-url', req);
}

/** The not-found handler for paths outside every dialect's prefix. */
export function notFound(req: FastifyRequest, reply: FastifyReply): void {
  send(reply, 'not-found', req);
}

/** The not-found handler of a data-plane instance, which mounts no dialect: it says where the APIs are. */
export function noApiHere(req: FastifyRequest, reply: FastifyReply): void {
  send(reply, 'no-api', req);
}

/** An error of Node's HTTP server as it reaches clientError. */
export interface ClientError extends Error {
  code?: string;
  rawPacket?: unknown;
}

/** A request line this long is what overflowed the header limit (Node's default is 16 KiB). */
const LONG_REQUEST_LINE = 8192;

/** What Node's HTTP parser reports before any request object exists, as a fault. */
function faultOf(err: ClientError): ProtocolFault {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'request-timeout';
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const packet = Buffer.isBuffer(err.rawPacket) ? err.rawPacket : undefined;
    const lineEnd = packet ? packet.indexOf('\r\n') : -1;
    return packet && (lineEnd < 0 || lineEnd >= LONG_REQUEST_LINE) ? 'url-too-long' : 'headers-too-large';
  }
  return 'bad-request';
}

/** The path of a request line at the start of a raw packet, when there is one. */
function pathInPacket(packet: unknown): string | undefined {
  if (!Buffer.isBuffer(packet)) return undefined;
  return /^[A-Z]+ (\/[^ ?\r\n]*)/.exec(packet.subarray(0, 512).toString('latin1'))?.[1];
}

/**
 * fastify's `clientErrorHandler`: Node's own faults (timeouts, oversized or malformed requests),
 * answered in the dialect of the request's path when it is known, and the socket closed.
 * `urlOf` tells the URL of a request whose headers arrived on the socket.
 */
export function clientErrorHandler(urlOf: (socket: Socket) => { url: string; answered: boolean } | undefined) {
  return (err: ClientError, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const inflight = urlOf(socket);
    if (!socket.writable || inflight?.answered) {
      socket.destroy();
      return;
    }
    const r = renderFault(faultOf(err), inflight?.url ?? pathInPacket(err.rawPacket), randomUUID());
    const head = [
      `HTTP/1.1 ${r.status} ${STATUS_CODES[r.status] ?? 'Error'}`,
      'connection: close',
      `content-length: ${Buffer.byteLength(r.body)}`,
    ];
    for (const [k, v] of Object.entries(r.headers)) head.push(`${k}: ${v}`);
    socket.end(`${head.join('\r\n')}\r\n\r\n${r.body}`, () => socket.destroy());
  };
}
