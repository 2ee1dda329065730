// Problems found while compiling module code to CUE. Each names the construct and where it is,
// so the author can rewrite that one expression; compilation collects every problem before
// failing (collect, then report). Codes are the OPM81xx entries of sdk/error-codes.ts.
import type { Node } from "ts-morph";
import { ErrorCodes } from "../../sdk/index.ts";

/** Why a piece of module code does not compile (a key of the OPM81xx registry entries). */
export type TsToCueProblem = "TsUnsupported" | "TsNoModule" | "TsNotStatic";

/** The OPM code of each problem. */
export type TsToCueCode = (typeof ErrorCodes)[TsToCueProblem]["code"];

/** One construct of module code that does not compile to CUE, at its position in the module. */
export interface TsToCueIssue {
  /**
   * OPM8101 (a construct outside the supported subset), OPM8102 (no `defineModule` default export)
   * or OPM8103 (metadata or values that depend on config).
   */
  readonly code: TsToCueCode;
  /** What the construct is and why it does not compile. */
  readonly message: string;
  /** The module file's absolute path. */
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

  report(node: Node, message: string, problem: TsToCueProblem = "TsUnsupported"): void {
    const file = node.getSourceFile();
    const { line, column } = file.getLineAndColumnAtPos(node.getStart());
    this.issues.push({ code: ErrorCodes[problem].code, message, file: file.getFilePath(), line, column });
  }
}

/** Thrown inside the evaluator to abandon one expression; caught where the issue is recorded. */
export class UnsupportedConstruct extends Error {
  override readonly name = "UnsupportedConstruct";
  readonly node: Node;
  readonly problem: TsToCueProblem;

  constructor(node: Node, message: string, problem: TsToCueProblem = "TsUnsupported") {
    super(message);
    this.node = node;
    this.problem = problem;
  }
}
