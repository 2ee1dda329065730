// Authoring errors (OPM8xxx, the dsl's range; see sdk/errors.ts): mistakes in module code that
// are found while building the IR, such as one definition's spec given twice in a component.
import type { SourceLocation } from "../sdk/index.ts";

export const DslErrorCodes = {
  DuplicateSpec: "OPM8001",
  LabelConflict: "OPM8002",
  InvalidModule: "OPM8003",
  ModuleLoad: "OPM8004",
} as const;

export type DslErrorCode = (typeof DslErrorCodes)[keyof typeof DslErrorCodes];

export class AuthoringError extends Error {
  override readonly name = "AuthoringError";
  readonly code: DslErrorCode;
  readonly hint: string | undefined;
  /** Where in the user's file the problem is, when known (a compile error's position). */
  readonly location: SourceLocation | undefined;

  constructor(
    code: DslErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown; location?: SourceLocation } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
  }
}
