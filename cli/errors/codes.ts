// The exit codes of `opm` and the one rule that maps an error's category (sdk/error-codes.ts)
// to them. The exit codes are a public contract: scripts branch on them.
import type { ErrorCategory } from "../../sdk/error-codes.ts";

/** Process exit codes of `opm`. `diff` follows kubectl instead (0 same, 1 differs, >1 error). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  validation: 2,
  connectivity: 3,
  permission: 4,
  notFound: 5,
} as const;

export type ExitKind = keyof typeof ExitCode;

/** The exit kind of every error category. */
export const CATEGORY_EXIT: Readonly<Record<ErrorCategory, ExitKind>> = {
  validation: "validation",
  render: "validation",
  connectivity: "connectivity",
  permission: "permission",
  "not-found": "notFound",
  cluster: "failure",
  failure: "failure",
  internal: "failure",
};

/**
 * How severe an exit kind is when several problems are reported at once: the most severe wins.
 * Not reaching the cluster or being refused outranks what was found in the input, which
 * outranks a missing file, which outranks a general failure.
 */
export const EXIT_SEVERITY: Readonly<Record<ExitKind, number>> = {
  ok: 0,
  failure: 1,
  notFound: 2,
  validation: 3,
  permission: 4,
  connectivity: 5,
};
