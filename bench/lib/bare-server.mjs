// The baseline: plain node:http answering every request with fixed bytes and a request id, the
// least work any server on this runtime can do for the same response.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = readFileSync(process.env.BARE_BODY_FILE);
const contentType = process.env.BARE_CONTENT_TYPE ?? 'application/json';
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': contentType, 'content-length': body.length, 'x-request-id': randomUUID() });
    res.end(body);
  });
}).listen(Number(process.env.BARE_PORT), '127.0.0.1', () => console.log('bare server listening'));
