// The command tree as data, read from the clipanion definitions: what shell completion and the
// generated reference (docs/cli.md) are made of, so neither can drift from the commands.
import type { Cli } from "clipanion";
import type { OpmContext } from "../context.ts";
import { commandClassFor, optionEnums } from "../help.ts";

export interface OptionInfo {
  /** `-o`, `--output` */
  readonly names: readonly string[];
  /** True when the option takes a value. */
  readonly takesValue: boolean;
  readonly description: string;
  readonly definition: string;
  /** The values an enum option accepts (`-o`: yaml, json). */
  readonly values?: readonly string[];
}

export interface PositionalInfo {
  /** `path`, `shell` */
  readonly name: string;
  readonly values?: readonly string[];
}

export interface CommandInfo {
  /** `["mod", "build"]` */
  readonly path: readonly string[];
  readonly usage: string;
  readonly category: string;
  readonly description: string;
  readonly details: string;
  readonly examples: readonly (readonly [string, string])[];
  readonly options: readonly OptionInfo[];
  /** The positional arguments, in order, as named in the usage line. */
  readonly positionals: readonly PositionalInfo[];
}

export function commandInfos(cli: Cli<OpmContext>): CommandInfo[] {
  return cli
    .definitions()
    .filter((d) => d.path !== "opm" && !d.path.startsWith("opm -"))
    .map((d) => {
      const path = d.path.split(" ").slice(1);
      const commandClass = commandClassFor(cli, path);
      const enums =
        commandClass === undefined ? new Map<string, readonly string[]>() : optionEnums(commandClass);
      return {
        path,
        usage: d.usage,
        category: d.category ?? "General commands",
        description: (d.description ?? "").trim(),
        details: (d.details ?? "").trim(),
        examples: (d.examples ?? []).map(([label, command]) => [label.trim(), command] as const),
        options: d.options.map((o) => {
          const [names = "", value] = o.definition.split(" ");
          const values = enums.get(names);
          return {
            names: names.split(","),
            takesValue: value !== undefined,
            description: (o.description ?? "").trim(),
            definition: o.definition,
            ...(values === undefined ? {} : { values }),
          };
        }),
        positionals: positionalsOf(d.usage, enums),
      };
    })
    .sort((a, b) => a.path.join(" ").localeCompare(b.path.join(" ")));
}

/** `opm mod build [path]` → path; `opm completion <shell>` → shell (options are skipped). */
function positionalsOf(usage: string, enums: ReadonlyMap<string, readonly string[]>): PositionalInfo[] {
  const words = usage
    .replace(/\[-[^\]]*\]/g, " ")
    .split(/\s+/)
    .filter((w) => /^[<[][^-]/.test(w));
  return words.map((w) => {
    const name = w.replace(/^[<[]|[>\]]$/g, "").replace(/\.\.\.$/, "");
    const values = enums.get(name);
    return values === undefined ? { name } : { name, values };
  });
}
