// The seed document 000_dda74dacd3d907c6:
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetActiveVpnTunnelStatus.html
import type { Tunnel } from '../../../domain/entities.ts';
import { action } from '../action.ts';
import { inputs, outputs } from '../generated/model.ts';
import { awsEncryption, awsIkeVersion, awsIntegrity } from '../names.ts';
import { tunnelOf } from './tunnel-of.ts';

export default action({
  name: 'GetActiveVpnTunnelStatus',
  access: 'read',
  input: inputs.GetActiveVpnTunnelStatus,
  output: outputs.GetActiveVpnTunnelStatus,
  async handle(ctx, input, services) {
    const connection = await services.connections.get(ctx, input.VpnConnectionId);
    const tunnel = tunnelOf(connection, input.VpnTunnelOutsideIpAddress);
    return { ActiveVpnTunnelStatus: activeStatus(tunnel, connection.pendingOperation) };
  },
});

/** Negotiated values exist only while the tunnel is up; the status says why they may be absent. */
export function activeStatus(t: Tunnel, pending: string | null) {
  const o = t.observed;
  if (o.provisioning === 'pending') {
    return {
      ProvisioningStatus: 'pending',
      ProvisioningStatusReason: pending === 'create' ? 'The tunnel is being provisioned' : 'The tunnel is being modified',
    };
  }
  if (o.provisioning === 'failed')
    return { ProvisioningStatus: 'failed', ProvisioningStatusReason: o.provisioningReason ?? o.statusMessage };
  const n = o.ikeStatus === 'UP' ? o.negotiated : undefined;
  if (!n) return { ProvisioningStatus: 'available', ProvisioningStatusReason: o.statusMessage || undefined };
  return {
    Phase1EncryptionAlgorithm: awsEncryption(n.phase1.encryption),
    Phase2EncryptionAlgorithm: awsEncryption(n.phase2.encryption),
    Phase1IntegrityAlgorithm: awsIntegrity(n.phase1.integrity),
    Phase2IntegrityAlgorithm: n.phase2.integrity ? awsIntegrity(n.phase2.integrity) : undefined,
    Phase1DHGroup: n.phase1.dhGroup,
    Phase2DHGroup: n.phase2.dhGroup,
    IkeVersion: awsIkeVersion(n.ikeVersion),
    ProvisioningStatus: 'available',
  };
}
