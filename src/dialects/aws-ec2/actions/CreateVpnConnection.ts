// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpnConnection.html
import { isCidr } from '../../../domain/cidr.ts';
import type { Tag } from '../../../domain/entities.ts';
import { randomInsideCidr, insideAddressesOf, insideCidrOf } from '../../../service/tunnel-defaults.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { invalidValue, missingParameter } from '../protocol/query-errors.ts';
import { q } from '../protocol/query-input.ts';
import { struct } from '../protocol/xml-writer.ts';
import { renderConnection } from '../render.ts';
import { VpnConnectionShape } from '../shapes.ts';
import { applyTunnelOptions, AWS_DEFAULT_IKE, AWS_DEFAULT_IPSEC, tunnelOptionsSpec } from '../tunnel-options.ts';
import { customerGatewayConfiguration } from '../customer-gateway-configuration.ts';

const inputSpec = {
  CustomerGatewayId: q.requiredString('CustomerGatewayId'),
  Type: q.requiredEnum('Type', ['ipsec.1'] as const),
  VpnGatewayId: q.string('VpnGatewayId'),
  TransitGatewayId: q.string('TransitGatewayId'),
  Options: q.struct('Options', {
    StaticRoutesOnly: q.boolean('StaticRoutesOnly'),
    EnableAcceleration: q.boolean('EnableAcceleration'),
    LocalIpv4NetworkCidr: q.string('LocalIpv4NetworkCidr'),
    RemoteIpv4NetworkCidr: q.string('RemoteIpv4NetworkCidr'),
    TunnelInsideIpVersion: q.enum('TunnelInsideIpVersion', ['ipv4'] as const),
    OutsideIpAddressType: q.enum('OutsideIpAddressType', ['PublicIpv4'] as const),
    TunnelOptions: q.structList('TunnelOptions', tunnelOptionsSpec),
  }),
  TagSpecifications: q.tagSpecifications('TagSpecification'),
};

export default action({
  name: 'CreateVpnConnection',
  access: 'write',
  input: inputSpec,
  output: struct({ VpnConnection: VpnConnectionShape }),
  async handle(ctx, input, services) {
    if (input.TransitGatewayId !== undefined) {
      throw new Ec2Error('UnsupportedOperation', 'Transit gateway attachments are not supported by sitevpn; use VpnGatewayId.');
    }
    if (input.VpnGatewayId === undefined) throw missingParameter('VpnGatewayId');
    const options = input.Options;
    if (options?.EnableAcceleration) throw new Ec2Error('UnsupportedOperation', 'Accelerated VPN connections are not supported by sitevpn.');
    for (const f of ['LocalIpv4NetworkCidr', 'RemoteIpv4NetworkCidr'] as const) {
      const v = options?.[f];
      if (v !== undefined && !isCidr(v)) throw invalidValue(`Options.${f}`, v, 'Expecting an IPv4 CIDR block.');
    }
    const given = options?.TunnelOptions ?? [];
    if (given.some((t) => t.EnableTunnelLifecycleControl)) {
      throw new Ec2Error('UnsupportedOperation', 'Tunnel endpoint lifecycle control is not supported by sitevpn.');
    }
    if (given.length > 2) throw invalidValue('Options.TunnelOptions', String(given.length), 'A VPN connection has exactly two tunnels.');
    const taken = new Set<string>();
    const tunnels = [0, 1].map((i) => {
      const changes = applyTunnelOptions(
        { ike: AWS_DEFAULT_IKE, ipsec: AWS_DEFAULT_IPSEC, psk: '', startupAction: 'add' },
        given[i] ?? {},
        `Options.TunnelOptions.${i + 1}.`,
      );
      const cidr = changes.tunnelLocalAddress ? insideCidrOf(changes.tunnelLocalAddress) : randomInsideCidr(taken);
      if (taken.has(cidr)) {
        throw new Ec2Error('InvalidParameterValue', `The tunnel inside CIDR ${cidr} is used by both tunnels of the VPN connection.`);
      }
      taken.add(cidr);
      const addresses = insideAddressesOf(cidr);
      return {
        tunnelLocalAddress: addresses.local,
        tunnelPeerAddress: addresses.peer,
        psk: changes.psk,
        ike: changes.ike!,
        ipsec: changes.ipsec!,
        startupAction: changes.startupAction ?? ('add' as const),
      };
    });
    const tags: Tag[] = input.TagSpecifications.filter((s) => s.resourceType === undefined || s.resourceType === 'vpn-connection').flatMap((s) => s.tags);
    const connection = await services.connections.create(ctx, {
      vgwId: input.VpnGatewayId,
      cgwId: input.CustomerGatewayId,
      style: options?.StaticRoutesOnly ? 'static' : 'bgp',
      localNetworkCidr: options?.LocalIpv4NetworkCidr,
      remoteNetworkCidr: options?.RemoteIpv4NetworkCidr,
      tags,
      tunnels,
    });
    const cgw = await services.customerGateways.get(ctx, connection.cgwId);
    return { VpnConnection: renderConnection(connection, customerGatewayConfiguration(connection, cgw)) };
  },
});
