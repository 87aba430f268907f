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

/** EC2's limit codes, worded like its tag limit ("The maximum number of Tags ... has been reached."). */
const LIMIT: Partial<Record<ResourceKind, [code: string, message: string]>> = {
  VpnConnection: ['VpnConnectionLimitExceeded', 'The maximum number of VPN connections has been reached.'],
  VpnGateway: ['VpnGatewayLimitExceeded', 'The maximum number of virtual private gateways has been reached.'],
  CustomerGateway: ['CustomerGatewayLimitExceeded', 'The maximum number of customer gateways has been reached.'],
};

const IN_USE: Partial<Record<ResourceKind, string>> = {
  VpnGateway: 'The VPN gateway is in use.',
  CustomerGateway: 'The customer gateway is in use.',
};

/** The wire name EC2 gives a domain field, where a domain message could name one. */
const PARAMETER: Record<string, string> = {
  resourceIds: 'resourceIdSet',
  vgwId: 'VpnGatewayId',
  cgwId: 'CustomerGatewayId',
  psk: 'PreSharedKey',
};

/**
 * Domain errors in EC2's codes and words. The services word their messages for no dialect in
 * particular, so every code EC2 can meet gets its message here; only InvalidParameter(Combination)
 * and Unsupported keep the service's message (the EC2 checks at the edge word what reaches them).
 */
export function fromDomainError(err: DomainError): Ec2Error {
  switch (err.code) {
    case 'NotFound': {
      const known = err.resource && NOT_FOUND[err.resource];
      if (known && err.id) return new Ec2Error(known[0], `The ${known[1]} ID '${err.id}' does not exist`);
      return new Ec2Error('InvalidParameterValue', err.message);
    }
    case 'MissingParameter':
      return new Ec2Error(
        'MissingParameter',
        `The request must contain the parameter ${PARAMETER[err.field ?? ''] ?? err.field ?? 'missing'}`,
      );
    case 'InvalidParameterCombination':
      return new Ec2Error('InvalidParameterCombination', err.message);
    case 'InUse':
      return new Ec2Error('IncorrectState', (err.resource && IN_USE[err.resource]) ?? 'The resource is in use.');
    case 'IncorrectState': {
      const noun = err.resource && NOT_FOUND[err.resource]?.[1];
      return new Ec2Error(
        'IncorrectState',
        noun && err.id
          ? `The ${noun} '${err.id}' is in an incorrect state for this operation.`
          : 'The resource is in an incorrect state for this operation.',
      );
    }
    case 'QuotaExceeded': {
      const limit = err.resource && LIMIT[err.resource];
      if (limit) return new Ec2Error(limit[0], limit[1]);
      return new Ec2Error('ResourceLimitExceeded', 'No outside IP address is left for a new virtual private gateway.');
    }
    case 'Duplicate':
      return new Ec2Error(
        'InvalidParameterValue',
        err.id
          ? `The VPN connection '${err.id}' already joins this customer gateway to this virtual private gateway.`
          : 'The resource already exists.',
      );
    case 'Unauthorized':
      return new Ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.');
    case 'Unsupported':
      return new Ec2Error('UnsupportedOperation', err.message);
    default:
      return new Ec2Error('InvalidParameterValue', err.message);
  }
}
