// The ConfigSchema of a CUE module: values are checked by unifying them with the module's
// `#config` in the engine (the `#config` value alone: filling the module root would re-evaluate
// the whole package, five times slower). A definition is closed, so unknown keys are rejected. CUE reports one kind of problem at a time (type conflicts hide
// closedness errors, which hide missing required fields), so the check runs in rounds: each
// round removes the offending values and checks again, until no new problem appears. Every
// problem names the `#config` line that constrains the value; sdk adds the values file position.
import type { ConfigCheck, ConfigSchema, ValuesIssue } from "../../sdk/index.ts";
import type { CueEngine } from "../engine.ts";
import type { CueIssue, CuePosition, JsonValue } from "../protocol.ts";
import type { CueValue } from "../value.ts";
import { authorPositions, formatPosition, pathBelow, type AuthorFileTest } from "./paths.ts";

const MAX_ROUNDS = 8;

/** The file name the checked values carry in positions (never an author file). */
export const VALUES_FILE = "values.json";

/**
 * `config` is the module's `#config` value and `configPath` its CUE path in the package (e.g.
 * `#config`), the root of every issue path the engine reports.
 */
export function cueConfigSchema(
  engine: CueEngine,
  config: CueValue,
  configPath: string,
  isAuthorFile: AuthorFileTest,
): ConfigSchema {
  const check: Checker = { engine, config, configPath, isAuthorFile };
  return { validate: (values: unknown) => checkValues(check, values) };
}

interface Checker {
  readonly engine: CueEngine;
  readonly config: CueValue;
  readonly configPath: string;
  readonly isAuthorFile: AuthorFileTest;
}

/** `#config` unified with `values`; the caller releases the result. */
async function unifyValues(check: Checker, values: JsonValue): Promise<CueValue> {
  const compiled = await check.engine.compile(JSON.stringify(values), { filename: VALUES_FILE });
  try {
    return await check.engine.unify(check.config, compiled);
  } finally {
    await compiled.release();
  }
}

async function checkValues(check: Checker, values: unknown): Promise<ConfigCheck> {
  const { engine } = check;
  // The common case, valid values, costs one unify and one export; the rounds run on failure only.
  const first = await unifyValues(check, (values ?? {}) as JsonValue);
  try {
    return { issues: [], value: await engine.export(first) };
  } catch {
    // Invalid or incomplete: collect every problem below.
  } finally {
    await first.release();
  }
  const issues: ValuesIssue[] = [];
  const current = structuredClone(values ?? {}) as JsonValue;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const unified = await unifyValues(check, current);
    try {
      const report = await engine.validate(unified, { concrete: true });
      const fresh: ValuesIssue[] = [];
      for (const issue of withoutSummaries(report.issues)) {
        const schema =
          authorPositions(issue, check.isAuthorFile)[0] ??
          (await enclosingSchemaPosition(check, current, issue));
        const converted = toValuesIssue(check, issue, schema);
        if (converted === undefined) continue;
        if (issues.some((seen) => isPrefix(seen.path, converted.path))) continue;
        fresh.push(converted);
      }
      if (fresh.length === 0) break;
      issues.push(...dedupe(fresh));
      let removed = false;
      for (const issue of fresh) removed = deletePath(current, issue.path) || removed;
      if (!removed) break;
    } finally {
      await unified.release();
    }
  }
  return { issues };
}

/** Drops CUE's "N errors in empty disjunction:" headers where the errors themselves follow. */
function withoutSummaries(issues: readonly CueIssue[]): CueIssue[] {
  return issues.filter(
    (issue) =>
      !/errors in empty disjunction:?$/.test(issue.message) ||
      !issues.some((other) => other !== issue && other.path === issue.path),
  );
}

function toValuesIssue(
  check: Checker,
  issue: CueIssue,
  schema: CuePosition | undefined,
): ValuesIssue | undefined {
  const path = pathBelow(issue.path, check.configPath);
  if (path === undefined) return undefined;
  const where = schema === undefined ? "" : ` (constrained by #config at ${formatPosition(schema)})`;
  return {
    path,
    message: `${describe(issue.message)}${where}`,
    ...(issue.message.startsWith("field not allowed") ? { kind: "notAllowed" as const } : {}),
  };
}

/**
 * Where `#config` declares the struct that holds the value at `issue`'s path. CUE positions a
 * closedness error ("field not allowed") at the value only; putting a scalar where the
 * enclosing struct is makes CUE name that struct's declaration.
 */
async function enclosingSchemaPosition(
  check: Checker,
  values: JsonValue,
  issue: CueIssue,
): Promise<CuePosition | undefined> {
  const path = pathBelow(issue.path, check.configPath);
  if (path === undefined || path.length === 0) return undefined;
  const parent = path.slice(0, -1);
  const probe = parent.length === 0 ? 0 : replaceAt(structuredClone(values), parent, 0);
  const unified = await unifyValues(check, probe);
  try {
    const report = await check.engine.validate(unified);
    const target = [check.configPath, ...parent.map(String)].join(".");
    for (const found of report.issues) {
      const position = authorPositions(found, check.isAuthorFile)[0];
      if (position !== undefined && (parent.length === 0 || found.path === target)) return position;
    }
    return undefined;
  } finally {
    await unified.release();
  }
}

function replaceAt(root: JsonValue, path: readonly (string | number)[], value: JsonValue): JsonValue {
  let node: unknown = root;
  for (const segment of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[segment];
  (node as Record<string | number, unknown>)[path[path.length - 1]!] = value;
  return root;
}

/** CUE's wording, with the one message users misread made explicit. */
function describe(message: string): string {
  if (message.startsWith("incomplete value")) return `missing value: ${message}`;
  return message;
}

function isPrefix(prefix: readonly (string | number)[], path: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => path[i] === s);
}

function dedupe(issues: ValuesIssue[]): ValuesIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = JSON.stringify([issue.path, issue.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Removes the value at `path`; false when there was none. */
function deletePath(root: JsonValue, path: readonly (string | number)[]): boolean {
  if (path.length === 0) return false;
  let node: unknown = root;
  for (const segment of path.slice(0, -1)) {
    if (typeof node !== "object" || node === null) return false;
    node = (node as Record<string | number, unknown>)[segment];
  }
  if (typeof node !== "object" || node === null) return false;
  const last = path[path.length - 1]!;
  if (Array.isArray(node) && typeof last === "number") {
    if (last >= node.length) return false;
    node[last] = null;
    return true;
  }
  if (!Object.prototype.hasOwnProperty.call(node, last)) return false;
  delete (node as Record<string | number, unknown>)[last];
  return true;
}
