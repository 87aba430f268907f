// Exit codes scripts can rely on, and the runner that maps every failure to one of them.
//
//   0  success
//   1  the API answered with an error (or could not be reached)
//   2  usage: unknown command or option, a missing argument, missing credentials
//   3  not found: the resource named does not exist (HTTP 404)
//   4  waiting failed: the connection went DOWN or ERROR, or did not become ACTIVE in time
import { type Command, CommanderError } from 'commander';

export const EXIT = { OK: 0, API: 1, USAGE: 2, NOT_FOUND: 3, WAIT_FAILED: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure with the exit code it ends the process with; its message goes to stderr. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export const usageError = (message: string): CliError => new CliError(message, EXIT.USAGE);

/** Commander exits by itself on usage errors; have it throw instead, in every subcommand. */
function throwInsteadOfExit(cmd: Command): void {
  cmd.exitOverride();
  for (const sub of cmd.commands) throwInsteadOfExit(sub);
}

export async function runCli(program: Command, argv: string[] = process.argv): Promise<void> {
  throwInsteadOfExit(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    // Commander has printed its own message (or the help) already.
    if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? EXIT.OK : EXIT.USAGE);
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`sitevpn: ${message}\n`);
    process.exit(err instanceof CliError ? err.exitCode : EXIT.API);
  }
}
