// Signed calls to the same server: the Huawei v5 dialect and the sitevpn extension API.
import { session } from './session.js';
import { signRequest } from './sign.js';

export class ApiError extends Error {
  constructor(status, code, message, requestId) {
    super(code ? `${code}: ${message}` : message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

async function signedFetch(method, path, data, signal) {
  const s = session();
  if (!s) throw new ApiError(401, '', 'not signed in');
  const url = new URL(path, location.origin).href;
  const body = data === undefined ? undefined : JSON.stringify(data);
  const headers = await signRequest({ method, url, body, accessKeyId: s.accessKeyId, key: s.key });
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, { method, headers, body, signal, credentials: 'omit', cache: 'no-store' });
  if (!res.ok) {
    const text = await res.text();
    let e = {};
    try {
      e = JSON.parse(text);
    } catch {
      e = { error_msg: text || res.statusText };
    }
    throw new ApiError(res.status, e.error_code ?? '', e.error_msg ?? res.statusText, e.request_id ?? res.headers.get('X-Request-Id'));
  }
  return res;
}

async function json(method, path, data) {
  const res = await signedFetch(method, path, data);
  const text = await res.text();
  return text ? JSON.parse(text) : {};
}

const v5 = (path) => `/v5/${encodeURIComponent(session().projectId)}${path}`;
const ext = (path) => `/sitevpn/v1/projects/${encodeURIComponent(session().projectId)}${path}`;
const id = encodeURIComponent;

export const api = {
  gateways: async () => (await json('GET', v5('/vpn-gateways'))).vpn_gateways,
  gateway: async (g) => (await json('GET', v5(`/vpn-gateways/${id(g)}`))).vpn_gateway,
  createGateway: (body) => json('POST', v5('/vpn-gateways'), { vpn_gateway: body }),
  deleteGateway: (g) => json('DELETE', v5(`/vpn-gateways/${id(g)}`)),
  customerGateways: async () => (await json('GET', v5('/customer-gateways'))).customer_gateways,
  createCustomerGateway: (body) => json('POST', v5('/customer-gateways'), { customer_gateway: body }),
  deleteCustomerGateway: (c) => json('DELETE', v5(`/customer-gateways/${id(c)}`)),
  connections: async () => (await json('GET', v5('/vpn-connection'))).vpn_connections,
  connection: async (c) => (await json('GET', v5(`/vpn-connection/${id(c)}`))).vpn_connection,
  createConnection: (body) => json('POST', v5('/vpn-connection'), { vpn_connection: body }),
  deleteConnection: (c) => json('DELETE', v5(`/vpn-connection/${id(c)}`)),
  exportConfig: async (c, device) => (await json('POST', v5(`/vpn-connection/${id(c)}/peer-configuration/export`), device)).peer_config,
  diagnostics: (c) => json('GET', ext(`/vpn-connections/${id(c)}/diagnostics`)),
  history: async (c) => (await json('GET', ext(`/vpn-connections/${id(c)}/history`))).history,
  /** Opens the live event stream; resolves with the Response whose body is NDJSON. */
  follow: (signal) => signedFetch('GET', ext('/events?follow=true'), undefined, signal),
};
