// `sitevpn device-config export <connection-id>`: the customer device's configuration, through
// Huawei's ExportPeerConfig (POST /v5/{project_id}/vpn-connection/{id}/peer-configuration/export).
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { ApiClient, remote, seg } from './client.ts';
import { printJson } from './output.ts';

export function deviceConfigCommand(): Command {
  const cmd = new Command('device-config').description('configuration for the customer device of a connection');
  remote(cmd.command('export <connection-id>').description('print (or --output) the peer device configuration'))
    .option('--vendor <vendor>', 'device vendor', 'strongswan')
    .option('--type <type>', 'device type', 'swanctl')
    .option('--model <model>', 'device model', 'strongSwan')
    .option('--device-version <version>', 'device software version', '5.9')
    .option('--output <file>', 'write the configuration to this file (mode 0600) instead of stdout')
    .action(async (id: string, opts) => {
      const body = { vendor: opts.vendor, type: opts.type, model: opts.model, version: opts.deviceVersion };
      const answer = await ApiClient.from(opts).huawei('POST', `/vpn-connection/${seg(id)}/peer-configuration/export`, body);
      const text = String(answer.peer_config);
      if (opts.output) {
        writeFileSync(opts.output, text, { mode: 0o600 });
        if (opts.json) printJson({ vpn_connection_id: id, output: opts.output, bytes: Buffer.byteLength(text) });
        else process.stdout.write(`${id}: device configuration written to ${opts.output}\n`);
        return;
      }
      if (opts.json) return printJson(answer);
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    });
  return cmd;
}
