// CliError: a user-facing problem found by the CLI itself (paths, flags, files, config). It
// mirrors sdk's OpmError (code, location, hint, details) but carries an exit kind, because the
// CLI's codes live in their own registry (codes.ts) and sdk stays unaware of exit codes.
import type { SourceLocation } from "../../sdk/index.ts";
import { CliErrorCodes, type CliErrorKey, type ExitKind } from "./codes.ts";

const BRAND = Symbol.for("opm.CliError");

export interface CliErrorInit {
  readonly message: string;
  /** Every place the problem shows up; the presenter prints one `-->` line each. */
  readonly locations?: readonly SourceLocation[];
  readonly hint?: string;
  readonly cause?: unknown;
  readonly details?: Readonly<Record<string, unknown>>;
}

export class CliError extends Error {
  readonly key: CliErrorKey;
  readonly code: string;
  readonly exit: ExitKind;
  readonly locations: readonly SourceLocation[];
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(key: CliErrorKey, init: CliErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "CliError";
    this.key = key;
    this.code = CliErrorCodes[key].code;
    this.exit = CliErrorCodes[key].exit;
    this.locations = init.locations ?? [];
    this.hint = init.hint;
    this.details = init.details ?? {};
    Object.defineProperty(this, BRAND, { value: true });
  }
}

export function isCliError(x: unknown): x is CliError {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * Several problems reported together (render errors, config issues). The presenter prints each
 * and exits with the most severe exit kind among them.
 */
export class ProblemList extends Error {
  readonly problems: readonly unknown[];
  constructor(problems: readonly unknown[], summary: string) {
    super(summary);
    this.name = "ProblemList";
    this.problems = problems;
  }
}
