// The ConfigSchema of a CUE module: values are checked by unifying them with the module's
// `#config` in the engine. CUE reports one kind of problem at a time (type conflicts hide
// closedness errors, which hide missing required fields), so the check runs in rounds: each
// round removes the offending values and checks again, until no new problem appears. Every
// problem names the `#config` line that constrains the value; sdk adds the values file position.
import type { ConfigCheck, ConfigSchema, ValuesIssue } from "../../sdk/index.ts";
import type { CueEngine } from "../engine.ts";
import type { CueIssue, CuePosition, JsonValue } from "../protocol.ts";
import type { CueValue } from "../value.ts";
import { CONFIG_CHECK_PATH, VALUES_PATH } from "./overlay.ts";
import { authorPositions, formatPosition, pathBelow, type AuthorFileTest } from "./paths.ts";

const MAX_ROUNDS = 8;

export function cueConfigSchema(
  engine: CueEngine,
  module: CueValue,
  isAuthorFile: AuthorFileTest,
): ConfigSchema {
  return {
    validate: (values: unknown) => checkValues(engine, module, values, isAuthorFile),
  };
}

async function checkValues(
  engine: CueEngine,
  module: CueValue,
  values: unknown,
  isAuthorFile: AuthorFileTest,
): Promise<ConfigCheck> {
  const issues: ValuesIssue[] = [];
  const current = structuredClone(values ?? {}) as JsonValue;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const filled = await engine.fill(module, VALUES_PATH, { json: current });
    try {
      const report = await engine.validate(filled, { path: CONFIG_CHECK_PATH, concrete: true });
      if (report.ok && issues.length === 0) {
        return { issues, value: await engine.export(filled, { path: CONFIG_CHECK_PATH }) };
      }
      const fresh: ValuesIssue[] = [];
      for (const issue of withoutSummaries(report.issues)) {
        const schema =
          authorPositions(issue, isAuthorFile)[0] ??
          (await enclosingSchemaPosition(engine, module, current, issue, isAuthorFile));
        const converted = toValuesIssue(issue, schema);
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
      await filled.release();
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

function toValuesIssue(issue: CueIssue, schema: CuePosition | undefined): ValuesIssue | undefined {
  const path = pathBelow(issue.path, CONFIG_CHECK_PATH);
  if (path === undefined) return undefined;
  const where = schema === undefined ? "" : ` (constrained by #config at ${formatPosition(schema)})`;
  return { path, message: `${describe(issue.message)}${where}` };
}

/**
 * Where `#config` declares the struct that holds the value at `issue`'s path. CUE positions a
 * closedness error ("field not allowed") at the value only; putting a scalar where the
 * enclosing struct is makes CUE name that struct's declaration.
 */
async function enclosingSchemaPosition(
  engine: CueEngine,
  module: CueValue,
  values: JsonValue,
  issue: CueIssue,
  isAuthorFile: AuthorFileTest,
): Promise<CuePosition | undefined> {
  const path = pathBelow(issue.path, CONFIG_CHECK_PATH);
  if (path === undefined || path.length === 0) return undefined;
  const parent = path.slice(0, -1);
  const probe = parent.length === 0 ? 0 : replaceAt(structuredClone(values), parent, 0);
  const filled = await engine.fill(module, VALUES_PATH, { json: probe });
  try {
    const report = await engine.validate(filled, { path: CONFIG_CHECK_PATH });
    const target = [CONFIG_CHECK_PATH, ...parent.map(String)].join(".");
    for (const found of report.issues) {
      const position = authorPositions(found, isAuthorFile)[0];
      if (position !== undefined && (parent.length === 0 || found.path === target)) return position;
    }
    return undefined;
  } finally {
    await filled.release();
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
