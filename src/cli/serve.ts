// `sitevpn serve`: start everything, print the first-start credentials once, stop on a signal.
import type { SitevpnConfig } from '../config/config.ts';
import { createApp } from '../server.ts';

export async function serveCommand(config: SitevpnConfig): Promise<void> {
  const app = await createApp(config);
  const endpoint = await app.listen();
  const out = process.stdout;
  const role = config.role ?? 'all';
  const store = config.databaseUrl ? 'PostgreSQL' : config.dataDir;
  out.write(`sitevpn listening on ${endpoint} (role: ${role}, data: ${store}, data plane: ${app.dataplane.name})\n`);
  const b = app.bootstrap;
  // What the start did with SITEVPN_ACCESS_KEY_ID, every time (never the secret).
  out.write(`bootstrap: ${b.message}\n`);
  if (b.created && b.key && b.project) {
    out.write('\nFirst start: created a tenant with one project and one access key.\n');
    out.write(`  endpoint           ${endpoint}\n`);
    out.write(`  project id         ${b.project.id}\n`);
    out.write(`  access key id      ${b.key.accessKeyId}\n`);
    if (config.bootstrap.secretAccessKey) out.write('  secret access key  (from SITEVPN_SECRET_ACCESS_KEY)\n');
    // Printed once, to the terminal only; it is never logged.
    else out.write(`  secret access key  ${b.key.secret}\n`);
    out.write('Keep the secret key now: it is not shown again (sitevpn credentials create makes more keys).\n\n');
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    out.write(`sitevpn: ${signal} received, shutting down\n`);
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
