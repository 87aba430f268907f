// `sitevpn configure`: store the endpoint and the access key in the config file (mode 0600),
// keeping what is already there for what is not given. The secret key is never printed; it is
// taken from --secret-access-key, SITEVPN_SECRET_ACCESS_KEY or, with --secret-access-key-stdin,
// the first line of standard input (so that it stays out of the process list and shell history).
import { Command, Option } from 'commander';
import { DEFAULT_ENDPOINT } from './client.ts';
import { type CliSettings, configPath, readSettings, writeSettings } from './config-file.ts';
import { usageError } from './exit.ts';
import { printJson } from './output.ts';

async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0];
}

/** What is stored, the secret as whether it is set. */
function summary(path: string, s: CliSettings): Record<string, unknown> {
  return {
    path,
    endpoint: s.endpoint ?? DEFAULT_ENDPOINT,
    access_key_id: s.accessKeyId ?? null,
    secret_access_key: s.secretAccessKey ? 'set' : 'not set',
    project_id: s.projectId ?? null,
  };
}

export function configureCommand(): Command {
  return new Command('configure')
    .description('save the endpoint and access key for the other commands (~/.config/sitevpn/config.json, mode 0600)')
    .option('--endpoint <url>', 'sitevpn server, e.g. https://vpn.example.net:8787')
    .option('--access-key-id <id>', 'access key id')
    .addOption(new Option('--secret-access-key <secret>', 'secret access key').env('SITEVPN_SECRET_ACCESS_KEY'))
    .option('--secret-access-key-stdin', 'read the secret access key from the first line of stdin')
    .option('--project-id <id>', 'project id')
    .option('--show', 'print what is stored (never the secret) and change nothing')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const path = configPath();
      const current = readSettings(path);
      if (opts.show) {
        const s = summary(path, current);
        if (opts.json) return printJson(s);
        return void process.stdout.write(
          Object.entries(s)
            .map(([k, v]) => `${k.padEnd(18)} ${v ?? '-'}`)
            .join('\n') + '\n',
        );
      }
      if (opts.secretAccessKeyStdin && opts.secretAccessKey !== undefined)
        throw usageError('give at most one of --secret-access-key and --secret-access-key-stdin');
      const secret = opts.secretAccessKeyStdin ? await firstLine(process.stdin) : opts.secretAccessKey;
      if (opts.secretAccessKeyStdin && !secret) throw usageError('no secret access key on stdin');
      if (opts.endpoint !== undefined) {
        try {
          new URL(opts.endpoint);
        } catch {
          throw usageError(`--endpoint must be a URL such as ${DEFAULT_ENDPOINT}`);
        }
      }
      const next: CliSettings = {
        endpoint: opts.endpoint ?? current.endpoint,
        accessKeyId: opts.accessKeyId ?? current.accessKeyId,
        secretAccessKey: secret ?? current.secretAccessKey,
        projectId: opts.projectId ?? current.projectId,
      };
      writeSettings(next, path);
      if (opts.json) return printJson(summary(path, next));
      process.stdout.write(`wrote ${path} (mode 0600)\n`);
    });
}
