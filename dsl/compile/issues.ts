// Problems found while compiling module code to CUE. Each names the construct and where it is,
// so the author can rewrite that one expression; compilation collects every problem before
// failing (collect, then report). Codes are in the dsl's OPM8xxx range (sdk/errors.ts).
import type { Node } from "ts-morph";

export const TsToCueCodes = {
  /** A construct outside the supported subset (docs/ts-to-cue.md). */
  Unsupported: "OPM8101",
  /** The file has no `export default defineModule({...})` the compiler can read. */
  NoModule: "OPM8102",
  /** A value that must be known at compile time (metadata, values) depends on config. */
  NotStatic: "OPM8103",
} as const;

export type TsToCueCode = (typeof TsToCueCodes)[keyof typeof TsToCueCodes];

export interface TsToCueIssue {
  readonly code: TsToCueCode;
  readonly message: string;
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

/** `file:line:col: message`, the form editors and terminals link. */
export function formatIssue(issue: TsToCueIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;
}

/** Collects issues while compiling one module. */
export class IssueSink {
  readonly issues: TsToCueIssue[] = [];

  report(node: Node, message: string, code: TsToCueCode = TsToCueCodes.Unsupported): void {
    const file = node.getSourceFile();
    const { line, column } = file.getLineAndColumnAtPos(node.getStart());
    this.issues.push({ code, message, file: file.getFilePath(), line, column });
  }
}

/** Thrown inside the evaluator to abandon one expression; caught where the issue is recorded. */
export class UnsupportedConstruct extends Error {
  override readonly name = "UnsupportedConstruct";
  readonly node: Node;
  readonly code: TsToCueCode;

  constructor(node: Node, message: string, code: TsToCueCode = TsToCueCodes.Unsupported) {
    super(message);
    this.node = node;
    this.code = code;
  }
}
