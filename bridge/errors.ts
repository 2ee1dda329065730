// Errors of the CUE engine as typed values. A CueEngineError has a stable `code` and, for CUE
// errors, every individual issue with its value path and all source positions: callers report
// them as they are instead of parsing messages.
import type { CueIssue, EngineErrorCode } from "./protocol.ts";

/** Codes raised by the client around the engine (its process, its transport, the caller). */
export type ClientErrorCode =
  /** The engine binary or wasm file is missing; run `npm run build:engine`. */
  | "EngineUnavailable"
  /** The engine process died (or was killed) while this request was in flight. */
  | "EngineCrashed"
  /** The request took longer than its timeout; the native engine is restarted. */
  | "Timeout"
  /** The caller's AbortSignal fired. */
  | "Aborted"
  /** The engine was closed, or is closing. */
  | "Closed"
  /** A handle from before an engine restart, or already released. */
  | "HandleInvalidated"
  /** The engine answered something that is not the protocol. */
  | "ProtocolError";

export type CueEngineErrorCode = EngineErrorCode | ClientErrorCode;

const BRAND = Symbol.for("opm.CueEngineError");

export interface CueEngineErrorInit {
  readonly code: CueEngineErrorCode;
  readonly message: string;
  readonly issues?: readonly CueIssue[] | undefined;
  readonly method?: string | undefined;
  readonly cause?: unknown;
}

export class CueEngineError extends Error {
  readonly code: CueEngineErrorCode;
  /** Every CUE error behind this failure; empty for errors of the process or transport. */
  readonly issues: readonly CueIssue[];
  /** The engine method that failed, when there was one. */
  readonly method: string | undefined;

  constructor(init: CueEngineErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "CueEngineError";
    this.code = init.code;
    this.issues = init.issues ?? [];
    this.method = init.method;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Each issue as `file:line:col: path: message`, the form compilers print. */
  describeIssues(): string[] {
    return this.issues.map((issue) => {
      const where = issue.positions[0];
      const location = where === undefined ? "" : `${where.file}:${where.line}:${where.column}: `;
      return `${location}${issue.path === "" ? "" : `${issue.path}: `}${issue.message}`;
    });
  }
}

/** True for a CueEngineError (also one from another copy of this package), optionally of a code. */
export function isCueEngineError(x: unknown, code?: CueEngineErrorCode): x is CueEngineError {
  if (typeof x !== "object" || x === null || (x as Record<symbol, unknown>)[BRAND] !== true) return false;
  return code === undefined || (x as CueEngineError).code === code;
}

/** The error for a value whose engine has restarted since it was made. */
export function staleHandle(): CueEngineError {
  return new CueEngineError({
    code: "HandleInvalidated",
    message: "this value belongs to an engine that has since restarted; load or compile it again",
  });
}
