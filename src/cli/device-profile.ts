// `sitevpn device-profile set|show|delete <cgw-id>`: the customer device a customer gateway stands
// for in the simulated data plane, through the signed extension API.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { apiTarget, withApiOptions } from './client.ts';
import { callApi, ensureOk } from './sign.ts';

const path = (cgwId: string) => `/customer-gateways/${encodeURIComponent(cgwId)}/device-profile`;

/** The file holds either {"device_profile": {...}} or the profile object itself. */
export function profileBody(text: string, file: string): { device_profile: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON`);
  }
  if (parsed && typeof parsed === 'object' && 'device_profile' in parsed) return parsed as { device_profile: unknown };
  return { device_profile: parsed };
}

export function deviceProfileCommand(out: (s: string) => void = (s) => process.stdout.write(s)): Command {
  const cmd = new Command('device-profile').description('set, show or delete the device profile of a customer gateway');
  withApiOptions(cmd.command('set <cgw-id>').description('store a device profile from a JSON file'))
    .requiredOption('--file <path>', 'JSON file with the profile')
    .action(async (cgwId: string, opts) => {
      const body = profileBody(readFileSync(opts.file, 'utf8'), opts.file);
      const res = await callApi(apiTarget(opts), 'PUT', path(cgwId), body);
      await ensureOk(res);
      const answer = (await res.json()) as { refreshed_connections: number };
      out(`${cgwId}: device profile set (${answer.refreshed_connections} connection(s) refreshed)\n`);
    });
  withApiOptions(cmd.command('show <cgw-id>').description('print the stored device profile as JSON')).action(
    async (cgwId: string, opts) => {
      const res = await callApi(apiTarget(opts), 'GET', path(cgwId));
      await ensureOk(res);
      out(JSON.stringify(((await res.json()) as { device_profile: unknown }).device_profile, null, 2) + '\n');
    },
  );
  withApiOptions(cmd.command('delete <cgw-id>').description('remove the device profile')).action(async (cgwId: string, opts) => {
    const res = await callApi(apiTarget(opts), 'DELETE', path(cgwId));
    await ensureOk(res);
    out(`${cgwId}: device profile deleted\n`);
  });
  return cmd;
}
