// `sitevpn customer-gateways list|show|create|delete`: customer gateways through the Huawei v5 API
// (ListCgws, ShowCgw, CreateCgw, DeleteCgw).
import { Command } from 'commander';
import { integer } from './args.ts';
import { ApiClient, remote, seg } from './client.ts';
import { usageError } from './exit.ts';
import { cell, colourEnabled, details, printJson, table } from './output.ts';

export function customerGatewaysCommand(): Command {
  const cmd = new Command('customer-gateways').description(
    'customer gateways: the devices on the customer side (Huawei v5 customer-gateways)',
  );

  remote(cmd.command('list').description('list the customer gateways of the project')).action(async (opts) => {
    const cgws = await ApiClient.from(opts).huaweiList('/customer-gateways', 'customer_gateways');
    if (opts.json) return printJson(cgws);
    const rows = cgws.map((c) => [c.id, c.name, c.id_type, c.id_value, cell(c.bgp_asn), c.created_at]);
    process.stdout.write(table(['ID', 'NAME', 'ID TYPE', 'IDENTITY', 'BGP ASN', 'CREATED'], rows, colourEnabled()));
  });

  remote(cmd.command('show <cgw-id>').description('show one customer gateway')).action(async (id: string, opts) => {
    const { customer_gateway } = await ApiClient.from(opts).huawei('GET', `/customer-gateways/${seg(id)}`);
    if (opts.json) return printJson(customer_gateway);
    process.stdout.write(details(customer_gateway, colourEnabled()));
  });

  remote(cmd.command('create').description('create a customer gateway'))
    .requiredOption('--name <name>', 'customer gateway name')
    .option('--ip <address>', "the device's public IPv4 address")
    .option('--fqdn <name>', "the device's FQDN identity (instead of --ip)")
    .option('--bgp-asn <asn>', 'BGP ASN of the device (with --ip)', integer(1, 4294967295))
    .action(async (opts) => {
      if ((opts.ip === undefined) === (opts.fqdn === undefined)) throw usageError('give exactly one of --ip and --fqdn');
      const body = {
        name: opts.name,
        id_type: opts.ip !== undefined ? 'ip' : 'fqdn',
        id_value: opts.ip ?? opts.fqdn,
        bgp_asn: opts.bgpAsn,
      };
      const { customer_gateway } = await ApiClient.from(opts).huawei('POST', '/customer-gateways', { customer_gateway: body });
      if (opts.json) return printJson(customer_gateway);
      process.stdout.write(details(customer_gateway, colourEnabled()));
    });

  remote(cmd.command('delete <cgw-id>').description('delete a customer gateway')).action(async (id: string, opts) => {
    await ApiClient.from(opts).huawei('DELETE', `/customer-gateways/${seg(id)}`);
    if (opts.json) return printJson({ id, deleted: true });
    process.stdout.write(`${id}: deleted\n`);
  });
  return cmd;
}
