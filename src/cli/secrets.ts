// `sitevpn secrets ...`: the master key that seals every stored secret (docs/SECURITY.md).
import { Command } from 'commander';
import type { SitevpnConfig } from '../config/config.ts';
import { masterKeyStatus, rotateMasterKey } from '../store/rotate-master-key.ts';

export function secretsCommand(config: () => SitevpnConfig, out: (s: string) => void = (s) => process.stdout.write(s)): Command {
  const cmd = new Command('secrets').description('the master key that encrypts secrets at rest');
  cmd
    .command('rotate-master-key')
    .description('re-encrypt every stored secret under a new master key; running servers keep working')
    .action(() => {
      const r = rotateMasterKey(config());
      out(`master key rotated (${r.source}): current key ${r.keyId}\n`);
      out(`  ${r.resealed} of ${r.total} stored secrets re-sealed; retired key(s): ${r.retiredKeyIds.join(', ') || 'none'}\n`);
      if (r.source === 'SITEVPN_MASTER_KEY') out('  SITEVPN_MASTER_KEY_PREVIOUS can now be removed (restart the servers without it)\n');
      if (!r.walEmptied) out('  the WAL was busy: older page versions leave sitevpn.db-wal at the next checkpoint\n');
    });
  cmd
    .command('status')
    .description('the key ids of the master key ring and how many stored secrets each one sealed')
    .action(() => {
      const { ring, census } = masterKeyStatus(config());
      for (const [i, id] of ring.entries()) out(`${id}  ${i === 0 ? 'current ' : 'previous'}  ${census.get(id) ?? 0} secret(s)\n`);
      for (const [id, n] of census) if (!ring.includes(id)) out(`${id}  unknown   ${n} secret(s)\n`);
    });
  return cmd;
}
