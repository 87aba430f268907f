// `sitevpn credentials ...`: access keys and their policies, straight against the store.
import { Command, Option } from 'commander';
import type { SitevpnConfig } from '../config/config.ts';
import type { KeyPolicy } from '../domain/entities.ts';
import { systemClock } from '../domain/ports.ts';
import { TenantService } from '../service/tenants.ts';
import { openStore } from '../store/open-store.ts';

const POLICIES: KeyPolicy[] = ['read-only', 'full', 'admin'];

async function withTenants<T>(config: SitevpnConfig, fn: (tenants: TenantService) => Promise<T>): Promise<T> {
  const store = await openStore(config);
  try {
    return await fn(new TenantService(store, systemClock));
  } finally {
    await store.close();
  }
}

export function credentialsCommand(config: () => SitevpnConfig): Command {
  const cmd = new Command('credentials').description('manage access keys (used by both API dialects)');
  cmd
    .command('create')
    .description('create an access key and print its secret once')
    .addOption(new Option('--policy <policy>', 'what the key may do').choices(POLICIES).default('full'))
    .option('--tenant <id>', 'tenant id (default: the first tenant)')
    .option('--description <text>', 'a note about the key', '')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const key = await withTenants(config(), (t) => t.createKey(opts.tenant, opts.policy, opts.description));
      const projects = await withTenants(config(), async (t) => (await t.defaultProject(key.tenantId)).id);
      if (opts.json) {
        process.stdout.write(
          JSON.stringify({ accessKeyId: key.accessKeyId, secretAccessKey: key.secret, policy: key.policy, projectId: projects }) + '\n',
        );
      } else {
        process.stdout.write(
          `access key id      ${key.accessKeyId}\nsecret access key  ${key.secret}\npolicy             ${key.policy}\nproject id         ${projects}\n`,
        );
      }
    });
  cmd
    .command('list')
    .description('list access keys (never their secrets)')
    .action(async () => {
      const keys = await withTenants(config(), (t) => t.listKeys());
      for (const k of keys)
        process.stdout.write(`${k.accessKeyId}  ${k.policy.padEnd(9)}  tenant ${k.tenantId}  ${k.createdAt}  ${k.description}\n`);
    });
  cmd
    .command('set-policy <accessKeyId> <policy>')
    .description(`change what a key may do (${POLICIES.join(', ')})`)
    .action(async (id: string, policy: string) => {
      if (!POLICIES.includes(policy as KeyPolicy)) throw new Error(`policy must be one of ${POLICIES.join(', ')}`);
      await withTenants(config(), (t) => t.setKeyPolicy(id, policy as KeyPolicy));
      process.stdout.write(`${id}: policy ${policy}\n`);
    });
  cmd
    .command('delete <accessKeyId>')
    .description('delete an access key')
    .action(async (id: string) => {
      await withTenants(config(), (t) => t.deleteKey(id));
      process.stdout.write(`${id}: deleted\n`);
    });
  return cmd;
}
