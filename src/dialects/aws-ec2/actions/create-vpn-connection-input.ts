// CreateVpnConnection's request, past what its model says: the values EC2 documents (checked before
// the key's policy) and the options sitevpn cannot honour (refused once the key may act).

import { isCidr } from '../../../domain/cidr.ts';
import { Ec2Error } from '../errors.ts';
import type { inputs } from '../generated/model.ts';
import type { InputOf } from '../protocol/model-input.ts';
import { checkEnum } from '../protocol/model-input-checks.ts';
import { invalidValue, QueryParseError } from '../protocol/query-errors.ts';
import { checkTunnelOptions, refuseUnsupportedTunnelOptions } from '../tunnel-options.ts';

export type CreateVpnConnectionInput = InputOf<typeof inputs.CreateVpnConnection>;

export function validateCreateVpnConnection(input: CreateVpnConnectionInput): void {
  checkEnum('Type', input.Type, ['ipsec.1'] as const);
  checkEnum('PreSharedKeyStorage', input.PreSharedKeyStorage, ['Standard', 'SecretsManager'] as const);
  const o = input.Options;
  if (o === undefined) return;
  checkEnum('Options.TunnelInsideIpVersion', o.TunnelInsideIpVersion, ['ipv4'] as const);
  checkEnum('Options.OutsideIpAddressType', o.OutsideIpAddressType, ['PublicIpv4'] as const);
  checkEnum('Options.TunnelBandwidth', o.TunnelBandwidth, ['standard', 'large'] as const);
  for (const [i, t] of o.TunnelOptions.entries()) checkTunnelOptions(t, `Options.TunnelOptions.${i + 1}.`);
}

/** Refuses what sitevpn does not do, in EC2's codes. */
export function refuseUnsupported(input: CreateVpnConnectionInput): void {
  const o = input.Options;
  if (o?.EnableAcceleration) throw new Ec2Error('UnsupportedOperation', 'Accelerated VPN connections are not supported by sitevpn.');
  if (input.VpnConcentratorId !== undefined) throw new Ec2Error('UnsupportedOperation', 'VPN concentrators are not supported by sitevpn.');
  if (input.PreSharedKeyStorage === 'SecretsManager') {
    throw new Ec2Error('UnsupportedOperation', 'Storing pre-shared keys in AWS Secrets Manager is not supported by sitevpn.');
  }
  if (o === undefined) return;
  if (o.LocalIpv6NetworkCidr !== undefined || o.RemoteIpv6NetworkCidr !== undefined) {
    throw new QueryParseError(
      'InvalidParameterCombination',
      'An ipv6 network cidr is not allowed for VPNs using an ipv4 inside ip version',
    );
  }
  if (o.TransportTransitGatewayAttachmentId !== undefined) {
    throw new Ec2Error(
      'UnsupportedOperation',
      'Private IP VPN connections over a transit gateway attachment are not supported by sitevpn.',
    );
  }
  if (o.TunnelBandwidth === 'large') throw new Ec2Error('UnsupportedOperation', 'Large bandwidth tunnels are not supported by sitevpn.');
  for (const f of ['LocalIpv4NetworkCidr', 'RemoteIpv4NetworkCidr'] as const) {
    const v = o[f];
    if (v !== undefined && !isCidr(v)) throw invalidValue(`Options.${f}`, v, 'Expecting an IPv4 CIDR block.');
  }
  o.TunnelOptions.forEach(refuseUnsupportedTunnelOptions);
}
