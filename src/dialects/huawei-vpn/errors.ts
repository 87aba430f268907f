// Huawei's error format is shared with the sitevpn extension API, so it lives in
// dialects/shared/json-errors.ts; this module re-exports it for the Huawei routes and keeps the
// errors only the Huawei operations raise.
import { HuaweiError } from '../shared/json-errors.ts';

export {
  AUTH_PREFIX,
  DOMAIN_ERRORS,
  errorBody,
  fromDomainError,
  HuaweiError,
  type HuaweiErrorBody,
  invalidRequest,
  throttled,
} from '../shared/json-errors.ts';

/** VPN.0559: an EIP named by id together with the parameters of a new one. */
export function eipConflict(): HuaweiError {
  return new HuaweiError(400, 'VPN.0559', 'EIP parameter conflict.');
}
