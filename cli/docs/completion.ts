// Shell completion scripts for bash, zsh and fish. Each is a thin shim: it hands the words typed
// so far to `opm __complete` (cli/commands/complete.ts), which knows the command tree, enum
// values, kubeconfig contexts, namespaces and releases, and says whether paths fit here; so the
// scripts never go stale and never offer file names where a subcommand is expected.

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

const BASH = `# bash completion for opm. Load it with:  source <(opm completion bash)
_opm_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" line directive=":nofiles"
  local -a lines=()
  mapfile -t lines < <(opm __complete "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null)
  COMPREPLY=()
  for line in "\${lines[@]}"; do
    case "$line" in
      :files | :nofiles) directive="$line" ;;
      *) COMPREPLY+=("$line") ;;
    esac
  done
  if [[ "$directive" == ":files" ]]; then
    compopt -o filenames 2>/dev/null
    mapfile -t -O "\${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
  fi
}
complete -F _opm_complete opm
`;

const ZSH = `#compdef opm
# zsh completion for opm. Load it with:  source <(opm completion zsh)
# zsh runs the bash function through bashcompinit: one implementation for both shells.
autoload -U +X bashcompinit && bashcompinit
${BASH}`;

const FISH = `# fish completion for opm. Load it with:  opm completion fish | source
function __opm_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    set -l lines (opm __complete $words $current 2>/dev/null)
    for line in $lines
        switch $line
            case :files
                __fish_complete_path $current
            case :nofiles
            case '*'
                echo $line
        end
    end
end
complete -c opm -f -a '(__opm_complete)'
`;

export function completionScript(shell: Shell): string {
  return shell === "bash" ? BASH : shell === "zsh" ? ZSH : FISH;
}
