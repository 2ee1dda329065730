// Errors of the CUE engine. A CueEngineError is an OpmError (the one error shape: an OPM5xxx
// code, message, locations, hint) that also keeps the engine's own `reason` (for callers to
// branch on) and, for CUE errors, every individual issue with its value path and all source
// positions, so callers report them as they are instead of parsing messages.
import type { ErrorCodeKey } from "../sdk/error-codes.ts";
import { OpmError } from "../sdk/errors.ts";
import type { CueIssue, EngineErrorCode } from "./protocol.ts";

/** Reasons raised by the client around the engine (its process, its transport, the caller). */
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

/** Why an engine request failed: the engine's own answer, or a fault around it. */
export type CueEngineErrorCode = EngineErrorCode | ClientErrorCode;

/** The registry entry (sdk/error-codes.ts) each reason is reported under. */
const REASON_KEYS: Readonly<Record<CueEngineErrorCode, ErrorCodeKey>> = {
  InvalidRequest: "EngineInvalidRequest",
  UnknownMethod: "EngineUnknownMethod",
  UnknownHandle: "EngineUnknownHandle",
  CueError: "CueEvaluation",
  LoadError: "CueLoad",
  NotFound: "CuePathNotFound",
  MemoryLimit: "EngineMemoryLimit",
  Internal: "EngineInternal",
  EngineUnavailable: "EngineUnavailable",
  EngineCrashed: "EngineCrashed",
  Timeout: "EngineTimeout",
  Aborted: "EngineAborted",
  Closed: "EngineClosed",
  HandleInvalidated: "HandleInvalidated",
  ProtocolError: "EngineProtocol",
};

const REASON_HINTS: Partial<Record<CueEngineErrorCode, string>> = {
  EngineUnavailable: "reinstall @opm/sdk, or in a checkout build the engine with `npm run build:engine`",
  MemoryLimit: "the module is too large to evaluate within the engine's memory limit",
};

/** What the client knows about a failed engine request; the OPM code follows from `code`. */
export interface CueEngineErrorInit {
  /** The engine's reason. */
  readonly code: CueEngineErrorCode;
  /** The engine's or the client's message. */
  readonly message: string;
  /**
   * Every CUE error behind the failure, with positions; the first position of each becomes a
   * location.
   */
  readonly issues?: readonly CueIssue[] | undefined;
  /** The engine method that failed. */
  readonly method?: string | undefined;
  /** What the user can do; a default exists for some reasons (a missing engine, the memory limit). */
  readonly hint?: string | undefined;
  /** The underlying error (a process or transport fault). */
  readonly cause?: unknown;
}

const BRAND = Symbol.for("opm.CueEngineError");

/**
 * A failed CUE engine request, in OPM's one error shape: an OPM5xxx code by reason (OPM5004 CUE
 * does not evaluate, OPM5005 a package cannot be loaded, OPM5011 a timeout, ...), plus the engine's
 * `reason` and every CUE issue with its positions.
 */
export class CueEngineError extends OpmError {
  /** The engine's reason, stable for callers to branch on (`code` is the OPM code users see). */
  readonly reason: CueEngineErrorCode;
  /** Every CUE error behind this failure; empty for errors of the process or transport. */
  readonly issues: readonly CueIssue[];
  /** The engine method that failed, when there was one. */
  readonly method: string | undefined;

  constructor(init: CueEngineErrorInit) {
    const issues = init.issues ?? [];
    super(REASON_KEYS[init.code], {
      message: init.message,
      locations: issues.flatMap((issue) => issue.positions.slice(0, 1)),
      hint: init.hint ?? REASON_HINTS[init.code],
      cause: init.cause,
      details: issues.length === 0 ? undefined : { issues },
    });
    this.name = "CueEngineError";
    this.reason = init.code;
    this.issues = issues;
    this.method = init.method;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Each issue as `file:line:col: path: message`, the form compilers print. */
  describeIssues(): string[] {
    return describeCueIssues(this.issues);
  }
}

/** Each issue as `file:line:col: path: message`, the form compilers print. */
export function describeCueIssues(issues: readonly CueIssue[]): string[] {
  return issues.map((issue) => {
    const where = issue.positions[0];
    const location = where === undefined ? "" : `${where.file}:${where.line}:${where.column}: `;
    return `${location}${issue.path === "" ? "" : `${issue.path}: `}${issue.message}`;
  });
}

/** True for a CueEngineError (also one from another copy of this package), optionally of a reason. */
export function isCueEngineError(x: unknown, reason?: CueEngineErrorCode): x is CueEngineError {
  if (typeof x !== "object" || x === null || (x as Record<symbol, unknown>)[BRAND] !== true) return false;
  return reason === undefined || (x as CueEngineError).reason === reason;
}

/** The error for a value whose engine has restarted since it was made. */
export function staleHandle(): CueEngineError {
  return new CueEngineError({
    code: "HandleInvalidated",
    message: "this value belongs to an engine that has since restarted; load or compile it again",
  });
}
