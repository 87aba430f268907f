// The `sitevpn` command: serve the API, manage credentials, and a client for every resource.
import { Command, Option } from 'commander';
import { ConfigError, type ConfigFlags, loadConfig } from '../config/config.ts';
import { completionCommand } from './completion.ts';
import { configureCommand } from './configure.ts';
import { connectionsCommand } from './connections.ts';
import { credentialsCommand } from './credentials.ts';
import { customerGatewaysCommand } from './customer-gateways.ts';
import { deviceConfigCommand } from './device-config.ts';
import { deviceProfileCommand } from './device-profile.ts';
import { eventsCommand } from './events.ts';
import { runCli, usageError } from './exit.ts';
import { gatewaysCommand } from './gateways.ts';
import { secretsCommand } from './secrets.ts';
import { serveCommand } from './serve.ts';
import { tunnelsCommand } from './tunnels.ts';

/** The server configuration; a bad setting ends the process with exit code 2 and its message. */
function serverConfig(flags: ConfigFlags): ReturnType<typeof loadConfig> {
  try {
    return loadConfig(process.env, flags);
  } catch (err) {
    throw err instanceof ConfigError ? usageError(err.message) : err;
  }
}

const program = new Command();
program
  .name('sitevpn')
  .description('Self-hosted site-to-site IPsec VPN control plane (Huawei Cloud VPN v5 and AWS EC2 APIs)')
  .option('--data-dir <dir>', 'data directory (SITEVPN_DATA_DIR, default ./data)');

program
  .command('serve')
  .description('start the API server, the store and the data plane')
  .option('--config <file>', 'JSON config file, see docs/CONFIGURATION.md (SITEVPN_SERVER_CONFIG)')
  .option('--host <host>', 'listen address (SITEVPN_HOST, default 127.0.0.1)')
  .option('--port <port>', 'listen port (SITEVPN_PORT, default 8787)')
  .addOption(new Option('--dataplane <kind>', 'data plane (SITEVPN_DATAPLANE)').choices(['simulated', 'strongswan']))
  .addOption(
    new Option('--role <role>', 'what this process runs (SITEVPN_ROLE, default all; api and dataplane need PostgreSQL)').choices([
      'api',
      'dataplane',
      'all',
    ]),
  )
  .option('--vici <uri>', 'strongSwan VICI socket, e.g. unix:///var/run/charon.vici (SITEVPN_VICI)')
  .option('--log-level <level>', 'pino log level (SITEVPN_LOG_LEVEL, default info)')
  .option('--tls-cert <file>', 'PEM certificate: serve HTTPS with HTTP/2 and HTTP/1.1 (SITEVPN_TLS_CERT)')
  .option('--tls-key <file>', 'PEM private key of --tls-cert (SITEVPN_TLS_KEY)')
  .action(async (opts) => {
    const config = serverConfig({
      configFile: opts.config,
      dataDir: program.opts().dataDir,
      host: opts.host,
      port: opts.port,
      dataplane: opts.dataplane,
      role: opts.role,
      viciUri: opts.vici,
      logLevel: opts.logLevel,
      tlsCert: opts.tlsCert,
      tlsKey: opts.tlsKey,
    });
    await serveCommand(config);
  });

program.addCommand(credentialsCommand(() => serverConfig({ dataDir: program.opts().dataDir, logLevel: 'warn' })));
program.addCommand(secretsCommand(() => serverConfig({ dataDir: program.opts().dataDir, logLevel: 'warn' })));
program.addCommand(eventsCommand());
program.addCommand(deviceProfileCommand());
program.addCommand(configureCommand());
program.addCommand(gatewaysCommand());
program.addCommand(customerGatewaysCommand());
program.addCommand(connectionsCommand());
program.addCommand(tunnelsCommand());
program.addCommand(deviceConfigCommand());
program.addCommand(completionCommand(program));

// Exit codes: 0 ok, 1 API error, 2 usage, 3 not found, 4 wait failed (src/cli/exit.ts).
await runCli(program);
