// The one error shape of OPM: a stable code from the registry (error-codes.ts), a message, the
// places in the user's files it concerns, a hint that says what to do, structured details for
// `-o json` and formatters, and the underlying cause. Every layer throws OpmError (the CUE engine
// adds its issues in a subclass); the CLI turns it into stderr text and an exit code by category.
import { ErrorCodes, type ErrorCategory, type ErrorCode, type ErrorCodeKey } from "./error-codes.ts";

/** A position in a user's file; line and column are 1-based. */
export interface SourceLocation {
  /**
   * The file as messages name it, or a pseudo-file such as `--set a=1` for a value given on the
   * command line.
   */
  readonly file: string;
  /** 1-based line, absent when the problem concerns the whole file. */
  readonly line?: number;
  /** 1-based column; only meaningful together with `line`. */
  readonly column?: number;
}

/**
 * What a thrower says about a problem; the code and category come from the registry key passed beside it to
 * the OpmError constructor.
 */
export interface OpmErrorInit {
  /** One sentence for the user: what is wrong, in their terms (no stack, no internal names). */
  readonly message: string;
  /** Where the problem is; shorthand for a one-element `locations`. */
  readonly location?: SourceLocation | undefined;
  /** Every place the problem shows up, most relevant first. */
  readonly locations?: readonly SourceLocation[] | undefined;
  /** What the user can do about it, shown after the message. */
  readonly hint?: string | undefined;
  /** The underlying error, kept for `--debug` and reduced to its message in JSON output. */
  readonly cause?: unknown;
  /** Structured facts (paths, names, requirements) for formatters and `--json` output. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

const ERROR_BRAND = Symbol.for("opm.Error");

/**
 * An error OPM reports to its user. Carries a stable `code` and structured fields.
 *
 * When to use: for every problem caused by user input (modules, values, flags). Programming
 * errors may stay plain `Error`s; the CLI prints those as internal errors with a stack.
 */
export class OpmError extends Error {
  /** The stable `OPM####` code from the registry (sdk/error-codes.ts). */
  readonly code: ErrorCode;
  /** The registry name of the code, for code that matches errors by name rather than by number. */
  readonly key: ErrorCodeKey;
  /** What kind of failure this is; the CLI derives the exit code from it. */
  readonly category: ErrorCategory;
  /** Every place the problem shows up, most relevant first (may be empty). */
  readonly locations: readonly SourceLocation[];
  /** What the user can do about it, when the thrower knows. */
  readonly hint: string | undefined;
  /** Structured facts (paths, names, requirements) for formatters and `-o json`; empty when none. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(key: ErrorCodeKey, init: OpmErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "OpmError";
    this.key = key;
    this.code = ErrorCodes[key].code;
    this.category = ErrorCodes[key].category;
    this.locations = [...(init.location === undefined ? [] : [init.location]), ...(init.locations ?? [])];
    this.hint = init.hint;
    this.details = init.details ?? {};
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }

  /** The first of `locations`: where a one-line report points. */
  get location(): SourceLocation | undefined {
    return this.locations[0];
  }

  /** `file:line:col: message [OPMxxxx]`, the one-line form used in lists of problems. */
  override toString(): string {
    return `${formatLocation(this.location)}${this.message} [${this.code}]`;
  }

  /** Plain data for JSON output; the cause is reduced to its message. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.locations.length > 0) out["locations"] = this.locations;
    if (this.hint !== undefined) out["hint"] = this.hint;
    if (Object.keys(this.details).length > 0) out["details"] = this.details;
    if (this.cause !== undefined)
      out["cause"] = this.cause instanceof Error ? this.cause.message : this.cause;
    return out;
  }
}

/** True for an OpmError, also one made by another copy of this package. */
export function isOpmError(x: unknown): x is OpmError {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[ERROR_BRAND] === true;
}

/**
 * The `file:line:col: ` prefix of a one-line message, or the empty string when there is no location; line and
 * column are left out when unknown.
 */
export function formatLocation(location: SourceLocation | undefined): string {
  if (location === undefined) return "";
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  return `${text}: `;
}

/** A non-fatal finding, e.g. an unhandled trait without `strict`. */
export interface OpmWarning {
  /** The stable `OPM####` code from the registry, as for errors. */
  readonly code: ErrorCode;
  /** One sentence for the user about what was found. */
  readonly message: string;
  /** Structured facts for formatters and `-o json`. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Collect-then-report: either a value, or every problem found. */
export type Result<T, E = OpmError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly E[] };

/** A successful Result holding `value`. */
export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

/** A failed Result carrying every problem found (callers pass at least one). */
export function fail<E = OpmError>(errors: readonly E[]): Result<never, E> {
  return { ok: false, errors };
}
