// The JSON error format both JSON dialects answer in (the Huawei VPN API and the sitevpn extension
// API, which answers like it): {"error_code","error_msg","request_id"} with the X-Request-Id header.
// Protocol errors (signature, JSON, unknown API) are HuaweiError; domain errors are rendered here
// from one table: every domain code, the status and code Huawei documents for it on its VPN
// error-code page (support.huaweicloud.com/intl/en-us/api-vpn/vpn_api_0067.html), and Huawei's
// wording. Operation names in messages are Huawei's IAM actions (vpn:vpnConnections:update).
import type { DomainError, DomainErrorCode, ResourceKind } from '../../domain/errors.ts';

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

interface Rendering {
  status: number;
  code: string;
  message(err: DomainError, action?: string): string;
}

const invalid = (err: DomainError) => `invalid request: ${err.message}`;

/**
 * Each domain code as Huawei answers it. Huawei documents no site-to-site code for a used-up
 * resource quota or a resource in use (its own answer for a customer gateway still in use is
 * VPN.0001 "invalid request: customer gateway <id> has connection"), so those stay VPN.0001 with
 * Huawei's words; everything with a documented code has it.
 */
export const DOMAIN_ERRORS: Record<DomainErrorCode, Rendering> = {
  InvalidParameter: { status: 400, code: 'VPN.0001', message: invalid },
  MissingParameter: { status: 400, code: 'VPN.0001', message: invalid },
  InvalidParameterCombination: { status: 400, code: 'VPN.0001', message: invalid },
  NotFound: {
    status: 404,
    code: 'VPN.0004',
    message: (e) =>
      e.resource && e.id ? `resource not found: ${RESOURCE_NAME[e.resource]} ${e.id} does not exist` : `resource not found: ${e.message}`,
  },
  Unauthorized: {
    status: 403,
    code: 'VPN.0003',
    message: (e, action) => `Authentication failed: ${action ? `Policy doesn't allow ${action} to be performed.` : e.message}`,
  },
  // A resource in a PENDING_* state: Huawei's "busy, try later" (VPN.0030).
  IncorrectState: { status: 400, code: 'VPN.0030', message: () => 'The system is busy, please try later.' },
  // The same peer pair, the same monitor again: Huawei's "repeated operation" (VPN.0031).
  Duplicate: { status: 400, code: 'VPN.0031', message: () => 'Repeated operation.' },
  InUse: {
    status: 400,
    code: 'VPN.0001',
    message: (e) => (e.resource && e.id ? `invalid request: ${RESOURCE_NAME[e.resource]} ${e.id} has connection` : invalid(e)),
  },
  QuotaExceeded: { status: 400, code: 'VPN.0001', message: invalid },
  // What the configured data plane cannot do: VPN.0562, with what it is and what to choose instead.
  Unsupported: { status: 400, code: 'VPN.0562', message: (e) => `The current gateway version does not support this feature: ${e.message}` },
};

/** The outside IP pool is sitevpn's EIP pool: its exhaustion is Huawei's VPN.0560. */
const EIP_QUOTA = new HuaweiError(400, 'VPN.0560', 'EIP quota not enough.');

export function fromDomainError(err: DomainError, action?: string): HuaweiError {
  if (err.code === 'QuotaExceeded' && err.field === 'outsideIp') return EIP_QUOTA;
  const r = DOMAIN_ERRORS[err.code];
  return new HuaweiError(r.status, r.code, r.message(err, action));
}

export interface HuaweiErrorBody {
  error_code: string;
  error_msg: string;
  request_id: string;
}

export function errorBody(err: HuaweiError, requestId: string): HuaweiErrorBody {
  return { error_code: err.code, error_msg: err.message, request_id: requestId };
}

/** APIGW.0101: no operation at this method and path. */
export const UNKNOWN_API = () => new HuaweiError(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment');
