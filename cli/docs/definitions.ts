// The command tree as data, read from the clipanion definitions: what shell completion and the
// generated reference (docs/cli.md) are made of, so neither can drift from the commands.
import type { Cli } from "clipanion";
import type { OpmContext } from "../context.ts";

export interface OptionInfo {
  /** `-o`, `--output` */
  readonly names: readonly string[];
  /** True when the option takes a value. */
  readonly takesValue: boolean;
  readonly description: string;
  readonly definition: string;
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
}

export function commandInfos(cli: Cli<OpmContext>): CommandInfo[] {
  return cli
    .definitions()
    .filter((d) => d.path !== "opm" && !d.path.startsWith("opm -"))
    .map((d) => ({
      path: d.path.split(" ").slice(1),
      usage: d.usage,
      category: d.category ?? "General commands",
      description: (d.description ?? "").trim(),
      details: (d.details ?? "").trim(),
      examples: (d.examples ?? []).map(([label, command]) => [label.trim(), command] as const),
      options: d.options.map((o) => {
        const [names = "", value] = o.definition.split(" ");
        return {
          names: names.split(","),
          takesValue: value !== undefined,
          description: (o.description ?? "").trim(),
          definition: o.definition,
        };
      }),
    }))
    .sort((a, b) => a.path.join(" ").localeCompare(b.path.join(" ")));
}
