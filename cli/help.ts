// What `--help`, the usage lines in errors, completion and docs/cli.md show for each option:
// the name of its value (`--namespace <namespace>`, `--set <path=value>`) instead of clipanion's
// `#0`, and its default (`(default: yaml)`), read from the option itself so the help cannot
// disagree with what the command does. OpmCli applies both wherever clipanion asks for a
// command's usage, so every view of the command tree gets them.
import { Cli, type Command } from "clipanion";
import type { OpmContext } from "./context.ts";

/** Value names that say more than the option's own name. */
const VALUE_NAMES: Readonly<Record<string, string>> = {
  "--set": "path=value",
  "--set-string": "path=value",
  "--set-json": "path=json",
  "--set-file": "path=file",
  "--values": "file",
  "--file": "file",
  "--kubeconfig": "file",
  "--config": "file",
  "--ca-file": "file",
  "--sign-key": "file",
  "--verify-key": "file",
  "--output": "format",
  "--timeout": "duration",
  "--request-timeout": "duration",
  "--since": "duration",
  "--out-dir": "dir",
  "--out": "dir",
  "--dir": "dir",
  "--cue-out": "dir",
  "--ts-out": "dir",
};

/** `<namespace>` for `-n,--namespace`: the table's name, else the long name without dashes. */
export function valueName(names: readonly string[]): string {
  const long = names.find((n) => n.startsWith("--")) ?? names[0] ?? "value";
  const name = VALUE_NAMES[long] ?? (long.endsWith("-timeout") ? "duration" : long.replace(/^-+/, ""));
  return `<${name}>`;
}

/** clipanion's `-n,--namespace #0` with the value named: `-n,--namespace <namespace>`. */
export function nameValues(definition: string): string {
  return definition.replace(
    /(^|[[<\s])((?:-[\w-]+)(?:,-[\w-]+)*)((?: #\d+)+)/g,
    (_m, lead: string, names: string, args: string) => {
      const count = args.trim().split(/\s+/).length;
      return `${lead}${names}${` ${valueName(names.split(","))}`.repeat(count)}`;
    },
  );
}

interface OptionLike {
  definition(builder: unknown, key: string): void;
  transformer(builder: unknown, key: string, state: unknown, context: unknown): unknown;
}

function isOptionLike(x: unknown): x is OptionLike {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as Partial<OptionLike>).definition === "function" &&
    typeof (x as Partial<OptionLike>).transformer === "function"
  );
}

/**
 * Each option's default as help shows it, keyed by its names (`-o,--output`): what the option
 * holds when the command line does not set it. Options without a default (undefined, false, an
 * empty list) are left out.
 */
export function optionDefaults(commandClass: new () => Command<OpmContext>): Map<string, string> {
  const defaults = new Map<string, string>();
  const instance = new commandClass() as unknown as Record<string, unknown>;
  for (const [key, option] of Object.entries(instance)) {
    if (!isOptionLike(option)) continue;
    let names: string[] | undefined;
    option.definition(
      {
        addOption: (o: { names: string[] }) => (names = o.names),
        addPositional: () => undefined,
        addRest: () => undefined,
        addProxy: () => undefined,
      },
      key,
    );
    if (names === undefined) continue;
    let value: unknown;
    try {
      value = option.transformer(undefined, key, { options: [], positionals: [] }, { env: {} });
    } catch {
      continue;
    }
    const shown = shownDefault(value);
    if (shown !== undefined) defaults.set(names.join(","), shown);
  }
  return defaults;
}

function shownDefault(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  if (value === true) return "on";
  return undefined;
}

type Usage = ReturnType<Cli<OpmContext>["getUsageByIndex"]>;

/** The CLI with named option values and defaults in every usage it prints. */
export class OpmCli extends Cli<OpmContext> {
  override getUsageByIndex(n: number, opts?: Parameters<Cli<OpmContext>["getUsageByIndex"]>[1]): Usage {
    const usage = super.getUsageByIndex(n, opts);
    const commandClass = this.commandClassAt(n);
    const defaults = commandClass === undefined ? new Map<string, string>() : optionDefaults(commandClass);
    return {
      usage: nameValues(usage.usage),
      options: usage.options.map((option) => {
        const names = option.definition.split(" ")[0] ?? "";
        const shown = defaults.get(names);
        const described = option.description ?? "";
        const withDefault =
          shown === undefined || /\bdefault\b/i.test(described)
            ? described
            : `${described} (default: ${shown})`;
        return { ...option, definition: nameValues(option.definition), description: withDefault };
      }),
    };
  }

  private commandClassAt(n: number): (new () => Command<OpmContext>) | undefined {
    // clipanion keeps the registered classes with their builder index.
    const registrations = (
      this as unknown as { registrations: Map<new () => Command<OpmContext>, { index: number }> }
    ).registrations;
    for (const [commandClass, record] of registrations) if (record.index === n) return commandClass;
    return undefined;
  }
}
