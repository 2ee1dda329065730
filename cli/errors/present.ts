// The one place that turns errors into what the user sees on stderr and into the exit code.
// Every error of ours is an OpmError (the CUE engine's adds its issues, each with positions);
// besides those come clipanion's usage errors, lists of problems reported together, and
// anything unexpected (an internal error: a stack only with --debug). Identical problems are
// grouped: one message, every location.
import { ErrorCodes } from "../../sdk/error-codes.ts";
import { isOpmError, type OpmError, type SourceLocation } from "../../sdk/errors.ts";
import type { Style } from "../output/style.ts";
import { CATEGORY_EXIT, EXIT_SEVERITY, ExitCode, type ExitKind } from "./codes.ts";
import { ProblemList } from "./problem-list.ts";

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

interface ClipanionError {
  readonly clipanion?: { readonly type?: string };
}

/** A CUE engine error's issues, as CueEngineError (bridge) carries them. */
interface CueIssues {
  readonly issues?: readonly {
    readonly path: string;
    readonly message: string;
    readonly positions: readonly SourceLocation[];
  }[];
}

/** Flattens any thrown value into the problems it stands for. */
export function problemsOf(error: unknown, options: PresentOptions): Problem[] {
  if (error instanceof ProblemList) return error.problems.flatMap((p) => problemsOf(p, options));
  if (error instanceof AggregateError) return error.errors.flatMap((e: unknown) => problemsOf(e, options));
  if (isOpmError(error)) return opmProblems(error);
  const clipanion = (error as ClipanionError | undefined)?.clipanion;
  if (clipanion?.type === "usage" || clipanion?.type === "none") {
    const where = options.commandPath === undefined ? "opm" : options.commandPath;
    return [
      {
        code: ErrorCodes.Usage.code,
        message: (error as Error).message.trimEnd(),
        locations: [],
        hint: `run '${where} --help' for usage`,
        exit: CATEGORY_EXIT[ErrorCodes.Usage.category],
      },
    ];
  }
  const message = error instanceof Error ? error.message : String(error);
  return [
    {
      code: ErrorCodes.Internal.code,
      message: `internal error: ${message}`,
      locations: [],
      hint: "this is a bug in opm; run again with --debug for the stack trace and report it",
      exit: "failure",
      stack: error instanceof Error ? error.stack : undefined,
    },
  ];
}

/** An OpmError is one problem, or one per CUE issue when it carries several. */
function opmProblems(error: OpmError): Problem[] {
  const exit = CATEGORY_EXIT[error.category];
  const issues = (error as CueIssues).issues ?? [];
  // A load failure with issues is positioned too (a syntax error, an import that does not resolve).
  if (issues.length > 0 && (error.key === "CueEvaluation" || error.key === "CueLoad")) {
    return issues.map((issue) => ({
      code: error.code,
      message: issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`,
      locations: issue.positions,
      hint: error.hint,
      exit,
    }));
  }
  return [
    {
      code: error.code,
      message: error.message,
      locations: error.locations,
      hint: error.hint,
      exit,
      stack: error.stack,
    },
  ];
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
  return { text, exitCode: ExitCode[mostSevere(problems)] };
}

/** The exit kind of the most severe problem (EXIT_SEVERITY), failure when there is none. */
function mostSevere(problems: readonly Problem[]): ExitKind {
  let worst: ExitKind | undefined;
  for (const { exit } of problems)
    if (worst === undefined || EXIT_SEVERITY[exit] > EXIT_SEVERITY[worst]) worst = exit;
  return worst ?? "failure";
}
