// The web console at /ui: static files from src/ui (plain HTML, CSS and JS modules, no build
// step) served with a strict Content-Security-Policy. The page signs every API call itself, so
// this plugin needs no access to the services and adds no endpoint of its own.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

const UI_DIR = fileURLToPath(new URL('../ui/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

// Only same-origin scripts, styles and fetches; no inline code, no frames, no form posts.
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  type: string;
  body: Buffer;
}

/** Every servable file under dir, keyed by its URL path below /ui/ (read once at start). */
function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const file = join(d, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (Object.hasOwn(TYPES, extname(name))) {
        assets.set(relative(dir, file).split(sep).join('/'), { type: TYPES[extname(name)], body: readFileSync(file) });
      }
    }
  };
  walk(dir);
  return assets;
}

function send(reply: FastifyReply, asset: Asset): FastifyReply {
  return reply
    .header('Content-Type', asset.type)
    .header('Content-Security-Policy', CONSOLE_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cross-Origin-Opener-Policy', 'same-origin')
    .header('Cache-Control', 'no-cache')
    .send(asset.body);
}

export async function webConsole(app: FastifyInstance): Promise<void> {
  const assets = loadAssets(UI_DIR);
  const index = assets.get('index.html');
  if (!index) throw new Error(`the web console has no index.html in ${UI_DIR}`);
  app.get('/ui', (_req, reply) => reply.redirect('/ui/'));
  app.get('/ui/', (_req, reply) => send(reply, index));
  app.get('/ui/*', (req, reply) => {
    const path = (req.params as { '*': string })['*'];
    const asset = assets.get(path);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').header('Content-Security-Policy', CONSOLE_CSP).send('Not found\n');
    return send(reply, asset);
  });
}
