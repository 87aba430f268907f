// What one sitevpn extension operation is: like a Huawei route (a method, a path under
// /sitevpn/v1/projects/{project_id}, a handler that never sees HTTP), but it may answer with an
// event stream instead of one JSON object.
import type { TunnelEvent } from '../../domain/entities.ts';
import type { Services } from '../../service/services.ts';
import { invalidRequest } from '../shared/json-errors.ts';
import { type JsonRequest, single } from '../shared/json-request.ts';

export interface ExtDeps {
  services: Services;
}

/**
 * A long-lived answer: `open` starts sending objects (one JSON line each) and returns what to
 * call when the client goes away or the server closes.
 */
export class EventStream {
  constructor(readonly open: (send: (line: Record<string, unknown>) => void) => () => void) {}
}

export type ExtResult = Record<string, unknown> | undefined | EventStream;

export interface ExtRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to /sitevpn/v1/projects/{project_id}, fastify syntax. */
  url: string;
  status: number;
  handle(req: JsonRequest, deps: ExtDeps): Promise<ExtResult>;
}

export function extRoute(def: ExtRoute): ExtRoute {
  return def;
}

/** An optional `limit` query parameter: an integer from 1 to max, default `fallback`. */
export function limitOf(query: JsonRequest['query'], fallback: number, max = 1000): number {
  const value = single(query, 'limit');
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw invalidRequest(`limit must be an integer from 1 to ${max}`);
  return n;
}

/** An optional boolean query parameter: true or false. */
export function flagOf(query: JsonRequest['query'], name: string): boolean {
  const value = single(query, name);
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw invalidRequest(`${name} must be true or false`);
}

/** One history line on the wire. */
export function renderEvent(e: TunnelEvent): Record<string, unknown> {
  return { time: e.at, tunnel_id: e.tunnelId, kind: e.kind, detail: e.detail };
}
