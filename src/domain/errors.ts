// The one error type the domain and the services throw. Each dialect renders it in its own wire
// format (Huawei JSON, EC2 XML); the codes form a closed set so renderers can be exhaustive.

export type ResourceKind =
  | 'Project'
  | 'VpnGateway'
  | 'CustomerGateway'
  | 'VpnConnection'
  | 'Tunnel'
  | 'Route'
  | 'AccessKey'
  | 'ConnectionMonitor';

export type DomainErrorCode =
  /** A parameter has a value outside its allowed range or format. */
  | 'InvalidParameter'
  /** A required parameter is absent. */
  | 'MissingParameter'
  /** Two parameters cannot be used together. */
  | 'InvalidParameterCombination'
  /** The named resource does not exist (or belongs to another tenant). */
  | 'NotFound'
  /** The resource is still used by another resource. */
  | 'InUse'
  /** The resource is in a state that does not allow the operation (e.g. PENDING_*). */
  | 'IncorrectState'
  /** A per-project quota would be exceeded. */
  | 'QuotaExceeded'
  /** The caller's key policy does not allow the operation. */
  | 'Unauthorized'
  /** The configured data plane cannot do what was asked. */
  | 'Unsupported'
  /** The same resource already exists. */
  | 'Duplicate';

export interface DomainErrorDetails {
  resource?: ResourceKind;
  id?: string;
  /** The parameter at fault, in domain (dialect-neutral) terms. */
  field?: string;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly resource?: ResourceKind;
  readonly id?: string;
  readonly field?: string;

  constructor(code: DomainErrorCode, message: string, details: DomainErrorDetails = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.resource = details.resource;
    this.id = details.id;
    this.field = details.field;
  }

  static notFound(resource: ResourceKind, id: string): DomainError {
    return new DomainError('NotFound', `${resource} ${id} does not exist`, { resource, id });
  }

  static invalid(field: string, message: string): DomainError {
    return new DomainError('InvalidParameter', message, { field });
  }

  static missing(field: string): DomainError {
    return new DomainError('MissingParameter', `missing required parameter ${field}`, { field });
  }
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
