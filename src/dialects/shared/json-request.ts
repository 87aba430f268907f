// What a route of a JSON dialect (Huawei VPN, sitevpn extension) sees of a signed request: the
// caller's context and the request's parts, never HTTP itself (convention 3).
import type { RequestContext } from '../../service/context.ts';
import { invalidRequest } from './json-errors.ts';

export interface JsonRequest {
  ctx: RequestContext;
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A query parameter's value; given more than once, it is a VPN.0001. */
export function single(query: JsonRequest['query'], name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) throw invalidRequest(`the query parameter ${name} must be given at most once`);
  return v;
}
