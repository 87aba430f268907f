/*
 * EC2 Query requests: form-encoded pairs in a POST body (or the query string of a GET):
 *
 *   POST / HTTP/1.1
 *   Content-Type: application/x-www-form-urlencoded; charset=utf-8
 *
 *   Action=CreateVpnConnection&Version=2016-11-15&CustomerGatewayId=cgw-1&Type=ipsec.1
 *   &Options.StaticRoutesOnly=true&Options.TunnelOptions.1.TunnelInsideCidr=169.254.10.0%2F30
 *   &Options.TunnelOptions.1.Phase1EncryptionAlgorithm.1.Value=AES256
 *   &TagSpecification.1.ResourceType=vpn-connection&TagSpecification.1.Tag.1.Key=Name
 *
 * This module decodes the pairs and checks Action and Version; the dotted names are then read
 * through the action's model shape by model-input-parser.ts. `X-Amz-*` pairs belong to the
 * signature (presigned form) and are left out.
 */
import { invalidAction, missingParameter, QueryParseError } from './query-errors.ts';

export * from './query-errors.ts';

export const EC2_API_VERSION = '2016-11-15';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_PARAMS = 5000;

/** Form decoding of one component: `+` is a space, `%XX` must be valid hex and valid UTF-8. */
export function formDecode(s: string): string | undefined {
  let t = s;
  if (t.indexOf('+') >= 0) t = t.replace(/\+/g, ' ');
  if (t.indexOf('%') < 0) return t;
  if (/%(?![0-9A-Fa-f]{2})/.test(t)) return undefined;
  try {
    return decodeURIComponent(t);
  } catch {
    return undefined;
  }
}

/** Split `a=1&b=2` into decoded pairs (in order; duplicates kept). Undefined when malformed. */
export function decodePairs(raw: string): Array<[string, string]> | undefined {
  const out: Array<[string, string]> = [];
  if (raw === '') return out;
  for (const piece of raw.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const k = formDecode(eq < 0 ? piece : piece.slice(0, eq));
    const v = eq < 0 ? '' : formDecode(piece.slice(eq + 1));
    if (k === undefined || v === undefined || k === '') return undefined;
    out.push([k, v]);
  }
  return out;
}

export interface QueryHttpRequest {
  method: string;
  rawQuery: string;
  body?: Buffer | string;
  contentType?: string;
}
export interface QueryParseOptions {
  maxBodyBytes?: number;
  maxParams?: number;
  /** Accepted `Version` values; default only 2016-11-15. */
  versions?: readonly string[];
  /** When given, an Action outside it is `InvalidAction`. */
  actions?: ReadonlySet<string>;
}
export interface ParsedQuery {
  action: string;
  version: string;
  /** Every other pair by its dotted name, in request order (Action, Version and X-Amz-* removed). */
  params: Map<string, string>;
}

export function parseQueryRequest(req: QueryHttpRequest, opts: QueryParseOptions = {}): ParsedQuery {
  const maxBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bodyLen = req.body === undefined ? 0 : typeof req.body === 'string' ? Buffer.byteLength(req.body) : req.body.length;
  if (bodyLen > maxBytes || req.rawQuery.length > maxBytes) {
    throw new QueryParseError('RequestEntityTooLarge', `The request is larger than the limit of ${maxBytes} bytes.`);
  }
  if (bodyLen > 0 && req.contentType !== undefined && !/^application\/x-www-form-urlencoded\b/i.test(req.contentType)) {
    throw new QueryParseError(
      'UnsupportedProtocol',
      `The content type ${req.contentType} is not supported; send application/x-www-form-urlencoded.`,
    );
  }
  const params = new Map<string, string>();
  const maxParams = opts.maxParams ?? DEFAULT_MAX_PARAMS;
  addPairs(params, req.rawQuery, maxParams);
  if (bodyLen > 0) addPairs(params, typeof req.body === 'string' ? req.body : req.body!.toString('utf8'), maxParams);

  const action = params.get('Action');
  if (action === undefined || action === '') {
    throw new QueryParseError('MissingAction', 'The request must contain the parameter Action');
  }
  if (!/^[A-Za-z0-9]{1,128}$/.test(action) || (opts.actions !== undefined && !opts.actions.has(action))) {
    throw invalidAction(action);
  }
  const version = params.get('Version');
  if (version === undefined || version === '') throw missingParameter('Version');
  if (!(opts.versions ?? [EC2_API_VERSION]).includes(version)) {
    throw new QueryParseError('NoSuchVersion', `The requested version (${version}) of service AmazonEC2 does not exist`);
  }
  params.delete('Action');
  params.delete('Version');
  return { action, version, params };
}

function addPairs(params: Map<string, string>, raw: string, maxParams: number): void {
  if (raw === '') return;
  const pairs = decodePairs(raw);
  if (pairs === undefined) throw new QueryParseError('MalformedQueryString', 'The query string contains a syntax error.');
  for (const [k, v] of pairs) {
    if (k.startsWith('X-Amz-')) continue;
    if (k.startsWith('.') || k.endsWith('.') || k.includes('..')) {
      throw new QueryParseError('MalformedQueryString', `The parameter name ${k} is malformed.`);
    }
    if (params.has(k)) throw new QueryParseError('InvalidQueryParameter', `The parameter ${k} appears more than once.`);
    if (params.size >= maxParams) {
      throw new QueryParseError('RequestEntityTooLarge', `The request has more than ${maxParams} parameters.`);
    }
    params.set(k, v);
  }
}
