// What one Huawei operation is: a method, a path under /v5/{project_id}, and a handler that sees
// the caller's context and the request's parts but never HTTP itself (convention 3).
import type { RequestContext } from '../../service/context.ts';
import type { Services } from '../../service/services.ts';
import { invalidRequest } from './errors.ts';

export interface HuaweiRequest {
  ctx: RequestContext;
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface HuaweiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to /v5/{project_id}, fastify syntax (e.g. '/vpn-connection/:vpn_connection_id'). */
  url: string;
  /** The status of a successful answer. */
  status: number;
  /** The JSON object to answer (request_id is added), or undefined for an empty body. */
  handle(req: HuaweiRequest, services: Services): Promise<Record<string, unknown> | undefined>;
}

export function route(def: HuaweiRoute): HuaweiRoute {
  return def;
}

/** A query parameter given once; a repeated one is refused. */
export function single(query: HuaweiRequest['query'], name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) throw invalidRequest(`the query parameter ${name} must be given at most once`);
  return v;
}
