// Every domain error code an EC2 action can meet, in EC2's codes and words: no service (Huawei-
// flavoured) message may reach an EC2 caller except where the EC2 edge already worded it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../domain/errors.ts';
import { fromDomainError } from './errors.ts';

const ec2 = (e: DomainError) => {
  const r = fromDomainError(e);
  return [r.code, r.message];
};

describe('fromDomainError', () => {
  it('words not-found, missing parameters, limits, in-use and incorrect states as EC2 does', () => {
    assert.deepEqual(ec2(DomainError.notFound('VpnConnection', 'vpn-1')), [
      'InvalidVpnConnectionID.NotFound',
      "The vpnConnection ID 'vpn-1' does not exist",
    ]);
    assert.deepEqual(ec2(DomainError.missing('resourceIds')), ['MissingParameter', 'The request must contain the parameter resourceIdSet']);
    assert.deepEqual(ec2(new DomainError('QuotaExceeded', 'the quota of 3 VPN connections is used up', { resource: 'VpnConnection' })), [
      'VpnConnectionLimitExceeded',
      'The maximum number of VPN connections has been reached.',
    ]);
    assert.deepEqual(
      ec2(new DomainError('QuotaExceeded', 'the quota of 1 customer gateways is used up', { resource: 'CustomerGateway' })),
      ['CustomerGatewayLimitExceeded', 'The maximum number of customer gateways has been reached.'],
    );
    assert.deepEqual(ec2(new DomainError('InUse', 'customer gateway cgw-1 has connection', { resource: 'CustomerGateway', id: 'cgw-1' })), [
      'IncorrectState',
      'The customer gateway is in use.',
    ]);
    assert.deepEqual(
      ec2(new DomainError('IncorrectState', 'vpn connection vpn-2 is in a pending state', { resource: 'VpnConnection', id: 'vpn-2' })),
      ['IncorrectState', "The vpnConnection 'vpn-2' is in an incorrect state for this operation."],
    );
    assert.deepEqual(
      ec2(
        new DomainError('Duplicate', 'the VPN gateway IP 1.2.3.4 and customer gateway x are already used by vpn connection vpn-3', {
          resource: 'VpnConnection',
          id: 'vpn-3',
        }),
      ),
      ['InvalidParameterValue', "The VPN connection 'vpn-3' already joins this customer gateway to this virtual private gateway."],
    );
    assert.deepEqual(ec2(new DomainError('Unauthorized', 'You are not authorized to perform this operation: CreateVpnConnection')), [
      'UnauthorizedOperation',
      'You are not authorized to perform this operation.',
    ]);
  });
});
