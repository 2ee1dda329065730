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

type CommandClass = new () => Command<OpmContext>;

/** One option or positional of a command class, with what clipanion was told about it. */
interface ProbedOption {
  readonly key: string;
  readonly option: OptionLike;
  /** `["-o", "--output"]` for an option; undefined for a positional. */
  readonly names?: string[];
  /** The positional's name (`path`). */
  readonly positional?: string;
}

function probedOptions(commandClass: CommandClass): ProbedOption[] {
  const out: ProbedOption[] = [];
  const instance = new commandClass() as unknown as Record<string, unknown>;
  for (const [key, option] of Object.entries(instance)) {
    if (!isOptionLike(option)) continue;
    let names: string[] | undefined;
    let positional: string | undefined;
    option.definition(
      {
        addOption: (o: { names: string[] }) => (names = o.names),
        addPositional: (p: { name?: string }) => (positional = p.name ?? key),
        addRest: () => undefined,
        addProxy: () => undefined,
      },
      key,
    );
    if (names !== undefined) out.push({ key, option, names });
    else if (positional !== undefined) out.push({ key, option, positional });
  }
  return out;
}

/** What the option's transformer makes of a command line state; undefined when it refuses. */
function transform(probe: ProbedOption, state: unknown): { value: unknown } | { error: Error } {
  try {
    return { value: probe.option.transformer(undefined, probe.key, state, { env: {} }) };
  } catch (error) {
    return { error: error as Error };
  }
}

/**
 * Each option's default as help shows it, keyed by its names (`-o,--output`): what the option
 * holds when the command line does not set it. Options without a default (undefined, false, an
 * empty list) are left out.
 */
export function optionDefaults(commandClass: CommandClass): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const probe of probedOptions(commandClass)) {
    if (probe.names === undefined) continue;
    const result = transform(probe, { options: [], positionals: [] });
    if (!("value" in result)) continue;
    const shown = shownDefault(result.value);
    if (shown !== undefined) defaults.set(probe.names.join(","), shown);
  }
  return defaults;
}

const NOT_A_VALUE = "\u0000";

/**
 * What typanion's enum validator says when it refuses a value (`expected one of "a", "b", or "c"
 * (got "x")`): the allowed values and the one given. Undefined for any other refusal.
 */
export function enumRefusal(message: string): { allowed: string[]; got: string } | undefined {
  const match = /expected one of (.+) \(got "([^"]*)"\)/.exec(message);
  if (match === null) return undefined;
  return { allowed: [...match[1]!.matchAll(/"([^"]*)"/g)].map((m) => m[1]!), got: match[2]! };
}

/**
 * The values an option or positional accepts when its validator is an enum, keyed by the
 * option's names (`-o,--output`) or the positional's name: read by offering the validator a
 * value no enum holds and reading the allowed ones from its refusal, so completion and help
 * use the very list the command checks.
 */
export function optionEnums(commandClass: CommandClass): Map<string, readonly string[]> {
  const enums = new Map<string, readonly string[]>();
  for (const probe of probedOptions(commandClass)) {
    const state =
      probe.names !== undefined
        ? { options: [{ name: probe.names[0], value: NOT_A_VALUE }], positionals: [] }
        : { options: [], positionals: [{ value: NOT_A_VALUE, extra: false }] };
    const result = transform(probe, state);
    if (!("error" in result)) continue;
    const refusal = enumRefusal(result.error.message);
    if (refusal !== undefined) enums.set(probe.names?.join(",") ?? probe.positional!, refusal.allowed);
  }
  return enums;
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

  private commandClassAt(n: number): CommandClass | undefined {
    for (const [commandClass, record] of registrationsOf(this)) if (record.index === n) return commandClass;
    return undefined;
  }
}

/** clipanion keeps the registered classes with their builder index (not public API). */
function registrationsOf(cli: Cli<OpmContext>): Map<CommandClass, { index: number }> {
  return (cli as unknown as { registrations: Map<CommandClass, { index: number }> }).registrations;
}

/** The class registered for a command path (`["mod", "build"]`). */
export function commandClassFor(cli: Cli<OpmContext>, path: readonly string[]): CommandClass | undefined {
  const wanted = path.join(" ");
  for (const commandClass of registrationsOf(cli).keys()) {
    const paths = (commandClass as unknown as { paths?: string[][] }).paths ?? [];
    if (paths.some((p) => p.join(" ") === wanted)) return commandClass;
  }
  return undefined;
}
