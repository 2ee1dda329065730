// The one place that turns errors into what the user sees on stderr and into the exit code.
// Every kind of error goes through here: sdk's OpmError (by category), the CLI's CliError (by
// exit kind), the CUE engine's errors (each issue with its positions), clipanion's usage errors,
// lists of problems reported together, and anything unexpected (an internal error: a stack only
// with --debug). Identical problems are grouped: one message, every location.
import type { OpmError, SourceLocation } from "../../sdk/index.ts";
import type { Style } from "../output/style.ts";
import { CliErrorCodes, ExitCode, type ExitKind } from "./codes.ts";
import { isCliError, ProblemList } from "./cli-error.ts";

// sdk's isOpmError and formatLocation, restated here on purpose: every command imports this
// file, and importing sdk's entry would load the whole render pipeline (and yaml) into
// `opm --help`. The brand is sdk's documented cross-copy identity check.
function isOpmError(x: unknown): x is OpmError {
  return (
    typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[Symbol.for("opm.Error")] === true
  );
}

function locationText(location: SourceLocation): string {
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  return text;
}

/** One error, reduced to what is printed. */
export interface Problem {
  readonly code: string;
  readonly message: string;
  readonly locations: readonly SourceLocation[];
  readonly hint?: string | undefined;
  readonly exit: ExitKind;
  readonly stack?: string | undefined;
}

export interface PresentOptions {
  readonly style: Style;
  readonly debug: boolean;
  /** `opm mod build`, for the "--help" hint of usage errors. */
  readonly commandPath?: string;
}

/** Exit kinds of sdk (and later layers') error categories. Unknown categories are failures. */
const CATEGORY_EXIT: Readonly<Record<string, ExitKind>> = {
  validation: "validation",
  render: "validation",
  connectivity: "connectivity",
  permission: "permission",
  "not-found": "notFound",
  notFound: "notFound",
  internal: "failure",
};

interface ClipanionError {
  readonly clipanion?: { readonly type?: string };
}

interface EngineErrorShape {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly issues: readonly {
    readonly path: string;
    readonly message: string;
    readonly positions: readonly { file: string; line: number; column: number }[];
  }[];
}

function isEngineError(x: unknown): x is EngineErrorShape {
  return (
    typeof x === "object" &&
    x !== null &&
    (x as Record<symbol, unknown>)[Symbol.for("opm.CueEngineError")] === true
  );
}

interface CodedError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly location?: SourceLocation;
  readonly category?: string;
}

function isCodedError(x: unknown): x is CodedError {
  return (
    x instanceof Error &&
    typeof (x as { code?: unknown }).code === "string" &&
    /^OPM\d{4}$/.test((x as CodedError).code)
  );
}

/** Flattens any thrown value into the problems it stands for. */
export function problemsOf(error: unknown, options: PresentOptions): Problem[] {
  if (error instanceof ProblemList) return error.problems.flatMap((p) => problemsOf(p, options));
  if (isCliError(error)) {
    return [
      {
        code: error.code,
        message: error.message,
        locations: error.locations,
        hint: error.hint,
        exit: error.exit,
        stack: error.stack,
      },
    ];
  }
  if (isOpmError(error)) {
    return [
      {
        code: error.code,
        message: error.message,
        locations: error.location === undefined ? [] : [error.location],
        hint: error.hint,
        exit: CATEGORY_EXIT[error.category] ?? "failure",
        stack: error.stack,
      },
    ];
  }
  if (isEngineError(error)) return engineProblems(error);
  if (error instanceof AggregateError) return error.errors.flatMap((e: unknown) => problemsOf(e, options));
  if (isCodedError(error)) {
    // Errors of other layers (dsl authoring errors, ...) that carry an OPM code and a hint.
    return [
      {
        code: error.code,
        message: error.message,
        locations: error.location === undefined ? [] : [error.location],
        hint: error.hint,
        exit: CATEGORY_EXIT[error.category ?? "validation"] ?? "validation",
        stack: error.stack,
      },
    ];
  }
  const clipanion = (error as ClipanionError | undefined)?.clipanion;
  if (clipanion?.type === "usage" || clipanion?.type === "none") {
    const where = options.commandPath === undefined ? "opm" : options.commandPath;
    return [
      {
        code: CliErrorCodes.Usage.code,
        message: (error as Error).message.trimEnd(),
        locations: [],
        hint: `run '${where} --help' for usage`,
        exit: "failure",
      },
    ];
  }
  const message = error instanceof Error ? error.message : String(error);
  return [
    {
      code: CliErrorCodes.Internal.code,
      message: `internal error: ${message}`,
      locations: [],
      hint: "this is a bug in opm; run again with --debug for the stack trace and report it",
      exit: "failure",
      stack: error instanceof Error ? error.stack : undefined,
    },
  ];
}

function engineProblems(error: EngineErrorShape): Problem[] {
  // A load failure with issues is positioned too (a syntax error, an import that does not resolve).
  if ((error.code !== "CueError" && error.code !== "LoadError") || error.issues.length === 0) {
    const unavailable = error.code === "EngineUnavailable";
    const entry = unavailable ? CliErrorCodes.CueEngineUnavailable : CliErrorCodes.CueEvaluation;
    return [
      {
        code: entry.code,
        message: `CUE engine: ${error.message}`,
        locations: [],
        hint: unavailable ? "build the engine with `npm run build:engine`" : undefined,
        exit: entry.exit,
      },
    ];
  }
  return error.issues.map((issue) => ({
    code: CliErrorCodes.CueEvaluation.code,
    message: issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`,
    locations: issue.positions,
    exit: CliErrorCodes.CueEvaluation.exit,
  }));
}

/** Merges problems that differ only in where they occur, keeping first-seen order. */
export function groupProblems(problems: readonly Problem[]): Problem[] {
  const groups = new Map<string, { problem: Problem; locations: SourceLocation[] }>();
  for (const problem of problems) {
    const key = `${problem.code}\u0000${problem.message}\u0000${problem.hint ?? ""}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { problem, locations: [...problem.locations] });
    else group.locations.push(...problem.locations);
  }
  return [...groups.values()].map(({ problem, locations }) => ({ ...problem, locations }));
}

/** The text for stderr and the exit code for a thrown value. */
export function presentError(error: unknown, options: PresentOptions): { text: string; exitCode: number } {
  const problems = groupProblems(problemsOf(error, options));
  const { style } = options;
  let text = "";
  for (const problem of problems) {
    text += `${style.error(`error ${problem.code}`)}: ${problem.message}\n`;
    for (const location of problem.locations) text += `  ${style.accent("-->")} ${locationText(location)}\n`;
    if (problem.hint !== undefined) text += `  ${style.dim("hint:")} ${problem.hint}\n`;
    if (options.debug && problem.stack !== undefined) {
      text += `${problem.stack.replace(/^/gm, "    ")}\n`;
    }
  }
  if (error instanceof ProblemList && problems.length > 1) text += `${error.message}\n`;
  const first = problems[0];
  return { text, exitCode: first === undefined ? ExitCode.failure : ExitCode[first.exit] };
}
