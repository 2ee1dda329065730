// Assertions shared by the conformance suites.
import { expect } from "vitest";
import { type CueEngineError, isCueEngineError } from "../errors.ts";
import type { CueIssue } from "../protocol.ts";
import type { ExpectedIssue } from "./cases.ts";

/** The CueEngineError a promise rejects with (fails the test if it resolves). */
export async function failure(promise: Promise<unknown>): Promise<CueEngineError> {
  try {
    await promise;
  } catch (error) {
    if (isCueEngineError(error)) return error;
    throw error;
  }
  throw new Error("expected the engine to fail");
}

/** `file:line:column` of an issue's first position. */
export const firstPosition = (issue: CueIssue | undefined): string => {
  const p = issue?.positions[0];
  return p === undefined ? "(none)" : `${p.file}:${p.line}:${p.column}`;
};

export function expectIssue(issues: readonly CueIssue[], expected: ExpectedIssue): void {
  const issue = issues.find((i) => i.path === expected.path);
  expect(issue, `no issue at ${expected.path} in ${JSON.stringify(issues)}`).toBeDefined();
  if (typeof expected.message === "string") expect(issue?.message).toBe(expected.message);
  else expect(issue?.message).toMatch(expected.message);
  expect(firstPosition(issue)).toBe(expected.at);
}
