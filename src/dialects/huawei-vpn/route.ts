// What one Huawei operation is: a method, a path under /v5/{project_id}, and a handler that sees
// the caller's context and the request's parts but never HTTP itself (convention 3).
import { isDomainError } from '../../domain/errors.ts';
import type { Services } from '../../service/services.ts';
import type { JsonRequest } from '../shared/json-request.ts';
import { HUAWEI_ACTIONS } from './actions.ts';
import { fromDomainError } from './errors.ts';

export { single } from '../shared/json-request.ts';
export type HuaweiRequest = JsonRequest;

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
