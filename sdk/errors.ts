// Typed errors with stable codes. Every problem OPM reports to a user carries a code from the
// registry below, a message derived from structured fields, an optional source location, a hint
// that says what to do, and the underlying cause. Codes are never reused: retire a code by
// marking it `retired`, never by deleting or renumbering it.
//
// Ranges: OPM1xxx identity and names, OPM2xxx values and config, OPM3xxx render (match, order,
// duplicates), OPM4xxx transformer execution, OPM5xxx CUE engine (bridge), OPM6xxx cluster side,
// OPM7xxx CLI and configuration, OPM8xxx authoring (dsl, catalog), OPM9xxx distribution
// (providers/oci). Layers outside sdk allocate their codes inside their own range so this file
// stays the single place that names the ranges.

/** What kind of failure a code describes; the CLI maps categories to exit codes. */
export type ErrorCategory =
  | "validation"
  | "render"
  | "internal"
  // cluster side (providers/kubernetes/cluster): the CLI maps these to exit codes 3, 4, 5 and 1.
  | "connectivity"
  | "permission"
  | "not-found"
  | "cluster";

interface CodeEntry {
  readonly code: `OPM${number}`;
  readonly category: ErrorCategory;
  readonly summary: string;
  readonly retired?: true;
}

/** The central registry of error codes owned by sdk. Keys are stable identifiers for code. */
export const ErrorCodes = {
  InvalidName: { code: "OPM1001", category: "validation", summary: "a name is not an RFC-1123 DNS label" },
  InvalidVersion: { code: "OPM1002", category: "validation", summary: "a version is not SemVer 2.0" },
  InvalidApiVersion: { code: "OPM1003", category: "validation", summary: "an apiVersion is malformed" },
  InvalidFqn: { code: "OPM1004", category: "validation", summary: "a fully qualified name is malformed" },
  InvalidLabel: { code: "OPM1005", category: "validation", summary: "a label key or value is invalid" },
  LabelConflict: {
    code: "OPM1006",
    category: "validation",
    summary: "two sources give one label different values",
  },
  InvalidSpecKey: {
    code: "OPM1007",
    category: "validation",
    summary: "a definition's spec key breaks the rule",
  },
  InvalidValues: {
    code: "OPM2001",
    category: "validation",
    summary: "a value does not satisfy the config schema",
  },
  ValuesParse: { code: "OPM2002", category: "validation", summary: "a values file cannot be parsed" },
  InvalidSetExpression: {
    code: "OPM2003",
    category: "validation",
    summary: "a --set expression is malformed",
  },
  UnmatchedComponent: { code: "OPM3001", category: "render", summary: "no transformer matched a component" },
  UnhandledTrait: { code: "OPM3002", category: "render", summary: "no matching transformer handles a trait" },
  DuplicateObject: { code: "OPM3003", category: "render", summary: "two outputs are the same object" },
  InvalidOutput: { code: "OPM3004", category: "render", summary: "a transformer output is not an object" },
  ComponentsUnresolved: {
    code: "OPM3005",
    category: "render",
    summary: "a module's components cannot be built",
  },
  BlueprintConflict: { code: "OPM3006", category: "render", summary: "a blueprint and a component disagree" },
  SpecNotAllowed: {
    code: "OPM3007",
    category: "validation",
    summary: "a component spec field belongs to none of its definitions",
  },
  InvalidSpec: {
    code: "OPM3008",
    category: "validation",
    summary: "a component spec violates a definition's schema",
  },
  TransformFailed: { code: "OPM4001", category: "render", summary: "a transformer threw" },
  MatchFailed: { code: "OPM4002", category: "render", summary: "a transformer's match predicate threw" },
  ClusterUnreachable: { code: "OPM6001", category: "connectivity", summary: "the cluster cannot be reached" },
  ClusterForbidden: {
    code: "OPM6002",
    category: "permission",
    summary: "the cluster refused the credentials",
  },
  ClusterNotFound: {
    code: "OPM6003",
    category: "not-found",
    summary: "an object or API is not on the cluster",
  },
  FieldConflict: { code: "OPM6004", category: "cluster", summary: "another field manager owns a field" },
  ObjectRejected: { code: "OPM6005", category: "cluster", summary: "the cluster rejected an object" },
  InventoryConflict: { code: "OPM6006", category: "cluster", summary: "the release changed during apply" },
  ObjectNotOwned: {
    code: "OPM6007",
    category: "cluster",
    summary: "an object exists but is not the release's",
  },
  ObjectTerminating: { code: "OPM6008", category: "cluster", summary: "an object is being deleted" },
  EmptyRenderPrune: {
    code: "OPM6009",
    category: "cluster",
    summary: "an empty render would prune everything",
  },
  WaitTimeout: { code: "OPM6010", category: "cluster", summary: "objects did not become ready in time" },
  ReleaseNotFound: { code: "OPM6011", category: "not-found", summary: "no release inventory on the cluster" },
  ClusterRequestFailed: { code: "OPM6012", category: "cluster", summary: "a cluster request failed" },
  KubeconfigUnusable: {
    code: "OPM6013",
    category: "connectivity",
    summary: "no usable kubeconfig or context",
  },
  ApplyInterrupted: { code: "OPM6014", category: "cluster", summary: "an apply stopped before it finished" },
} as const satisfies Record<string, CodeEntry>;

export type ErrorCodeKey = keyof typeof ErrorCodes;
export type ErrorCode = (typeof ErrorCodes)[ErrorCodeKey]["code"];

/** A position in a user's file; line and column are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export interface OpmErrorInit {
  readonly message: string;
  readonly location?: SourceLocation | undefined;
  readonly hint?: string | undefined;
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
  readonly code: ErrorCode;
  readonly key: ErrorCodeKey;
  readonly category: ErrorCategory;
  readonly location: SourceLocation | undefined;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(key: ErrorCodeKey, init: OpmErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "OpmError";
    this.key = key;
    this.code = ErrorCodes[key].code;
    this.category = ErrorCodes[key].category;
    this.location = init.location;
    this.hint = init.hint;
    this.details = init.details ?? {};
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }

  /** `file:line:col: message [OPMxxxx]`, the one-line form used in lists of problems. */
  override toString(): string {
    return `${formatLocation(this.location)}${this.message} [${this.code}]`;
  }

  /** Plain data for JSON output; the cause is reduced to its message. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.location !== undefined) out["location"] = this.location;
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

export function formatLocation(location: SourceLocation | undefined): string {
  if (location === undefined) return "";
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  return `${text}: `;
}

/** A non-fatal finding, e.g. an unhandled trait without `strict`. */
export interface OpmWarning {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Collect-then-report: either a value, or every problem found. */
export type Result<T, E = OpmError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly E[] };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function fail<E = OpmError>(errors: readonly E[]): Result<never, E> {
  return { ok: false, errors };
}
