// `sitevpn gateways list|show|create|delete`: VPN gateways through the Huawei v5 API
// (ListVgws, ShowVgw, CreateVgw, DeleteVgw).
import { Command, Option } from 'commander';
import { collect, integer } from './args.ts';
import { ApiClient, type Json, remote, seg } from './client.ts';
import { cell, colourEnabled, details, paintStatus, printJson, table } from './output.ts';

export function outsideIps(g: Json): string {
  const ips = [g.eip1?.ip_address, g.eip2?.ip_address, g.access_private_ip_1, g.access_private_ip_2].filter(Boolean);
  return cell(ips);
}

export function gatewaysCommand(): Command {
  const cmd = new Command('gateways').description('VPN gateways (Huawei v5 vpn-gateways)');

  remote(cmd.command('list').description('list the VPN gateways of the project')).action(async (opts) => {
    const gateways = await ApiClient.from(opts).huaweiList('/vpn-gateways', 'vpn_gateways');
    if (opts.json) return printJson(gateways);
    const colour = colourEnabled();
    const rows = gateways.map((g) => [
      g.id,
      g.name,
      paintStatus(g.status, colour),
      g.flavor,
      g.attachment_type,
      outsideIps(g),
      `${g.used_connection_number}/${g.connection_number}`,
    ]);
    process.stdout.write(table(['ID', 'NAME', 'STATUS', 'FLAVOR', 'ATTACHMENT', 'OUTSIDE IPS', 'CONNECTIONS'], rows, colour));
  });

  remote(cmd.command('show <vgw-id>').description('show one VPN gateway')).action(async (id: string, opts) => {
    const { vpn_gateway } = await ApiClient.from(opts).huawei('GET', `/vpn-gateways/${seg(id)}`);
    if (opts.json) return printJson(vpn_gateway);
    process.stdout.write(details(vpn_gateway, colourEnabled()));
  });

  remote(cmd.command('create').description('create a VPN gateway'))
    .requiredOption('--name <name>', 'gateway name')
    .addOption(new Option('--attachment-type <type>', 'what the gateway attaches to').choices(['vpc', 'er']))
    .option('--vpc-id <id>', 'VPC id (attachment vpc)')
    .option('--local-subnet <cidr>', 'a local subnet (repeatable, or comma-separated)', collect)
    .option('--connect-subnet <id>', 'the subnet the gateway connects through (attachment vpc)')
    .option('--er-id <id>', 'enterprise router id (attachment er)')
    .addOption(new Option('--flavor <flavor>', 'gateway flavor').choices(['Basic', 'Professional1', 'Professional2', 'GM']))
    .addOption(new Option('--network-type <type>', 'public (EIPs) or private').choices(['public', 'private']))
    .addOption(new Option('--ha-mode <mode>', 'HA mode').choices(['active-active', 'active-standby']))
    .option('--bgp-asn <asn>', 'BGP ASN of the gateway', integer(1, 4294967295))
    .option('--availability-zone <id>', 'availability zone (repeatable)', collect)
    .action(async (opts) => {
      const body: Record<string, unknown> = {
        name: opts.name,
        attachment_type: opts.attachmentType,
        vpc_id: opts.vpcId,
        local_subnets: opts.localSubnet,
        connect_subnet: opts.connectSubnet,
        er_id: opts.erId,
        flavor: opts.flavor,
        network_type: opts.networkType,
        ha_mode: opts.haMode,
        bgp_asn: opts.bgpAsn,
        availability_zone_ids: opts.availabilityZone,
      };
      const { vpn_gateway } = await ApiClient.from(opts).huawei('POST', '/vpn-gateways', { vpn_gateway: body });
      if (opts.json) return printJson(vpn_gateway);
      process.stdout.write(details(vpn_gateway, colourEnabled()));
    });

  remote(cmd.command('delete <vgw-id>').description('delete a VPN gateway')).action(async (id: string, opts) => {
    await ApiClient.from(opts).huawei('DELETE', `/vpn-gateways/${seg(id)}`);
    if (opts.json) return printJson({ id, deleted: true });
    process.stdout.write(`${id}: deleted\n`);
  });
  return cmd;
}
