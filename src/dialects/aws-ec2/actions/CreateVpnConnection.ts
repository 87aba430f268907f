// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpnConnection.html

import { DomainError } from '../../../domain/errors.ts';
import { authorize } from '../../../service/context.ts';
import { insideAddressesOf, insideCidrOf, randomInsideCidr } from '../../../service/tunnel-defaults.ts';
import { action } from '../action.ts';
import { ConnectionReplies } from '../connection-reply.ts';
import { Ec2Error } from '../errors.ts';
import { inputs, outputs } from '../generated/model.ts';
import { invalidValue, missingParameter } from '../protocol/query-errors.ts';
import { AWS_DEFAULT_IKE, AWS_DEFAULT_IPSEC, applyTunnelOptions } from '../tunnel-options.ts';
import { ec2TagError, tagSpecificationTags } from './CreateTags.ts';
import { refuseUnsupported, validateCreateVpnConnection } from './create-vpn-connection-input.ts';
import { existingConnection, type RequestedTunnel } from './same-connection.ts';

export default action({
  name: 'CreateVpnConnection',
  access: 'write',
  input: inputs.CreateVpnConnection,
  validate: validateCreateVpnConnection,
  output: outputs.CreateVpnConnection,
  async handle(ctx, input, services, caches) {
    authorize(ctx, 'write', 'CreateVpnConnection'); // before the checks below, which a read-only key must not reach
    // EC2's order: the gateway pair's shape, then the customer gateway, then the gateway.
    if (input.TransitGatewayId !== undefined && input.VpnGatewayId !== undefined) {
      throw new Ec2Error('InvalidParameterValue', 'The request can include either a VpnGatewayId or a TransitGatewayId, but not both.');
    }
    await services.customerGateways.get(ctx, input.CustomerGatewayId);
    if (input.TransitGatewayId !== undefined) {
      // sitevpn has no transit gateways, so no transit gateway id exists.
      throw new Ec2Error('InvalidTransitGatewayID.NotFound', `The transitGateway ID '${input.TransitGatewayId}' does not exist`);
    }
    if (input.VpnGatewayId === undefined) throw missingParameter('VpnGatewayId');
    refuseUnsupported(input);
    const options = input.Options;
    const given = options?.TunnelOptions ?? [];
    if (given.length > 2) throw invalidValue('Options.TunnelOptions', String(given.length), 'A VPN connection has exactly two tunnels.');
    const taken = new Set<string>();
    const tunnels: RequestedTunnel[] = [0, 1].map((i) => {
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
        insideCidrGiven: changes.tunnelLocalAddress !== undefined,
      };
    });
    const tags = tagSpecificationTags(input.TagSpecifications, 'vpn-connection');
    const request = {
      vgwId: input.VpnGatewayId,
      cgwId: input.CustomerGatewayId,
      style: options?.StaticRoutesOnly ? ('static' as const) : ('bgp' as const),
      localNetworkCidr: options?.LocalIpv4NetworkCidr,
      remoteNetworkCidr: options?.RemoteIpv4NetworkCidr,
      tunnels,
    };
    const replies = new ConnectionReplies(ctx, services, caches);
    // Idempotent, as EC2 documents it: the same request again returns the existing connection.
    const existing = await existingConnection(ctx, services, request);
    if (existing) return { VpnConnection: await replies.render(existing) };
    // The connection and its tags are one write, under EC2's tag rules: a crash never leaves an
    // untagged connection behind.
    const connection = await services.connections.create(ctx, { ...request, tags, tagRules: 'ec2' }).catch((err: unknown) => {
      throw err instanceof DomainError && err.field === 'tags' ? ec2TagError(err) : err;
    });
    return { VpnConnection: await replies.render(connection) };
  },
});
