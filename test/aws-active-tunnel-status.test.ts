// The seed document 000_dda74dacd3d907c6: GetActiveVpnTunnelStatus through the official
// @aws-sdk/client-ec2, for every provisioning status, and the raw XML it travels in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateVpnConnectionCommand, type EC2Client, GetActiveVpnTunnelStatusCommand } from '@aws-sdk/client-ec2';
import type { CustomerGateway, VpnGateway } from '../src/domain/entities.ts';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { sendEc2, signEc2 } from './support/aws-raw.ts';
import { gatewayPair, testContext } from './support/fixtures.ts';
import { type HeldServer, startHeldServer } from './support/held.ts';
import { eventually } from './support/server.ts';

// The data plane is held: a tunnel stays pending until settled() moves the clock on.
let server: HeldServer;
let ec2: EC2Client;
before(async () => {
  server = await startHeldServer();
  ec2 = ec2Client(server.endpoint);
});
after(() => server.close());

async function connection(pair: { gateway: VpnGateway; cgw: CustomerGateway }, tunnelOptions: object[] = []) {
  const r = await ec2.send(
    new CreateVpnConnectionCommand({
      CustomerGatewayId: pair.cgw.id,
      VpnGatewayId: pair.gateway.id,
      Type: 'ipsec.1',
      Options: { StaticRoutesOnly: true, TunnelOptions: tunnelOptions },
    }),
  );
  return r.VpnConnection!;
}

function status(id: string, ip: string) {
  return ec2.send(new GetActiveVpnTunnelStatusCommand({ VpnConnectionId: id, VpnTunnelOutsideIpAddress: ip }));
}

async function settled(id: string, ip: string) {
  server.clock.advance(1000);
  await server.app.reconciler.idle();
  return eventually(async () => {
    const s = (await status(id, ip)).ActiveVpnTunnelStatus!;
    return s.ProvisioningStatus !== 'pending' && s;
  });
}

describe('GetActiveVpnTunnelStatus', () => {
  it('is pending while the tunnel is provisioned, then reports exactly what was negotiated', async () => {
    const pair = await gatewayPair(server);
    const c = await connection(pair, [
      {
        Phase1EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }],
        Phase1IntegrityAlgorithms: [{ Value: 'SHA2-384' }],
        Phase1DHGroupNumbers: [{ Value: 20 }],
        Phase2EncryptionAlgorithms: [{ Value: 'AES128' }],
        Phase2IntegrityAlgorithms: [{ Value: 'SHA2-256' }],
        Phase2DHGroupNumbers: [{ Value: 14 }],
        IKEVersions: [{ Value: 'ikev2' }],
        // The gateway initiates (childless, as the strongSwan driver does with PFS), so the PFS
        // group is negotiated at once; a device-initiated CHILD_SA has none until its rekey.
        StartupAction: 'start',
      },
    ]);
    const ip = pair.gateway.outsideIps[0].ip;
    const pending = await status(c.VpnConnectionId!, ip);
    assert.deepEqual(pending.ActiveVpnTunnelStatus, {
      ProvisioningStatus: 'pending',
      ProvisioningStatusReason: 'The tunnel is being provisioned',
    });
    assert.deepEqual(await settled(c.VpnConnectionId!, ip), {
      Phase1EncryptionAlgorithm: 'AES256-GCM-16',
      Phase2EncryptionAlgorithm: 'AES128',
      Phase1IntegrityAlgorithm: 'SHA2-384',
      Phase2IntegrityAlgorithm: 'SHA2-256',
      Phase1DHGroup: 20,
      Phase2DHGroup: 14,
      IkeVersion: 'ikev2',
      ProvisioningStatus: 'available',
    });
  });

  it('leaves out phase-2 integrity when GCM is negotiated', async () => {
    const pair = await gatewayPair(server);
    const ctx = await testContext(server);
    await server.app.services.customerGateways.setDeviceProfile(ctx, pair.cgw.id, {
      ikeVersions: ['v1'],
      ikeProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha1'], dhGroups: [2] }],
      espProposals: [{ encryption: ['aes256-gcm16'], integrity: ['sha1'], pfsGroups: [2] }],
      initiates: true,
      reachable: true,
    });
    const c = await connection(pair);
    assert.deepEqual(await settled(c.VpnConnectionId!, pair.gateway.outsideIps[0].ip), {
      Phase1EncryptionAlgorithm: 'AES128',
      Phase2EncryptionAlgorithm: 'AES256-GCM-16',
      Phase1IntegrityAlgorithm: 'SHA1',
      Phase1DHGroup: 2,
      Phase2DHGroup: 2,
      IkeVersion: 'ikev1',
      ProvisioningStatus: 'available',
    });
  });

  it('fails phase 2 with NO_PROPOSAL_CHOSEN when the gateway initiates and the device offers no PFS, which an AWS tunnel requires', async () => {
    const pair = await gatewayPair(server);
    const ctx = await testContext(server);
    await server.app.services.customerGateways.setDeviceProfile(ctx, pair.cgw.id, {
      ikeVersions: ['v2'],
      ikeProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], dhGroups: [14] }],
      espProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], pfsGroups: [] }],
      initiates: true,
      reachable: true,
    });
    const c = await connection(pair, [{ StartupAction: 'start' }, { StartupAction: 'start' }]);
    const s = await settled(c.VpnConnectionId!, pair.gateway.outsideIps[0].ip);
    assert.equal(s.ProvisioningStatus, 'failed');
    assert.match(s.ProvisioningStatusReason!, /^phase 2 NO_PROPOSAL_CHOSEN/);
  });

  it('reports failed with the negotiation failure when the proposals are disjoint', async () => {
    const pair = await gatewayPair(server);
    const ctx = await testContext(server);
    await server.app.services.customerGateways.setDeviceProfile(ctx, pair.cgw.id, {
      ikeVersions: ['v2'],
      ikeProposals: [{ encryption: ['3des-cbc'], integrity: ['md5'], dhGroups: [1] }],
      espProposals: [{ encryption: ['3des-cbc'], integrity: ['md5'], pfsGroups: [] }],
      initiates: true,
      reachable: true,
    });
    const c = await connection(pair);
    const s = await settled(c.VpnConnectionId!, pair.gateway.outsideIps[1].ip);
    assert.equal(s.ProvisioningStatus, 'failed');
    assert.match(s.ProvisioningStatusReason!, /^phase 1 NO_PROPOSAL_CHOSEN: /);
    assert.equal(s.Phase1EncryptionAlgorithm, undefined);
  });

  it('reports available without algorithms while waiting for a device that does not initiate', async () => {
    const pair = await gatewayPair(server);
    const ctx = await testContext(server);
    await server.app.services.customerGateways.setDeviceProfile(ctx, pair.cgw.id, {
      ikeVersions: ['v2'],
      ikeProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], dhGroups: [14] }],
      espProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], pfsGroups: [14] }],
      initiates: false,
      reachable: true,
    });
    const c = await connection(pair);
    const s = await settled(c.VpnConnectionId!, pair.gateway.outsideIps[0].ip);
    assert.equal(s.ProvisioningStatus, 'available');
    assert.equal(s.Phase1EncryptionAlgorithm, undefined);
    assert.match(s.ProvisioningStatusReason!, /waiting for peer .* to initiate/);
  });

  it('answers InvalidVpnConnectionID.NotFound for an unknown connection', async () => {
    const e = await ec2Failure(status('vpn-0123456789abcdef0', '203.0.113.1'));
    assert.deepEqual(
      [e.name, e.message, e.status],
      ['InvalidVpnConnectionID.NotFound', "The vpnConnection ID 'vpn-0123456789abcdef0' does not exist", 400],
    );
  });

  it('answers InvalidParameterValue for an outside IP the connection does not have', async () => {
    const pair = await gatewayPair(server);
    const c = await connection(pair);
    const e = await ec2Failure(status(c.VpnConnectionId!, '192.0.2.10'));
    assert.deepEqual(
      [e.name, e.message],
      ['InvalidParameterValue', `The VPN tunnel outside IP address '192.0.2.10' does not belong to VPN connection '${c.VpnConnectionId}'`],
    );
  });

  it('answers MissingParameter for each missing parameter', async () => {
    const a = await ec2Failure(ec2.send(new GetActiveVpnTunnelStatusCommand({ VpnTunnelOutsideIpAddress: '203.0.113.1' } as never)));
    assert.deepEqual([a.name, a.message], ['MissingParameter', 'The request must contain the parameter VpnConnectionId']);
    const b = await ec2Failure(ec2.send(new GetActiveVpnTunnelStatusCommand({ VpnConnectionId: 'vpn-1' } as never)));
    assert.deepEqual([b.name, b.message], ['MissingParameter', 'The request must contain the parameter VpnTunnelOutsideIpAddress']);
  });

  it('answers DryRun with DryRunOperation for a read-only key', async () => {
    const key = await server.app.services.tenants.createKey(undefined, 'read-only', 'reader');
    const reader = ec2Client(server.endpoint, { accessKeyId: key.accessKeyId, secretAccessKey: key.secret });
    const e = await ec2Failure(
      reader.send(
        new GetActiveVpnTunnelStatusCommand({ VpnConnectionId: 'vpn-1', VpnTunnelOutsideIpAddress: '203.0.113.1', DryRun: true }),
      ),
    );
    assert.deepEqual([e.name, e.message, e.status], ['DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412]);
  });

  it('writes the EC2 namespace, lowerCamel elements and the request id in the raw XML', async () => {
    const pair = await gatewayPair(server);
    const c = await connection(pair);
    const ip = pair.gateway.outsideIps[0].ip;
    await settled(c.VpnConnectionId!, ip);
    const r = await sendEc2(
      await signEc2(server.endpoint, {
        Action: 'GetActiveVpnTunnelStatus',
        VpnConnectionId: c.VpnConnectionId!,
        VpnTunnelOutsideIpAddress: ip,
      }),
    );
    assert.equal(r.status, 200);
    const requestId = r.headers.get('x-amzn-requestid');
    assert.ok(
      r.text.startsWith(
        `<?xml version="1.0" encoding="UTF-8"?>\n<GetActiveVpnTunnelStatusResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId}</requestId><activeVpnTunnelStatus>`,
      ),
    );
    assert.match(r.text, /<phase1EncryptionAlgorithm>AES128<\/phase1EncryptionAlgorithm>/);
    assert.match(r.text, /<phase1DHGroup>14<\/phase1DHGroup>/);
    assert.match(
      r.text,
      /<ikeVersion>ikev2<\/ikeVersion><provisioningStatus>available<\/provisioningStatus><\/activeVpnTunnelStatus><\/GetActiveVpnTunnelStatusResponse>$/,
    );
    const missing = await sendEc2(
      await signEc2(server.endpoint, {
        Action: 'GetActiveVpnTunnelStatus',
        VpnConnectionId: 'vpn-0000000000000000a',
        VpnTunnelOutsideIpAddress: ip,
      }),
    );
    assert.equal(missing.status, 400);
    assert.match(
      missing.text,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>InvalidVpnConnectionID\.NotFound<\/Code><Message>The vpnConnection ID 'vpn-0000000000000000a' does not exist<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
    );
  });
});
