// An HTTP/1.1 client over a bare socket, for requests no well-behaved client would send: any bytes
// in the request line, repeated or contradictory headers, a Content-Length that lies. Every
// request has a deadline, so a server that never answers fails the test instead of hanging it.
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** The request target exactly as sent (path and query, not re-encoded). */
  target: string;
  /** Header lines in order; Host and Connection: close are added. */
  headers: [string, string][];
  body?: Buffer;
  /** Adds Content-Length: body length unless a Content-Length or Transfer-Encoding header is given. */
  autoLength?: boolean;
  /** Closes the sending side after the body (a client that sent everything it will send). */
  halfClose?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What came back: an answer, or the connection closed with no answer at all. */
export type RawOutcome = { kind: 'answer'; response: RawResponse } | { kind: 'closed'; error?: string };

export class HungRequestError extends Error {}

export function sendRaw(endpoint: string, req: RawRequest, timeoutMs = 10_000): Promise<RawOutcome> {
  const url = new URL(endpoint);
  const body = req.body ?? Buffer.alloc(0);
  const lines = [`${req.method} ${req.target} HTTP/1.1`, `Host: ${url.host}`, 'Connection: close'];
  const names = new Set(req.headers.map(([k]) => k.toLowerCase()));
  for (const [k, v] of req.headers) lines.push(`${k}: ${v}`);
  if (
    req.autoLength !== false &&
    !names.has('content-length') &&
    !names.has('transfer-encoding') &&
    (body.length > 0 || !['GET', 'HEAD'].includes(req.method))
  ) {
    lines.push(`Content-Length: ${body.length}`);
  }
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const data = Buffer.concat(chunks);
      const response = parseResponse(data, true);
      resolve(response ? { kind: 'answer', response } : { kind: 'closed', error });
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(new HungRequestError(`no complete answer within ${timeoutMs} ms (got ${Buffer.concat(chunks).length} bytes)`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // A complete answer is enough; the server may keep the socket open after it.
      if (parseResponse(Buffer.concat(chunks))) finish();
    });
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (err) => finish(err.message));
    socket.on('connect', () => {
      socket.write(head);
      if (body.length > 0) socket.write(body);
      if (req.halfClose) socket.end();
    });
  });
}

/** The first complete response in data, or undefined while it is incomplete (final: the connection has ended). */
export function parseResponse(data: Buffer, final = false): RawResponse | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...headerLines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!m) return undefined;
  // An interim answer (100 Continue) comes before the real one.
  if (m[1].startsWith('1')) return parseResponse(data.subarray(end + 4), final);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const rest = data.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
      if (Number.isNaN(size)) return undefined;
      if (size === 0) break;
      if (rest.length < lineEnd + 2 + size) return undefined;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    return { status: Number(m[1]), headers, body: Buffer.concat(parts) };
  }
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    if (rest.length < n) return undefined;
    return { status: Number(m[1]), headers, body: rest.subarray(0, n) };
  }
  // Neither length nor chunks: the body runs to the end of the connection.
  return final ? { status: Number(m[1]), headers, body: rest } : undefined;
}
