// Tunnel and connection modification, static routes and tunnel replacement through the official
// @aws-sdk/client-ec2 against a real sitevpn (simulated data plane held on a manual clock, so that
// the pending phase of a renegotiation lasts until settled() moves time on).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateVpnConnectionCommand,
  CreateVpnConnectionRouteCommand,
  DeleteVpnConnectionRouteCommand,
  DescribeVpnConnectionsCommand,
  type EC2Client,
  GetActiveVpnTunnelStatusCommand,
  GetVpnTunnelReplacementStatusCommand,
  ModifyVpnConnectionOptionsCommand,
  ModifyVpnTunnelOptionsCommand,
  type ModifyVpnTunnelOptionsSpecification,
  ReplaceVpnTunnelCommand,
  type VpnTunnelOptionsSpecification,
} from '@aws-sdk/client-ec2';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { gatewayPair, testContext } from './support/fixtures.ts';
import { type HeldServer, startHeldServer } from './support/held.ts';
import { eventually } from './support/server.ts';

let server: HeldServer;
let ec2: EC2Client;
let readOnly: EC2Client;
const GONE = 'vpn-0123456789abcdef0';
const NOT_FOUND = { name: 'InvalidVpnConnectionID.NotFound', message: `The vpnConnection ID '${GONE}' does not exist`, status: 400 };

before(async () => {
  server = await startHeldServer();
  ec2 = ec2Client(server.endpoint);
  const key = await server.app.services.tenants.createKey((await testContext(server)).tenantId, 'read-only', 'aws-tunnels');
  readOnly = ec2Client(server.endpoint, { accessKeyId: key.accessKeyId, secretAccessKey: key.secret });
});
after(() => server.close());

async function connection(opts: { static?: boolean; tunnels?: VpnTunnelOptionsSpecification[]; settle?: boolean } = {}) {
  const { gateway, cgw } = await gatewayPair(server);
  const created = await ec2.send(
    new CreateVpnConnectionCommand({
      Type: 'ipsec.1',
      CustomerGatewayId: cgw.id,
      VpnGatewayId: gateway.id,
      Options: { StaticRoutesOnly: opts.static ?? true, TunnelOptions: opts.tunnels },
    }),
  );
  const id = created.VpnConnection!.VpnConnectionId!;
  const ips = created.VpnConnection!.Options!.TunnelOptions!.map((t) => t.OutsideIpAddress!);
  if (opts.settle !== false) await settled(id, ips);
  return { id, ips };
}

const status = async (id: string, ip: string) =>
  (await ec2.send(new GetActiveVpnTunnelStatusCommand({ VpnConnectionId: id, VpnTunnelOutsideIpAddress: ip }))).ActiveVpnTunnelStatus!;

/** Polls until every tunnel is provisioned again; returns their statuses. */
const settled = async (id: string, ips: string[]) => {
  server.clock.advance(1000);
  await server.app.reconciler.idle();
  return eventually(async () => {
    const all = await Promise.all(ips.map((ip) => status(id, ip)));
    return all.every((s) => s.ProvisioningStatus === 'available') && all;
  });
};

const describeOne = async (id: string) =>
  (await ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [id] }))).VpnConnections![0];

const modify = (id: string, ip: string, TunnelOptions: ModifyVpnTunnelOptionsSpecification, extra: object = {}) =>
  ec2.send(new ModifyVpnTunnelOptionsCommand({ VpnConnectionId: id, VpnTunnelOutsideIpAddress: ip, TunnelOptions, ...extra }));

describe('ModifyVpnTunnelOptions', () => {
  it('changes only the named tunnel, renegotiates it and reports the newly negotiated values', async () => {
    const { id, ips } = await connection();
    const before = (await describeOne(id)).Options!.TunnelOptions!;
    const response = await modify(id, ips[1], {
      Phase1EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }],
      Phase1DHGroupNumbers: [{ Value: 20 }],
      Phase2EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }],
      Phase2DHGroupNumbers: [{ Value: 20 }],
    });
    const [first, second] = response.VpnConnection!.Options!.TunnelOptions!;
    assert.deepEqual(first, before[0]);
    assert.deepEqual(second.Phase1EncryptionAlgorithms, [{ Value: 'AES256-GCM-16' }]);
    assert.deepEqual(second.Phase1DHGroupNumbers, [{ Value: 20 }]);
    assert.deepEqual(second.Phase1IntegrityAlgorithms, before[1].Phase1IntegrityAlgorithms);
    assert.equal((await status(id, ips[1])).ProvisioningStatus, 'pending');
    assert.equal((await status(id, ips[0])).ProvisioningStatus, 'available');
    const [, renegotiated] = await settled(id, ips);
    assert.equal(renegotiated.Phase1EncryptionAlgorithm, 'AES256-GCM-16');
    assert.equal(renegotiated.Phase1DHGroup, 20);
    assert.equal(renegotiated.Phase2EncryptionAlgorithm, 'AES256-GCM-16');
    // The device initiates (startup action add): its CHILD_SA rides in IKE_AUTH, no PFS group until its rekey.
    assert.equal(renegotiated.Phase2DHGroup, undefined);
    assert.equal((await describeOne(id)).State, 'available');
  });

  it('keeps every option it is not given and returns the new pre-shared key to a full key, as EC2 does', async () => {
    const { id, ips } = await connection({ tunnels: [{ Phase1LifetimeSeconds: 14400 }, {}] });
    const response = await modify(id, ips[0], { DPDTimeoutSeconds: 60, DPDTimeoutAction: 'restart', PreSharedKey: 'New.key_4242' });
    const tunnel = response.VpnConnection!.Options!.TunnelOptions![0];
    assert.equal(tunnel.Phase1LifetimeSeconds, 14400);
    assert.equal(tunnel.DpdTimeoutSeconds, 60);
    assert.equal(tunnel.DpdTimeoutAction, 'restart');
    assert.equal(tunnel.PreSharedKey, 'New.key_4242');
    await settled(id, ips);
  });

  it('refuses a modification while the connection is still pending', async () => {
    const { id, ips } = await connection({ settle: false });
    const e = await ec2Failure(modify(id, ips[0], { DPDTimeoutSeconds: 60 }));
    assert.deepEqual([e.name, e.message], ['IncorrectState', `The vpnConnection '${id}' is in an incorrect state for this operation.`]);
    await settled(id, ips);
  });

  it('returns InvalidVpnConnectionID.NotFound for an unknown id', async () => {
    const e = await ec2Failure(modify(GONE, '203.0.113.1', { DPDTimeoutSeconds: 60 }));
    assert.deepEqual({ name: e.name, message: e.message, status: e.status }, NOT_FOUND);
  });

  describe('validation', () => {
    let id: string;
    let ips: string[];
    before(
      async () =>
        ({ id, ips } = await connection({ tunnels: [{ TunnelInsideCidr: '169.254.10.0/30' }, { TunnelInsideCidr: '169.254.11.0/30' }] })),
    );
    const bad = (field: string, value: string, reason: string) =>
      `Value ( ${value} ) for parameter TunnelOptions.${field} is invalid. ${reason}`;
    const CASES: Array<[string, ModifyVpnTunnelOptionsSpecification, string, string]> = [
      [
        'an encryption algorithm AWS does not offer',
        { Phase1EncryptionAlgorithms: [{ Value: 'DES' }] },
        'InvalidParameterValue',
        bad('Phase1EncryptionAlgorithm.1.Value', 'DES', 'Valid values: AES128, AES256, AES128-GCM-16, AES256-GCM-16.'),
      ],
      [
        'an integrity algorithm AWS does not offer',
        { Phase2IntegrityAlgorithms: [{ Value: 'SHA2-256' }, { Value: 'MD5' }] },
        'InvalidParameterValue',
        bad('Phase2IntegrityAlgorithm.2.Value', 'MD5', 'Valid values: SHA1, SHA2-256, SHA2-384, SHA2-512.'),
      ],
      [
        'DH group 5 in phase 1',
        { Phase1DHGroupNumbers: [{ Value: 5 }] },
        'InvalidParameterValue',
        bad('Phase1DHGroupNumber.1.Value', '5', 'Valid values: 2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24.'),
      ],
      [
        'an IKE version other than ikev1 and ikev2',
        { IKEVersions: [{ Value: 'ikev3' }] },
        'InvalidParameterValue',
        bad('IKEVersion.1.Value', 'ikev3', 'Valid values: ikev1, ikev2.'),
      ],
      [
        'a phase 1 lifetime under 900 seconds',
        { Phase1LifetimeSeconds: 899 },
        'InvalidParameterValue',
        bad('Phase1LifetimeSeconds', '899', 'Expecting a value greater than or equal to 900.'),
      ],
      [
        'a phase 2 lifetime over 3600 seconds',
        { Phase2LifetimeSeconds: 3601 },
        'InvalidParameterValue',
        bad('Phase2LifetimeSeconds', '3601', 'Expecting a value less than or equal to 3600.'),
      ],
      [
        'a phase 2 lifetime that is not shorter than phase 1',
        { Phase1LifetimeSeconds: 900, Phase2LifetimeSeconds: 900 },
        'InvalidParameterValue',
        bad('Phase2LifetimeSeconds', '900', 'Phase2LifetimeSeconds must be less than Phase1LifetimeSeconds.'),
      ],
      [
        'a rekey margin over half the phase 2 lifetime',
        { Phase2LifetimeSeconds: 1000, RekeyMarginTimeSeconds: 501 },
        'InvalidParameterValue',
        bad('RekeyMarginTimeSeconds', '501', 'The rekey margin must be between 60 and half of Phase2LifetimeSeconds (1000).'),
      ],
      [
        'a rekey fuzz over 100 percent',
        { RekeyFuzzPercentage: 101 },
        'InvalidParameterValue',
        bad('RekeyFuzzPercentage', '101', 'Expecting a value less than or equal to 100.'),
      ],
      [
        'a replay window under 64 packets',
        { ReplayWindowSize: 32 },
        'InvalidParameterValue',
        bad('ReplayWindowSize', '32', 'Expecting a value greater than or equal to 64.'),
      ],
      [
        'a DPD timeout under 30 seconds',
        { DPDTimeoutSeconds: 29 },
        'InvalidParameterValue',
        bad('DPDTimeoutSeconds', '29', 'Expecting a value greater than or equal to 30.'),
      ],
      [
        'an unknown DPD timeout action',
        { DPDTimeoutAction: 'hold' },
        'InvalidParameterValue',
        bad('DPDTimeoutAction', 'hold', 'Valid values: clear, none, restart.'),
      ],
      [
        'an unknown startup action',
        { StartupAction: 'wait' },
        'InvalidParameterValue',
        bad('StartupAction', 'wait', 'Valid values: add, start.'),
      ],
      [
        'a pre-shared key that starts with zero, without echoing it',
        { PreSharedKey: '0secret_key' },
        'InvalidParameterValue',
        'Value for parameter PreSharedKey is invalid.',
      ],
      [
        'a tunnel inside CIDR outside 169.254.0.0/16',
        { TunnelInsideCidr: '10.0.0.0/30' },
        'InvalidParameterValue',
        bad(
          'TunnelInsideCidr',
          '10.0.0.0/30',
          'The tunnel inside CIDR must be a /30 in 169.254.0.0/16, other than 169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30.',
        ),
      ],
      [
        'a reserved tunnel inside CIDR',
        { TunnelInsideCidr: '169.254.169.252/30' },
        'InvalidParameterValue',
        bad(
          'TunnelInsideCidr',
          '169.254.169.252/30',
          'The tunnel inside CIDR must be a /30 in 169.254.0.0/16, other than 169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30.',
        ),
      ],
      [
        'the inside CIDR of another tunnel of the gateway',
        { TunnelInsideCidr: '169.254.11.0/30' },
        'InvalidCidr.InUse',
        'The specified inside tunnel CIDR 169.254.11.0/30 is already in use by another VPN tunnel for the virtual private gateway.',
      ],
      [
        'an IPv6 inside CIDR',
        { TunnelInsideIpv6Cidr: 'fd00::/126' },
        'InvalidParameterCombination',
        'An ipv6 inside cidr is not allowed for VPNs using an ipv4 inside ip version',
      ],
      [
        'tunnel endpoint lifecycle control',
        { EnableTunnelLifecycleControl: true },
        'UnsupportedOperation',
        'Tunnel endpoint lifecycle control is not supported by sitevpn.',
      ],
      ['a request without tunnel options', {}, 'MissingParameter', 'The request must contain the parameter TunnelOptions'],
    ];
    for (const [what, options, code, message] of CASES) {
      it(`refuses ${what}`, async () => {
        const e = await ec2Failure(modify(id, ips[0], options));
        assert.deepEqual([e.name, e.message, e.status], [code, message, 400]);
      });
    }

    it('refuses an outside IP address that is not one of the tunnels', async () => {
      const e = await ec2Failure(modify(id, '192.0.2.99', { DPDTimeoutSeconds: 60 }));
      assert.deepEqual(
        [e.name, e.message],
        ['InvalidParameterValue', `The VPN tunnel outside IP address '192.0.2.99' does not belong to VPN connection '${id}'`],
      );
    });

    it('changes nothing when it refuses', async () => {
      const tunnels = (await describeOne(id)).Options!.TunnelOptions!;
      assert.deepEqual(
        tunnels.map((t) => t.TunnelInsideCidr),
        ['169.254.10.0/30', '169.254.11.0/30'],
      );
      assert.equal((await status(id, ips[0])).ProvisioningStatus, 'available');
    });
  });
});

describe('ModifyVpnConnectionOptions', () => {
  it('narrows the network CIDRs and renegotiates both tunnels', async () => {
    const { id, ips } = await connection();
    const response = await ec2.send(
      new ModifyVpnConnectionOptionsCommand({
        VpnConnectionId: id,
        LocalIpv4NetworkCidr: '10.1.0.0/16',
        RemoteIpv4NetworkCidr: '10.2.0.0/16',
      }),
    );
    assert.equal(response.VpnConnection!.Options!.LocalIpv4NetworkCidr, '10.1.0.0/16');
    assert.equal(response.VpnConnection!.Options!.RemoteIpv4NetworkCidr, '10.2.0.0/16');
    assert.deepEqual(await Promise.all(ips.map(async (ip) => (await status(id, ip)).ProvisioningStatus)), ['pending', 'pending']);
    await settled(id, ips);
    assert.equal((await describeOne(id)).Options!.RemoteIpv4NetworkCidr, '10.2.0.0/16');
  });

  it('leaves the tunnels alone when the CIDRs stay what they are', async () => {
    const { id, ips } = await connection();
    await ec2.send(new ModifyVpnConnectionOptionsCommand({ VpnConnectionId: id, LocalIpv4NetworkCidr: '0.0.0.0/0' }));
    assert.equal((await status(id, ips[0])).ProvisioningStatus, 'available');
  });

  it('refuses IPv6 network CIDRs', async () => {
    const { id } = await connection({ settle: false });
    for (const field of ['LocalIpv6NetworkCidr', 'RemoteIpv6NetworkCidr']) {
      const e = await ec2Failure(ec2.send(new ModifyVpnConnectionOptionsCommand({ VpnConnectionId: id, [field]: '::/0' })));
      assert.deepEqual(
        [e.name, e.message],
        ['InvalidParameterCombination', 'An ipv6 network cidr is not allowed for VPNs using an ipv4 inside ip version'],
      );
    }
  });

  it('refuses a value that is not an IPv4 CIDR block', async () => {
    const e = await ec2Failure(
      ec2.send(new ModifyVpnConnectionOptionsCommand({ VpnConnectionId: GONE, LocalIpv4NetworkCidr: '10.1.0.0/33' })),
    );
    assert.deepEqual(
      [e.name, e.message],
      ['InvalidParameterValue', 'Value ( 10.1.0.0/33 ) for parameter LocalIpv4NetworkCidr is invalid. Expecting an IPv4 CIDR block.'],
    );
  });

  it('returns InvalidVpnConnectionID.NotFound for an unknown id', async () => {
    const e = await ec2Failure(
      ec2.send(new ModifyVpnConnectionOptionsCommand({ VpnConnectionId: GONE, LocalIpv4NetworkCidr: '10.1.0.0/16' })),
    );
    assert.deepEqual({ name: e.name, message: e.message, status: e.status }, NOT_FOUND);
  });
});

describe('static routes', () => {
  const route = (Cmd: typeof CreateVpnConnectionRouteCommand | typeof DeleteVpnConnectionRouteCommand, id: string, cidr: string) =>
    ec2.send(new Cmd({ VpnConnectionId: id, DestinationCidrBlock: cidr }));

  it('adds and deletes routes that DescribeVpnConnections lists as available, without renegotiating', async () => {
    const { id, ips } = await connection();
    await route(CreateVpnConnectionRouteCommand, id, '10.20.0.0/16');
    await route(CreateVpnConnectionRouteCommand, id, '10.30.0.0/16');
    assert.deepEqual((await describeOne(id)).Routes, [
      { DestinationCidrBlock: '10.20.0.0/16', Source: 'Static', State: 'available' },
      { DestinationCidrBlock: '10.30.0.0/16', Source: 'Static', State: 'available' },
    ]);
    assert.equal((await status(id, ips[0])).ProvisioningStatus, 'available');
    const filtered = await ec2.send(
      new DescribeVpnConnectionsCommand({ Filters: [{ Name: 'route.destination-cidr-block', Values: ['10.30.0.0/16'] }] }),
    );
    assert.deepEqual(
      filtered.VpnConnections!.map((c) => c.VpnConnectionId),
      [id],
    );
    await route(DeleteVpnConnectionRouteCommand, id, '10.20.0.0/16');
    assert.deepEqual(
      (await describeOne(id)).Routes!.map((r) => r.DestinationCidrBlock),
      ['10.30.0.0/16'],
    );
  });

  it('refuses a route the connection already has and the deletion of one it does not have', async () => {
    const { id } = await connection();
    await route(CreateVpnConnectionRouteCommand, id, '10.40.0.0/16');
    const dup = await ec2Failure(route(CreateVpnConnectionRouteCommand, id, '10.40.0.0/16'));
    assert.deepEqual([dup.name, dup.message], ['RouteAlreadyExists', 'The route identified by 10.40.0.0/16 already exists.']);
    const missing = await ec2Failure(route(DeleteVpnConnectionRouteCommand, id, '10.41.0.0/16'));
    assert.deepEqual([missing.name, missing.message], ['InvalidRoute.NotFound', 'The route identified by 10.41.0.0/16 does not exist.']);
  });

  it('refuses static routes on a connection that uses BGP', async () => {
    const { id } = await connection({ static: false });
    for (const Cmd of [CreateVpnConnectionRouteCommand, DeleteVpnConnectionRouteCommand]) {
      const e = await ec2Failure(route(Cmd, id, '10.50.0.0/16'));
      assert.deepEqual(
        [e.name, e.message],
        ['InvalidVpnConnection.InvalidType', 'The specified VPN connection does not support static routes.'],
      );
    }
  });

  it('refuses a destination that is not a CIDR block and an unknown connection', async () => {
    const e = await ec2Failure(route(CreateVpnConnectionRouteCommand, GONE, '10.0.0.1/16'));
    assert.deepEqual(
      [e.name, e.message],
      ['InvalidRoute.Malformed', "The specified route is not valid: '10.0.0.1/16' is not an IPv4 CIDR block."],
    );
    for (const Cmd of [CreateVpnConnectionRouteCommand, DeleteVpnConnectionRouteCommand]) {
      const gone = await ec2Failure(route(Cmd, GONE, '10.0.0.0/16'));
      assert.deepEqual({ name: gone.name, message: gone.message, status: gone.status }, NOT_FOUND);
    }
  });
});

describe('ReplaceVpnTunnel and GetVpnTunnelReplacementStatus', () => {
  const replacement = async (id: string, ip: string) =>
    ec2.send(new GetVpnTunnelReplacementStatusCommand({ VpnConnectionId: id, VpnTunnelOutsideIpAddress: ip }));

  it('renegotiates only the named tunnel and records when it was replaced', async () => {
    const { id, ips } = await connection();
    const fresh = await replacement(id, ips[1]);
    assert.equal(fresh.VpnConnectionId, id);
    assert.equal(fresh.VpnTunnelOutsideIpAddress, ips[1]);
    assert.ok(fresh.CustomerGatewayId && fresh.VpnGatewayId && fresh.TransitGatewayId === undefined);
    assert.deepEqual(fresh.MaintenanceDetails, { PendingMaintenance: 'None' });
    const asked = server.clock.now();
    assert.equal((await ec2.send(new ReplaceVpnTunnelCommand({ VpnConnectionId: id, VpnTunnelOutsideIpAddress: ips[1] }))).Return, true);
    assert.deepEqual(
      [(await status(id, ips[0])).ProvisioningStatus, (await status(id, ips[1])).ProvisioningStatus],
      ['available', 'pending'],
    );
    await settled(id, ips);
    const replaced = (await replacement(id, ips[1])).MaintenanceDetails!.LastMaintenanceApplied!;
    assert.ok(replaced.getTime() >= asked && replaced.getTime() <= server.clock.now());
    assert.equal((await replacement(id, ips[0])).MaintenanceDetails!.LastMaintenanceApplied, undefined);
  });

  it('refuses to replace a tunnel while the connection is pending', async () => {
    const { id, ips } = await connection({ settle: false });
    const e = await ec2Failure(ec2.send(new ReplaceVpnTunnelCommand({ VpnConnectionId: id, VpnTunnelOutsideIpAddress: ips[0] })));
    assert.deepEqual([e.name, e.message], ['IncorrectState', `The vpnConnection '${id}' is in an incorrect state for this operation.`]);
  });

  it('answers an unknown outside IP and an unknown connection like GetActiveVpnTunnelStatus does', async () => {
    const { id } = await connection({ settle: false });
    const unknownIp = ['InvalidParameterValue', `The VPN tunnel outside IP address '192.0.2.99' does not belong to VPN connection '${id}'`];
    const replace = (vpn: string, ip: string) =>
      ec2.send(new ReplaceVpnTunnelCommand({ VpnConnectionId: vpn, VpnTunnelOutsideIpAddress: ip }));
    for (const call of [replace, replacement]) {
      const e = await ec2Failure(call(id, '192.0.2.99'));
      assert.deepEqual([e.name, e.message], unknownIp);
      const gone = await ec2Failure(call(GONE, '192.0.2.99'));
      assert.deepEqual({ name: gone.name, message: gone.message, status: gone.status }, NOT_FOUND);
    }
  });
});

describe('DryRun', () => {
  const DRY = { name: 'DryRunOperation', message: 'Request would have succeeded, but DryRun flag is set.', status: 412 };
  const DENIED = { name: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.', status: 403 };
  const outcome = async (p: Promise<unknown>) => {
    const e = await ec2Failure(p);
    return { name: e.name, message: e.message, status: e.status };
  };

  it('answers DryRunOperation for every action and changes nothing, and UnauthorizedOperation to a read-only key', async () => {
    const { id, ips } = await connection();
    const ip = ips[0];
    const writes = [
      new ModifyVpnTunnelOptionsCommand({
        VpnConnectionId: id,
        VpnTunnelOutsideIpAddress: ip,
        TunnelOptions: { DPDTimeoutSeconds: 90 },
        DryRun: true,
      }),
      new ModifyVpnConnectionOptionsCommand({ VpnConnectionId: id, LocalIpv4NetworkCidr: '10.9.0.0/16', DryRun: true }),
      new ReplaceVpnTunnelCommand({ VpnConnectionId: id, VpnTunnelOutsideIpAddress: ip, DryRun: true }),
    ];
    for (const command of writes) {
      assert.deepEqual(await outcome(ec2.send(command as never)), DRY);
      assert.deepEqual(await outcome(readOnly.send(command as never)), DENIED);
    }
    const read = new GetVpnTunnelReplacementStatusCommand({ VpnConnectionId: id, VpnTunnelOutsideIpAddress: ip, DryRun: true });
    assert.deepEqual(await outcome(readOnly.send(read)), DRY);
    const after = await describeOne(id);
    assert.equal(after.Options!.TunnelOptions![0].DpdTimeoutSeconds, 40);
    assert.equal(after.Options!.LocalIpv4NetworkCidr, '0.0.0.0/0');
    assert.equal((await status(id, ip)).ProvisioningStatus, 'available');
  });
});
