// What to complete at the cursor, decided from the command tree alone (no IO): the next
// subcommand, a flag, an enum's values, a value only the cluster or the kubeconfig knows, or a
// path. Shells call `opm __complete <words...> <current>` and print what comes back; the scripts
// never decide anything themselves, so completion follows the commands as they change.
import type { CommandInfo, OptionInfo } from "../docs/definitions.ts";
import { valueName } from "../help.ts";

/** A value the completer must look up: kubeconfig contexts, namespaces, release names. */
export type DynamicSource = "contexts" | "namespaces" | "releases";

export type CompletionPlan =
  /** Fixed words (subcommands, flags, enum values); `files` adds the shell's file completion. */
  | { readonly kind: "words"; readonly words: readonly string[]; readonly files: boolean }
  | { readonly kind: "dynamic"; readonly source: DynamicSource }
  /** Paths only (a module directory, a values file). */
  | { readonly kind: "files" };

/** Options whose values live outside the command tree. */
const DYNAMIC: Readonly<Record<string, DynamicSource>> = {
  "--context": "contexts",
  "--kube-context": "contexts",
  "--namespace": "namespaces",
  "-n": "namespaces",
  "--release-name": "releases",
};

/** Positional names that are paths on disk. */
const PATH_POSITIONALS = new Set(["path", "dir"]);

/** Flag values that are paths on disk (`-f values.yaml`, `--kubeconfig ~/.kube/config`). */
const PATH_VALUE = /<(file|dir)>/;

const NONE: CompletionPlan = { kind: "words", words: [], files: false };

function childrenOf(commands: readonly CommandInfo[], prefix: readonly string[]): string[] {
  const words = commands
    .filter((c) => c.path.length > prefix.length && prefix.every((p, i) => c.path[i] === p))
    .map((c) => c.path[prefix.length]!);
  return [...new Set(words)].sort();
}

function optionNamed(command: CommandInfo | undefined, name: string): OptionInfo | undefined {
  return command?.options.find((o) => o.names.includes(name));
}

/**
 * The plan for completing `current`, the word under the cursor, after `before`, the words typed
 * so far (without `opm`).
 */
export function planCompletion(
  commands: readonly CommandInfo[],
  before: readonly string[],
  current: string,
): CompletionPlan {
  // Walk the words: the longest known command path, then its options and positionals.
  const path: string[] = [];
  let command: CommandInfo | undefined;
  let positionals = 0;
  let pendingOption: OptionInfo | undefined;
  for (const word of before) {
    if (pendingOption !== undefined) {
      // bash splits `--output=json` at '=' (COMP_WORDBREAKS): the value is the word after it.
      if (word !== "=") pendingOption = undefined;
      continue;
    }
    if (word.startsWith("-")) {
      const option = optionNamed(command, word.split("=")[0]!);
      if (option?.takesValue === true && !word.includes("=")) pendingOption = option;
      continue;
    }
    const next = [...path, word];
    if (command === undefined && childrenOf(commands, path).includes(word)) {
      path.push(word);
      command = commands.find((c) => c.path.join(" ") === next.join(" "));
      continue;
    }
    positionals += 1;
  }

  if (pendingOption !== undefined) return valuePlan(pendingOption);
  // `--output=js` completes after the '=' in shells that keep it in the word.
  if (current.startsWith("-") && current.includes("=")) {
    const [name = "", partial = ""] = current.split("=", 2);
    const option = optionNamed(command, name);
    if (option === undefined) return NONE;
    const plan = valuePlan(option);
    if (plan.kind !== "words") return plan;
    return { ...plan, words: plan.words.filter((w) => w.startsWith(partial)).map((w) => `${name}=${w}`) };
  }
  if (command === undefined) {
    const words = childrenOf(commands, path);
    return {
      kind: "words",
      words: path.length === 0 ? [...words, "--help", "--version"] : words,
      files: false,
    };
  }
  if (current.startsWith("-")) {
    const flags = command.options.flatMap((o) =>
      o.names.includes("--color") ? [...o.names, "--no-color"] : o.names,
    );
    return { kind: "words", words: [...flags.filter((n) => n.startsWith("-")), "--help"], files: false };
  }
  const positional = command.positionals[positionals];
  if (positional === undefined) return NONE;
  if (positional.values !== undefined) return { kind: "words", words: positional.values, files: false };
  return PATH_POSITIONALS.has(positional.name) ? { kind: "files" } : NONE;
}

function valuePlan(option: OptionInfo): CompletionPlan {
  if (option.values !== undefined) return { kind: "words", words: option.values, files: false };
  const source = option.names.map((n) => DYNAMIC[n]).find((s) => s !== undefined);
  if (source !== undefined) return { kind: "dynamic", source };
  return PATH_VALUE.test(valueName(option.names)) ? { kind: "files" } : NONE;
}
