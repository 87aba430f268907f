// Maps domain errors onto EC2's codes and wording. Protocol errors (query parsing, SigV4) carry
// their EC2 code already; anything else is an InternalError.
import type { DomainError, ResourceKind } from '../../domain/errors.ts';

export class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'Ec2Error';
  }
}

const NOT_FOUND: Partial<Record<ResourceKind, [code: string, noun: string]>> = {
  VpnConnection: ['InvalidVpnConnectionID.NotFound', 'vpnConnection'],
  VpnGateway: ['InvalidVpnGatewayID.NotFound', 'vpnGateway'],
  CustomerGateway: ['InvalidCustomerGatewayID.NotFound', 'customerGateway'],
};

const LIMIT: Partial<Record<ResourceKind, string>> = {
  VpnConnection: 'VpnConnectionLimitExceeded',
  VpnGateway: 'VpnGatewayLimitExceeded',
  CustomerGateway: 'CustomerGatewayLimitExceeded',
};

export function fromDomainError(err: DomainError): Ec2Error {
  switch (err.code) {
    case 'NotFound': {
      const known = err.resource && NOT_FOUND[err.resource];
      if (known && err.id) return new Ec2Error(known[0], `The ${known[1]} ID '${err.id}' does not exist`);
      return new Ec2Error('InvalidParameterValue', err.message);
    }
    case 'MissingParameter':
      return new Ec2Error('MissingParameter', err.message);
    case 'InvalidParameterCombination':
      return new Ec2Error('InvalidParameterCombination', err.message);
    case 'IncorrectState':
    case 'InUse':
      return new Ec2Error('IncorrectState', err.message);
    case 'QuotaExceeded':
      return new Ec2Error((err.resource && LIMIT[err.resource]) ?? 'ResourceLimitExceeded', err.message);
    case 'Unauthorized':
      return new Ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.');
    case 'Unsupported':
      return new Ec2Error('UnsupportedOperation', err.message);
    default:
      return new Ec2Error('InvalidParameterValue', err.message);
  }
}
