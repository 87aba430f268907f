// OpenAPI 3.1 for the Huawei dialect (/v5) and the extension API (/sitevpn/v1), built at start from
// the routes the dialects mount and the TypeBox schemas their handlers validate bodies with (TypeBox
// schemas are JSON Schema, which OpenAPI 3.1 takes as is). Served unauthenticated at /openapi.json,
// with a browsable page at /docs that renders it in the browser without fetching anything else.
import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { huaweiRoutes } from '../dialects/huawei-vpn/routes/index.ts';
import { extRoutes } from '../dialects/sitevpn-ext/routes/index.ts';
import { DOCS_PAGE } from './docs-page.ts';
import { EXT_OPERATIONS, HUAWEI_OPERATIONS, type OperationDoc } from './openapi-operations.ts';

interface RouteLike {
  method: string;
  url: string;
  status: number;
}

export const HUAWEI_PREFIX = '/v5/:project_id';
export const EXT_PREFIX = '/sitevpn/v1/projects/:project_id';

/** fastify's `/a/:id` as OpenAPI's `/a/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** A TypeBox schema as plain JSON Schema; its error texts become descriptions. */
function plain(schema: TSchema): unknown {
  const copy = JSON.parse(JSON.stringify(schema)) as unknown;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.errorMessage === 'string') {
      o.description ??= o.errorMessage;
      delete o.errorMessage;
    }
    Object.values(o).forEach(walk);
  };
  walk(copy);
  return copy;
}

const errorBody = {
  description: 'An error in the Huawei format (X-Request-Id header too)',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['error_code', 'error_msg', 'request_id'],
        properties: {
          error_code: { type: 'string', examples: ['VPN.0001'] },
          error_msg: { type: 'string' },
          request_id: { type: 'string' },
        },
      },
    },
  },
};

function operation(prefix: string, tag: string, r: RouteLike, doc: OperationDoc | undefined): [string, string, Record<string, unknown>] {
  const url = prefix + r.url;
  const params = [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const op: Record<string, unknown> = {
    operationId: doc?.name ?? `${r.method.toLowerCase()}${r.url}`,
    summary: doc?.summary ?? '',
    tags: [tag],
    parameters: params,
    responses: {
      [String(r.status)]: { description: r.status === 204 ? 'Done; no body' : 'Success (JSON with request_id)' },
      default: errorBody,
    },
  };
  if (doc?.body) {
    op.requestBody = { required: true, content: { 'application/json': { schema: plain(doc.body), example: doc.example } } };
  }
  return [openApiPath(url), r.method.toLowerCase(), op];
}

export function buildOpenApi(version = '0'): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const add = ([path, method, op]: [string, string, Record<string, unknown>]) => ((paths[path] ??= {})[method] = op);
  for (const r of huaweiRoutes) add(operation(HUAWEI_PREFIX, 'Huawei Cloud VPN v5', r, HUAWEI_OPERATIONS[`${r.method} ${r.url}`]));
  for (const r of extRoutes) add(operation(EXT_PREFIX, 'sitevpn extension', r, EXT_OPERATIONS[`${r.method} ${r.url}`]));
  return {
    openapi: '3.1.0',
    info: {
      title: 'sitevpn: Huawei Cloud VPN v5 dialect and the /sitevpn/v1 extension',
      version,
      description:
        'Every request is signed with an access key (Huawei AK/SK, SDK-HMAC-SHA256), e.g. by the Huawei Cloud SDK. ' +
        'The EC2 Query dialect at / follows the AWS EC2 API reference and is not described here.',
    },
    components: {
      securitySchemes: {
        akskSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=... with X-Sdk-Date',
        },
      },
    },
    security: [{ akskSignature: [] }],
    paths,
  };
}

/** The operation name of a Huawei or extension request, by its fastify route, for metrics. */
export function operationNames(): Map<string, string> {
  const names = new Map<string, string>();
  for (const [key, doc] of Object.entries(HUAWEI_OPERATIONS)) {
    const [method, url] = key.split(' ');
    names.set(`${method} ${HUAWEI_PREFIX}${url}`, doc.name);
  }
  for (const [key, doc] of Object.entries(EXT_OPERATIONS)) {
    const [method, url] = key.split(' ');
    names.set(`${method} ${EXT_PREFIX}${url}`, doc.name);
  }
  return names;
}

export async function openApiPlugin(app: FastifyInstance): Promise<void> {
  const body = JSON.stringify(buildOpenApi());
  app.get('/openapi.json', (_req, reply) => reply.type('application/json').send(body));
  app.get('/docs', (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'")
      .send(DOCS_PAGE),
  );
}
