// `sitevpn connections list|show|create|delete`: VPN connections through the Huawei v5 API
// (ListVpnConnections, ShowVpnConnection, CreateVpnConnection, DeleteVpnConnection).
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { collect, integer } from './args.ts';
import { ApiClient, type Json, remote, seg } from './client.ts';
import { usageError } from './exit.ts';
import { cell, colourEnabled, details, paintStatus, printJson, table } from './output.ts';
import { waitForActive } from './wait.ts';

/** The gateway's first outside IP, as CreateVpnConnection's vgw_ip names it. */
async function firstOutsideIp(client: ApiClient, vgwId: string): Promise<string> {
  const { vpn_gateway: g } = await client.huawei('GET', `/vpn-gateways/${seg(vgwId)}`);
  const ip = g.eip1?.id ?? g.access_private_ip_1;
  if (!ip) throw usageError(`gateway ${vgwId} has no outside IP yet; give --gateway-ip`);
  return ip;
}

function pskOf(opts: { psk?: string; pskFile?: string }): string | undefined {
  if (opts.psk !== undefined && opts.pskFile !== undefined) throw usageError('give at most one of --psk and --psk-file');
  if (opts.pskFile === undefined) return opts.psk;
  try {
    return readFileSync(opts.pskFile, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw usageError(`cannot read --psk-file: ${(err as Error).message}`);
  }
}

function show(connection: Json, json: boolean): void {
  if (json) printJson(connection);
  else process.stdout.write(details(connection, colourEnabled()));
}

export function connectionsCommand(): Command {
  const cmd = new Command('connections').description('VPN connections between a gateway and a customer gateway (Huawei v5 vpn-connection)');

  remote(cmd.command('list').description('list the VPN connections of the project'))
    .option('--gateway <vgw-id>', 'only the connections of this gateway')
    .action(async (opts) => {
      const filter: Record<string, string> = opts.gateway ? { vgw_id: opts.gateway } : {};
      const connections = await ApiClient.from(opts).huaweiList('/vpn-connection', 'vpn_connections', filter);
      if (opts.json) return printJson(connections);
      const colour = colourEnabled();
      const rows = connections.map((c) => [c.id, c.name, paintStatus(c.status, colour), c.style, c.vgw_id, c.cgw_id, cell(c.peer_subnets)]);
      process.stdout.write(table(['ID', 'NAME', 'STATUS', 'STYLE', 'GATEWAY', 'CUSTOMER GATEWAY', 'PEER SUBNETS'], rows, colour));
    });

  remote(cmd.command('show <connection-id>').description('show one VPN connection')).action(async (id: string, opts) => {
    const { vpn_connection } = await ApiClient.from(opts).huawei('GET', `/vpn-connection/${seg(id)}`);
    show(vpn_connection, opts.json);
  });

  remote(cmd.command('create').description('create a VPN connection (one tunnel); --wait until it is ACTIVE'))
    .option('--name <name>', 'connection name')
    .requiredOption('--gateway <vgw-id>', 'the VPN gateway')
    .option('--gateway-ip <id>', "the gateway's outside IP (EIP id); default its first")
    .requiredOption('--customer-gateway <cgw-id>', 'the customer gateway')
    .addOption(new Option('--style <style>', 'routing style').choices(['policy', 'static', 'bgp']).default('policy'))
    .option('--peer-subnet <cidr>', 'a subnet behind the customer gateway (repeatable, or comma-separated)', collect)
    .addOption(
      new Option('--psk <key>', 'pre-shared key (other local users see it in the process list: prefer SITEVPN_PSK or --psk-file)').env(
        'SITEVPN_PSK',
      ),
    )
    .addOption(new Option('--psk-file <path>', 'read the pre-shared key from a file').env('SITEVPN_PSK_FILE'))
    .addOption(new Option('--ike-version <version>', 'IKE version').choices(['v1', 'v2']))
    .option('--wait', 'wait until the connection is ACTIVE (exit code 4 if it goes DOWN or ERROR, or on timeout)')
    .option('--timeout <seconds>', 'with --wait: how long to wait', integer(0, 86400), 120)
    .addOption(new Option('--poll-interval <ms>', 'with --wait: how often to look').argParser(integer(50, 60000)).default(500).hideHelp())
    .action(async (opts) => {
      const client = ApiClient.from(opts);
      const psk = pskOf(opts);
      const body: Record<string, unknown> = {
        name: opts.name,
        vgw_id: opts.gateway,
        vgw_ip: opts.gatewayIp ?? (await firstOutsideIp(client, opts.gateway)),
        cgw_id: opts.customerGateway,
        style: opts.style.toUpperCase(),
        peer_subnets: opts.peerSubnet,
        psk,
      };
      if (opts.ikeVersion) body.ikepolicy = { ike_version: opts.ikeVersion };
      const { vpn_connection } = await client.huawei('POST', '/vpn-connection', { vpn_connection: body });
      if (!opts.wait) return show(vpn_connection, opts.json);
      show(await waitForActive(client, vpn_connection.id, { timeoutSeconds: opts.timeout, intervalMs: opts.pollInterval }), opts.json);
    });

  remote(cmd.command('delete <connection-id>').description('delete a VPN connection')).action(async (id: string, opts) => {
    await ApiClient.from(opts).huawei('DELETE', `/vpn-connection/${seg(id)}`);
    if (opts.json) return printJson({ id, deleted: true });
    process.stdout.write(`${id}: deleted\n`);
  });
  return cmd;
}
