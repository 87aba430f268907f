// `sitevpn completion bash|zsh`: a completion script made from the command tree itself, so it
// always knows every command, subcommand and option. zsh loads the bash function through
// bashcompinit (shipped with zsh).
//   bash: source <(sitevpn completion bash)      zsh: source <(sitevpn completion zsh)
import { Argument, Command } from 'commander';

const words = (cmd: Command): string[] => cmd.options.map((o) => o.long ?? o.short ?? '').filter(Boolean);
const quote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

/** The bash function: the first word picks a command, the second a subcommand, then options. */
export function bashScript(program: Command): string {
  const name = program.name();
  const top = [...program.commands.map((c) => c.name()), ...words(program)];
  const groups = program.commands.filter((c) => c.commands.length > 0);
  const subs = groups.map((c) => `    ${quote(c.name())}) subs=${quote(c.commands.map((s) => s.name()).join(' '))} ;;`);
  const opts: string[] = [];
  for (const cmd of program.commands) {
    if (cmd.commands.length === 0) opts.push(`    ${quote(cmd.name())}) opts=${quote(words(cmd).join(' '))} ;;`);
    for (const sub of cmd.commands) opts.push(`    ${quote(`${cmd.name()} ${sub.name()}`)}) opts=${quote(words(sub).join(' '))} ;;`);
  }
  return `# ${name} completion for bash (source <(${name} completion bash))
_${name}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" key="\${COMP_WORDS[1]}" subs="" opts=""
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W ${quote(top.join(' '))} -- "$cur"))
    return
  fi
  case "$key" in
${subs.join('\n')}
  esac
  if [ -n "$subs" ]; then
    if [ "$COMP_CWORD" -eq 2 ]; then
      COMPREPLY=($(compgen -W "$subs" -- "$cur"))
      return
    fi
    key="$key \${COMP_WORDS[2]}"
  fi
  case "$key" in
${opts.join('\n')}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); fi
}
complete -o default -F _${name} ${name}
`;
}

export function zshScript(program: Command): string {
  return `# ${program.name()} completion for zsh (source <(${program.name()} completion zsh))
autoload -U +X bashcompinit && bashcompinit
${bashScript(program)}`;
}

export function completionCommand(program: Command): Command {
  return new Command('completion')
    .description('print a shell completion script: source <(sitevpn completion bash)')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh']))
    .action((shell: string) => {
      process.stdout.write(shell === 'bash' ? bashScript(program) : zshScript(program));
    });
}
