// Quick start, EC2 dialect: a VPN gateway, a customer gateway and a VPN connection created with
// the official AWS SDK for JavaScript v3, then each tunnel read with GetActiveVpnTunnelStatus.
//
//   SITEVPN_ACCESS_KEY_ID=... SITEVPN_SECRET_ACCESS_KEY=... node examples/quickstart-ec2.mjs
//
// SITEVPN_ENDPOINT defaults to http://127.0.0.1:8787; CUSTOMER_IP (default 198.51.100.7) is the
// customer device's public address. Exit code 0 once both tunnels are UP, 1 otherwise.
import {
  CreateCustomerGatewayCommand,
  CreateVpnConnectionCommand,
  CreateVpnGatewayCommand,
  DescribeVpnConnectionsCommand,
  EC2Client,
  GetActiveVpnTunnelStatusCommand,
} from '@aws-sdk/client-ec2';

const endpoint = process.env.SITEVPN_ENDPOINT ?? 'http://127.0.0.1:8787';
const accessKeyId = process.env.SITEVPN_ACCESS_KEY_ID;
const secretAccessKey = process.env.SITEVPN_SECRET_ACCESS_KEY;
if (!accessKeyId || !secretAccessKey) {
  console.error('set SITEVPN_ACCESS_KEY_ID and SITEVPN_SECRET_ACCESS_KEY (printed by the first `npm start`)');
  process.exit(2);
}
const customerIp = process.env.CUSTOMER_IP ?? '198.51.100.7';
const ec2 = new EC2Client({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } });

const { VpnGateway: vgw } = await ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }));
console.log(`VPN gateway       ${vgw.VpnGatewayId}`);
const { CustomerGateway: cgw } = await ec2.send(
  new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: customerIp, BgpAsn: 65010 }),
);
console.log(`customer gateway  ${cgw.CustomerGatewayId} (${customerIp})`);
const { VpnConnection: created } = await ec2.send(
  new CreateVpnConnectionCommand({
    Type: 'ipsec.1',
    CustomerGatewayId: cgw.CustomerGatewayId,
    VpnGatewayId: vgw.VpnGatewayId,
    Options: { StaticRoutesOnly: true, LocalIpv4NetworkCidr: '192.168.0.0/24', RemoteIpv4NetworkCidr: '10.0.0.0/16' },
  }),
);
const id = created.VpnConnectionId;
console.log(`VPN connection    ${id} (${created.State})`);

// The data plane negotiates each tunnel and reports what it negotiated; poll until both are UP (30 s at most).
let vpn = created;
for (let i = 0; i < 300 && !allUp(vpn); i++) {
  await new Promise((r) => setTimeout(r, 100));
  vpn = (await ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [id] }))).VpnConnections[0];
}
console.log(`state             ${vpn.State}`);
for (const t of vpn.VgwTelemetry ?? []) {
  console.log(`tunnel ${t.OutsideIpAddress.padEnd(11)} ${t.Status}${t.StatusMessage ? ` ${t.StatusMessage}` : ''}`);
  const { ActiveVpnTunnelStatus: s } = await ec2.send(
    new GetActiveVpnTunnelStatusCommand({ VpnConnectionId: id, VpnTunnelOutsideIpAddress: t.OutsideIpAddress }),
  );
  console.log(`  GetActiveVpnTunnelStatus: ${JSON.stringify(s)}`);
}
process.exit(allUp(vpn) ? 0 : 1);

function allUp(c) {
  return c.State === 'available' && c.VgwTelemetry?.length > 0 && c.VgwTelemetry.every((t) => t.Status === 'UP');
}
