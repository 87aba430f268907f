// What one Huawei operation is: a method, a path under /v5/{project_id}, and a handler that sees
// the caller's context and the request's parts but never HTTP itself (convention 3).
import { isDomainError } from '../../domain/errors.ts';
import type { RequestContext } from '../../service/context.ts';
import type { Services } from '../../service/services.ts';
import { HUAWEI_ACTIONS } from './actions.ts';
import { fromDomainError, invalidRequest } from './errors.ts';

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

/** Domain errors leave a route in Huawei's words, naming the route's own IAM action. */
export function route(def: HuaweiRoute): HuaweiRoute {
  const action = HUAWEI_ACTIONS[`${def.method} ${def.url}`];
  return {
    ...def,
    async handle(req, services) {
      try {
        return await def.handle(req, services);
      } catch (err) {
        throw isDomainError(err) ? fromDomainError(err, action) : err;
      }
    },
  };
}

/** A query parameter's value; when it is repeated, the last one counts. */
export function single(query: HuaweiRequest['query'], name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) throw invalidRequest(`the query parameter ${name} must be given at most once`);
  return v;
}
