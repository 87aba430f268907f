// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpnConnectionOptions.html
import { isCidr } from '../../../domain/cidr.ts';
import { action } from '../action.ts';
import { ConnectionReplies } from '../connection-reply.ts';
import { Ec2Error } from '../errors.ts';
import { inputs, outputs } from '../generated/model.ts';
import { checkEnum } from '../protocol/model-input-checks.ts';
import { invalidCombination, invalidValue } from '../protocol/query-errors.ts';

const ANY = '0.0.0.0/0';

export default action({
  name: 'ModifyVpnConnectionOptions',
  access: 'write',
  input: inputs.ModifyVpnConnectionOptions,
  validate(input) {
    checkEnum('TunnelBandwidth', input.TunnelBandwidth, ['standard', 'large'] as const);
  },
  output: outputs.ModifyVpnConnectionOptions,
  async handle(ctx, input, services, caches) {
    if (input.LocalIpv6NetworkCidr !== undefined || input.RemoteIpv6NetworkCidr !== undefined) {
      throw invalidCombination('An ipv6 network cidr is not allowed for VPNs using an ipv4 inside ip version');
    }
    if (input.TunnelBandwidth === 'large')
      throw new Ec2Error('UnsupportedOperation', 'Large bandwidth tunnels are not supported by sitevpn.');
    for (const f of ['LocalIpv4NetworkCidr', 'RemoteIpv4NetworkCidr'] as const) {
      const v = input[f];
      if (v !== undefined && !isCidr(v)) throw invalidValue(f, v, 'Expecting an IPv4 CIDR block.');
    }
    const connection = await services.connections.get(ctx, input.VpnConnectionId);
    // Only a value that differs from what the tunnels use now renegotiates them (absent = 0.0.0.0/0).
    const changed = (given: string | undefined, current: string | undefined) =>
      given !== undefined && given !== (current ?? ANY) ? given : undefined;
    const updated = await services.connections.update(ctx, connection.id, {
      localNetworkCidr: changed(input.LocalIpv4NetworkCidr, connection.localNetworkCidr),
      remoteNetworkCidr: changed(input.RemoteIpv4NetworkCidr, connection.remoteNetworkCidr),
    });
    return { VpnConnection: await new ConnectionReplies(ctx, services, caches).render(updated) };
  },
});
