// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpnTunnelOptions.html
import type { VpnConnection } from '../../../domain/entities.ts';
import type { RequestContext } from '../../../service/context.ts';
import type { Services } from '../../../service/services.ts';
import { insideCidrOf } from '../../../service/tunnel-defaults.ts';
import { action } from '../action.ts';
import { ConnectionReplies } from '../connection-reply.ts';
import { Ec2Error } from '../errors.ts';
import { inputs, outputs } from '../generated/model.ts';
import { checkEnum } from '../protocol/model-input-checks.ts';
import { applyTunnelOptions, checkTunnelOptions, refuseUnsupportedTunnelOptions } from '../tunnel-options.ts';
import { tunnelOf } from './tunnel-of.ts';

/** Another tunnel of the same VPN gateway already uses this inside CIDR (EC2: InvalidCidr.InUse). */
async function refuseCidrInUse(ctx: RequestContext, services: Services, connection: VpnConnection, tunnelId: string, cidr: string) {
  const sameGateway = await services.connections.list(ctx, { vgwId: connection.vgwId });
  const clash = sameGateway.items
    .flatMap((c) => c.tunnels)
    .find((t) => t.id !== tunnelId && t.tunnelLocalAddress && insideCidrOf(t.tunnelLocalAddress) === cidr);
  if (clash) {
    throw new Ec2Error(
      'InvalidCidr.InUse',
      `The specified inside tunnel CIDR ${cidr} is already in use by another VPN tunnel for the virtual private gateway.`,
    );
  }
}

export default action({
  name: 'ModifyVpnTunnelOptions',
  access: 'write',
  input: inputs.ModifyVpnTunnelOptions,
  validate(input) {
    checkTunnelOptions(input.TunnelOptions, 'TunnelOptions.');
    checkEnum('PreSharedKeyStorage', input.PreSharedKeyStorage, ['Standard', 'SecretsManager'] as const);
  },
  output: outputs.ModifyVpnTunnelOptions,
  async handle(ctx, input, services, caches) {
    const options = input.TunnelOptions;
    refuseUnsupportedTunnelOptions(options);
    if (input.PreSharedKeyStorage === 'SecretsManager') {
      throw new Ec2Error('UnsupportedOperation', 'Storing pre-shared keys in AWS Secrets Manager is not supported by sitevpn.');
    }
    // SkipTunnelReplacement only matters with tunnel lifecycle control, which sitevpn refuses
    // above: a changed tunnel is always renegotiated at once.
    const connection = await services.connections.get(ctx, input.VpnConnectionId);
    const tunnel = tunnelOf(connection, input.VpnTunnelOutsideIpAddress);
    const changes = applyTunnelOptions(tunnel, options, 'TunnelOptions.');
    if (changes.tunnelLocalAddress && changes.tunnelLocalAddress !== tunnel.tunnelLocalAddress) {
      await refuseCidrInUse(ctx, services, connection, tunnel.id, insideCidrOf(changes.tunnelLocalAddress));
    }
    const updated = await services.connections.update(ctx, connection.id, { tunnels: [{ index: tunnel.index, changes }] });
    return { VpnConnection: await new ConnectionReplies(ctx, services, caches).render(updated) };
  },
});
