// A command line clipanion cannot parse becomes one coded usage error that says what was wrong
// and suggests the nearest command or flag ("did you mean opm mod build?"), instead of the list
// of every usage clipanion would print.
import type { Cli } from "clipanion";
import { OpmError } from "../sdk/errors.ts";
import type { OpmContext } from "./context.ts";
import { enumRefusal, nameValues } from "./help.ts";

/** Edit distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate nearest to `word`, if it is near enough to be what was meant. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(2, Math.floor(word.length / 3));
  return best.distance <= allowed ? best.candidate : undefined;
}

interface Candidate {
  readonly usage: string;
  readonly reason: string | null;
}

interface SyntaxError {
  readonly name: string;
  readonly message: string;
  readonly candidates?: readonly Candidate[];
}

interface Definition {
  readonly path: string;
  readonly options: readonly { readonly definition: string }[];
}

/**
 * The error to present for a thrown parse error: clipanion's syntax errors become one `Usage`
 * error with a suggestion; anything else is returned as it is.
 */
export function explainSyntaxError(error: unknown, cli: Cli<OpmContext>, argv: readonly string[]): unknown {
  const syntax = error as SyntaxError;
  if (syntax.name === "UsageError") return badValueError(syntax, error);
  if (syntax.name !== "UnknownSyntaxError" && syntax.name !== "AmbiguousSyntaxError") return error;
  const definitions = cli.definitions() as unknown as readonly Definition[];
  const reasons = new Set((syntax.candidates ?? []).map((c) => c.reason));
  const [reason] = reasons;
  const command =
    reasons.size === 1 && typeof reason === "string"
      ? commandOf(syntax.candidates![0]!.usage, definitions)
      : undefined;
  if (command !== undefined && typeof reason === "string") return commandLineError(reason, command);
  return unknownCommand(argv, definitions, error);
}

/** The command a candidate's usage line names: the longest path it starts with. */
function commandOf(usage: string, definitions: readonly Definition[]): Definition | undefined {
  return definitions
    .filter((d) => usage === d.path || usage.startsWith(`${d.path} `))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

/** A known command with a bad option or the wrong number of arguments. */
function commandLineError(reason: string, command: Definition): OpmError {
  const help = `run '${command.path} --help' for its options and examples`;
  const unknown = /Unsupported option name \("([^"]+)"\)/.exec(reason)?.[1];
  if (unknown !== undefined) {
    const known = command.options.flatMap((o) => optionNames(o.definition));
    const flag = unknown.split("=")[0]!;
    const suggestion = nearest(flag, [...known, ...(known.includes("--color") ? ["--no-color"] : [])]);
    return new OpmError("Usage", {
      message: `${command.path}: unknown option ${flag}`,
      hint: suggestion === undefined ? help : `did you mean ${suggestion}? (${help})`,
    });
  }
  const valueless = /Not enough arguments to option (\S+?)\.?$/.exec(reason)?.[1];
  const option = valueless === undefined ? undefined : optionNamed(command, valueless);
  if (valueless !== undefined && option !== undefined) return needsValue(command.path, valueless, option);
  return new OpmError("Usage", {
    message: `${command.path}: ${reason.replace(/\.$/, "").replace(/^./, (c) => c.toLowerCase())}`,
    hint: `usage: ${nameValues(usageLine(command))}; ${help}`,
  });
}

/** `opm mod build [path]`: the command and its positional arguments, without every option. */
function usageLine(command: Definition): string {
  const full = (command as { usage?: string }).usage ?? command.path;
  const positionals = full
    .split(/\s+(?![^[<]*[\]>])/)
    .slice(command.path.split(" ").length)
    .filter((word) => !/^[[<]-/.test(word));
  return [command.path, ...positionals].join(" ");
}

/** `-f,--values <file>` -> `["-f", "--values"]`. */
function optionNames(definition: string): string[] {
  return (definition.split(" ")[0] ?? "").split(",");
}

/** The definition (`-f,--values <file>`) of the option of `command` named `name`, if it takes a value. */
function optionNamed(command: Definition, name: string): string | undefined {
  return command.options.find((o) => o.definition.includes(" ") && optionNames(o.definition).includes(name))
    ?.definition;
}

function needsValue(path: string, name: string, definition: string, cause?: unknown): OpmError {
  return new OpmError("Usage", {
    message: `${path}: ${name} needs a value`,
    hint: `write ${nameValues(definition)}; run '${path} --help' for its options and examples`,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The arguments past what the command takes (it takes a fixed number: `[path]`, `<name>`). */
function extraArguments(command: Definition, given: readonly string[]): readonly string[] {
  const takes = usageLine(command).split(" ").length - command.path.split(" ").length;
  return given.length > takes ? given.slice(takes) : given;
}

/** No command has the path the user typed: suggest the nearest one, or the group's commands. */
function unknownCommand(
  argv: readonly string[],
  definitions: readonly Definition[],
  cause: unknown,
): OpmError {
  const typed = argv.filter((word) => !word.startsWith("-"));
  const paths = definitions.map((d) => d.path).filter((p) => !p.startsWith("opm -") && p !== "opm");
  const depth = Math.min(typed.length, Math.max(...paths.map((p) => p.split(" ").length - 1)));
  // Compare what was typed with every path of the same depth, then with the shorter ones.
  for (let words = depth; words >= 1; words--) {
    const attempt = ["opm", ...typed.slice(0, words)].join(" ");
    const sameDepth = paths.filter((p) => p.split(" ").length === words + 1);
    const known = definitions.find((d) => d.path === attempt);
    if (known !== undefined) {
      // An option that takes a value, given last with nothing after it (`opm mod build ./app -f`):
      // clipanion reads that as a command line with a positional argument too many.
      const last = argv.at(-1);
      const dangling = last?.startsWith("-") === true ? optionNamed(known, last) : undefined;
      if (dangling !== undefined) return needsValue(attempt, last!, dangling, cause);
      return new OpmError("Usage", {
        message: `${attempt}: too many arguments (${extraArguments(known, typed.slice(words)).join(" ")})`,
        hint: `usage: ${nameValues(usageLine(known))}; run '${attempt} --help' for its options and examples`,
        cause,
      });
    }
    const suggestion = nearest(attempt, sameDepth);
    if (suggestion !== undefined) {
      return new OpmError("Usage", {
        message: `unknown command: ${attempt}`,
        hint: `did you mean ${suggestion}? (run '${suggestion} --help' for its usage)`,
        cause,
      });
    }
  }
  const group = typed[0] === undefined ? undefined : `opm ${typed[0]}`;
  const inGroup = group === undefined ? [] : paths.filter((p) => p.startsWith(`${group} `));
  const attempt = ["opm", ...typed.slice(0, Math.max(1, depth))].join(" ");
  const isGroup = typed.length === 1 && inGroup.length > 0;
  return new OpmError("Usage", {
    message:
      typed.length === 0
        ? "no command given"
        : isGroup
          ? `${attempt} needs a command`
          : `unknown command: ${attempt}`,
    hint:
      inGroup.length > 0
        ? `${group} has: ${inGroup.map((p) => p.slice(group!.length + 1)).join(", ")}`
        : "run 'opm --help' for the list of commands",
    cause,
  });
}

/** An option or argument value outside its enum: name the nearest allowed value. */
function badValueError(syntax: SyntaxError, error: unknown): unknown {
  const refusal = enumRefusal(syntax.message);
  if (refusal === undefined) return error;
  const path = commandPathOf(error);
  const suggestion = nearest(refusal.got, refusal.allowed);
  const help = path === undefined ? "run 'opm --help' for usage" : `run '${path} --help' for usage`;
  return new OpmError("Usage", {
    message: `${path === undefined ? "" : `${path}: `}${syntax.message.replace(/^Invalid value for /, "invalid value for ")}`,
    hint: suggestion === undefined ? help : `did you mean ${suggestion}? (${help})`,
    cause: error,
  });
}

/** `opm completion` for an error clipanion raised while reading that command's options. */
function commandPathOf(error: unknown): string | undefined {
  // clipanion tags such errors with the command under a symbol it does not export.
  const symbol = Object.getOwnPropertySymbols(error as object).find(
    (s) => s.description === "clipanion/errorCommand",
  );
  const command = symbol === undefined ? undefined : (error as Record<symbol, unknown>)[symbol];
  const paths = (command as { constructor?: { paths?: string[][] } } | undefined)?.constructor?.paths;
  return paths?.[0] === undefined ? undefined : ["opm", ...paths[0]].join(" ");
}
