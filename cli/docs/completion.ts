// Shell completion scripts for bash, zsh and fish, generated from the command definitions.
// Static word lists (commands, flags, enum values) are enough for opm's tree; paths and files
// fall back to the shell's own file completion.
import type { CommandInfo } from "./definitions.ts";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

function childrenOf(commands: readonly CommandInfo[], prefix: readonly string[]): string[] {
  const words = commands
    .filter((c) => c.path.length > prefix.length && prefix.every((p, i) => c.path[i] === p))
    .map((c) => c.path[prefix.length]!);
  return [...new Set(words)].sort();
}

function flagsOf(command: CommandInfo): string[] {
  // clipanion accepts --no-<name> for every boolean flag; --no-color is the one people type.
  return command.options
    .flatMap((o) => (o.names.includes("--color") ? [...o.names, "--no-color"] : o.names))
    .filter((n) => n.startsWith("-"));
}

function bash(commands: readonly CommandInfo[]): string {
  const groups = childrenOf(commands, []);
  const cases: string[] = [];
  for (const group of groups) {
    const verbs = childrenOf(commands, [group]);
    if (verbs.length > 0) cases.push(`    "${group}") words="${verbs.join(" ")}" ;;`);
  }
  for (const command of commands) {
    const path = command.path.join(" ");
    cases.push(`    "${path}" | "${path} "*) words="${flagsOf(command).join(" ")}" ;;`);
  }
  return `# bash completion for opm. Load it with:  source <(opm completion bash)
_opm_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" words="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) path="\${path:+$path }\${COMP_WORDS[i]}" ;; esac
  done
  case "$path" in
    "") words="${groups.join(" ")} --help --version" ;;
${cases.join("\n")}
    *) words="" ;;
  esac
  # Past a complete command, or after a flag's value, files are the likely next word.
  local files
  mapfile -t files < <(compgen -f -- "$cur")
  mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
  [[ "$cur" != -* ]] && COMPREPLY+=("\${files[@]}")
}
complete -o filenames -F _opm_complete opm
`;
}

function zsh(commands: readonly CommandInfo[]): string {
  // zsh runs the bash function through bashcompinit: one implementation for both shells.
  return `#compdef opm
# zsh completion for opm. Load it with:  source <(opm completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(commands)}`;
}

function fish(commands: readonly CommandInfo[]): string {
  const lines = [
    "# fish completion for opm. Load it with:  opm completion fish | source",
    "complete -c opm -f",
  ];
  for (const group of childrenOf(commands, [])) {
    const described = commands.find((c) => c.path.length === 1 && c.path[0] === group);
    const description = described?.description ?? `${group} commands`;
    lines.push(`complete -c opm -n "__fish_use_subcommand" -a ${group} -d ${JSON.stringify(description)}`);
    for (const verb of childrenOf(commands, [group])) {
      const command = commands.find((c) => c.path.join(" ") === `${group} ${verb}`);
      lines.push(
        `complete -c opm -n "__fish_seen_subcommand_from ${group}; and not __fish_seen_subcommand_from ${childrenOf(commands, [group]).join(" ")}" -a ${verb} -d ${JSON.stringify(command?.description ?? "")}`,
      );
    }
  }
  for (const command of commands) {
    const condition = command.path.map((p) => `__fish_seen_subcommand_from ${p}`).join("; and ");
    for (const option of command.options) {
      const long = option.names.find((n) => n.startsWith("--"));
      const short = option.names.find((n) => /^-[^-]$/.test(n));
      if (long === undefined && short === undefined) continue;
      const parts = [`complete -c opm -n ${JSON.stringify(condition)}`];
      if (long !== undefined) parts.push(`-l ${long.slice(2)}`);
      if (short !== undefined) parts.push(`-s ${short.slice(1)}`);
      if (option.takesValue) parts.push("-r -F");
      parts.push(`-d ${JSON.stringify(option.description)}`);
      lines.push(parts.join(" "));
    }
  }
  return `${lines.join("\n")}\n`;
}

export function completionScript(shell: Shell, commands: readonly CommandInfo[]): string {
  return shell === "bash" ? bash(commands) : shell === "zsh" ? zsh(commands) : fish(commands);
}
