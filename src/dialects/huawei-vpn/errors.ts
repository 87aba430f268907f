// Huawei's error format: {"error_code","error_msg","request_id"} with the X-Request-Id header.
// Protocol errors (signature, JSON, unknown API) are HuaweiError; domain errors are rendered here.
import type { DomainError, ResourceKind } from '../../domain/errors.ts';

export class HuaweiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HuaweiError';
  }
}

export function invalidRequest(detail: string): HuaweiError {
  return new HuaweiError(400, 'VPN.0001', `invalid request: ${detail}`);
}

/**
 * Huawei's VPN.0030 "system busy", for a key over its request rate. Huawei documents no status
 * for it; sitevpn sends 429 Too Many Requests with Retry-After.
 */
export function throttled(): HuaweiError {
  return new HuaweiError(429, 'VPN.0030', 'system busy: too many requests for this access key, retry later');
}

export const AUTH_PREFIX = 'Incorrect IAM authentication information';

const RESOURCE_NAME: Record<ResourceKind, string> = {
  Project: 'project',
  VpnGateway: 'vpn gateway',
  CustomerGateway: 'customer gateway',
  VpnConnection: 'vpn connection',
  Tunnel: 'tunnel',
  Route: 'route',
  AccessKey: 'access key',
  ConnectionMonitor: 'connection monitor',
};

export function fromDomainError(err: DomainError): HuaweiError {
  switch (err.code) {
    case 'NotFound':
      return err.resource && err.id
        ? new HuaweiError(404, 'VPN.0004', `resource not found: ${RESOURCE_NAME[err.resource]} ${err.id} does not exist`)
        : new HuaweiError(404, 'VPN.0004', `resource not found: ${err.message}`);
    case 'Unauthorized':
      return new HuaweiError(403, 'VPN.0003', `authentication failed: ${err.message}`);
    default:
      return invalidRequest(err.message);
  }
}

export interface HuaweiErrorBody {
  error_code: string;
  error_msg: string;
  request_id: string;
}

export function errorBody(err: HuaweiError, requestId: string): HuaweiErrorBody {
  return { error_code: err.code, error_msg: err.message, request_id: requestId };
}
