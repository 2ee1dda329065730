// Values layering and validation: module defaults, then each `-f` source in order, then every
// `--set`; the merged result is checked against the module's ConfigSchema and EVERY problem is
// reported at once, each located in the file whose value won for that path.
import { OpmError, type SourceLocation } from "../errors.ts";
import type { ConfigCheck, ConfigSchema, ValuesIssue } from "../ir/module.ts";
import { messageOf } from "../render/release.ts";
import { deepMerge, setPath, withoutPath } from "./merge.ts";
import { checkValuesData } from "./check.ts";
import { parseSetExpression, type SetInput } from "./set.ts";
import {
  formatValuesPath,
  hasPath,
  parseValuesSource,
  type ParsedValues,
  type ValuesPath,
  type ValuesSource,
} from "./sources.ts";

/** The layers of a release's values, lowest precedence first (docs/architecture.md, decision 2). */
export interface ValuesInput {
  /** The module's own values (lowest precedence). */
  readonly defaults?: unknown;
  /** Where the module's own values were written. */
  readonly locateDefault?: ((path: ValuesPath) => SourceLocation | undefined) | undefined;
  /** `-f` sources in order, later wins. */
  readonly files?: readonly ValuesSource[] | undefined;
  /** `--set`-family expressions in order (a string is a `--set` one), highest precedence. */
  readonly set?: readonly (string | SetInput)[] | undefined;
}

/**
 * The merged values and the layers they came from, kept so a validation problem can be located in the layer
 * whose value won.
 */
export interface LayeredValues {
  /** Every layer merged: maps key by key, lists and scalars replaced, later wins. */
  readonly values: unknown;
  /** Highest precedence first: sets, then files reversed, then defaults. */
  readonly layers: readonly ParsedValues[];
}

/**
 * Parses and merges the layers of {@link ValuesInput}. Every problem comes back at once, positioned: syntax
 * (OPM2002), a bad `--set` (OPM2003), data a values file must not hold (OPM2004); with any problem there is
 * no `layered`.
 */
export function layerValues(input: ValuesInput): { layered?: LayeredValues; errors: OpmError[] } {
  const errors: OpmError[] = [];
  const layers: ParsedValues[] = [];
  layers.push({
    name: "module defaults",
    data: input.defaults ?? {},
    locate: input.locateDefault ?? (() => undefined),
  });
  for (const source of input.files ?? []) {
    const { parsed, errors: parseErrors } = parseValuesSource(source);
    errors.push(...parseErrors);
    if (parsed === undefined) continue;
    const dataErrors = checkValuesData(parsed);
    errors.push(...dataErrors);
    if (dataErrors.length === 0) layers.push(parsed);
  }
  for (const set of input.set ?? []) {
    const { expression, error } = parseSetExpression(set);
    if (error !== undefined) errors.push(error);
    if (expression === undefined) continue;
    const location: SourceLocation = {
      file: typeof set === "string" ? `--set ${set}` : `${set.flag} ${set.text}`,
    };
    const layer: ParsedValues = {
      name: location.file,
      data: setPath({}, expression.path, expression.value),
      locate: () => location,
    };
    // A JSON value is a document of its own: the same rules as a file's (no prototype keys...).
    const dataErrors = checkValuesData(layer);
    errors.push(...dataErrors);
    if (dataErrors.length === 0) layers.push(layer);
  }
  if (errors.length > 0) return { errors };
  let values: unknown = {};
  for (const layer of layers) values = deepMerge(values, layer.data);
  return { layered: { values, layers: layers.reverse() }, errors };
}

/**
 * Finds where the value at `path` came from: the highest-precedence layer holding that exact
 * path; for a missing value, the one holding its nearest existing parent.
 */
export function locateValue(layers: readonly ParsedValues[], path: ValuesPath): SourceLocation | undefined {
  // A value some layer set is located in that layer (at its nearest located parent there).
  const owner = layers.find((layer) => hasPath(layer.data, path));
  if (owner !== undefined) {
    for (let depth = path.length; depth >= 0; depth--) {
      const location = owner.locate(path.slice(0, depth));
      if (location !== undefined) return location;
    }
    return undefined;
  }
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    for (const layer of layers) {
      if (hasPath(layer.data, prefix)) {
        const location = layer.locate(prefix);
        if (location !== undefined) return location;
      }
    }
  }
  return undefined;
}

/** Rounds of dropping values that a later layer's choice no longer allows. */
const MAX_PRUNE_ROUNDS = 8;

/** The module's config check, whose failure (module code that threw) becomes a coded error. */
function checkWith(schema: ConfigSchema): (values: unknown) => Promise<ConfigCheck> {
  return async (values) => {
    try {
      const result = await schema.validate(values);
      if (typeof result !== "object" || result === null || !Array.isArray(result.issues))
        throw new Error("it returned no list of issues");
      return result;
    } catch (cause) {
      throw new OpmError("ConfigCheckFailed", {
        message: `checking the values against the module's config failed: ${messageOf(cause)}`,
        hint: "config.validate must return { issues } and not throw; this is a bug in the module",
        cause,
      });
    }
  };
}

/**
 * Checks layered values; returns the checked value (with schema defaults) or every problem.
 *
 * A later layer replaces what an earlier one chose, so a field an earlier layer set that the
 * schema no longer allows once a later layer chose another shape for its parent (another
 * branch of a disjunction, a field that exists only under another setting) is dropped, as
 * replacing the earlier layer's value whole would have dropped it. Only fields that were valid
 * in the earlier layers are dropped this way; anything else is reported.
 */
export async function validateValues(
  schema: ConfigSchema | undefined,
  layered: LayeredValues,
): Promise<{ values: unknown; errors: OpmError[] }> {
  if (schema === undefined) return { values: layered.values, errors: [] };
  try {
    return await validateLayers(checkWith(schema), layered);
  } catch (error) {
    if (error instanceof OpmError && error.key === "ConfigCheckFailed")
      return { values: layered.values, errors: [error] };
    throw error;
  }
}

async function validateLayers(
  check: (values: unknown) => Promise<ConfigCheck>,
  layered: LayeredValues,
): Promise<{ values: unknown; errors: OpmError[] }> {
  const lowest = [...layered.layers].reverse();
  const lowerIssues = new Map<number, readonly ValuesIssue[]>();
  const issuesUpTo = async (index: number): Promise<readonly ValuesIssue[]> => {
    let issues = lowerIssues.get(index);
    if (issues === undefined) {
      let merged: unknown = {};
      for (const layer of lowest.slice(0, index + 1)) merged = deepMerge(merged, layer.data);
      issues = (await check(merged)).issues;
      lowerIssues.set(index, issues);
    }
    return issues;
  };
  let values = layered.values;
  let checked = await check(values);
  for (let round = 0; round < MAX_PRUNE_ROUNDS && checked.issues.length > 0; round++) {
    const stale: ValuesPath[] = [];
    for (const issue of checked.issues) {
      if (issue.kind !== "notAllowed") continue;
      const origin = highestLayerWith(lowest, issue.path);
      const parent = highestLayerWith(lowest, issue.path.slice(0, -1));
      if (origin === undefined || parent === undefined || origin >= parent) continue;
      const before = await issuesUpTo(origin);
      if (before.some((earlier) => related(earlier.path, issue.path))) continue;
      stale.push(issue.path);
    }
    if (stale.length === 0) break;
    for (const path of stale) values = withoutPath(values, path);
    checked = await check(values);
  }
  const errors = checked.issues.map((issue) => {
    const where = formatValuesPath(issue.path);
    return new OpmError("InvalidValues", {
      message: `${where}: ${issue.message}`,
      location: locateValue(layered.layers, issue.path),
      hint: issue.expected === undefined ? undefined : `expected ${issue.expected}`,
      details: { path: issue.path, ...(issue.expected === undefined ? {} : { expected: issue.expected }) },
    });
  });
  return { values: "value" in checked ? checked.value : values, errors };
}

/** The index (lowest first) of the highest layer that sets `path`. */
function highestLayerWith(lowest: readonly ParsedValues[], path: ValuesPath): number | undefined {
  for (let i = lowest.length - 1; i >= 0; i--) if (hasPath(lowest[i]!.data, path)) return i;
  return undefined;
}

/** True when one path lies on the other (equal, above or below). */
function related(a: ValuesPath, b: ValuesPath): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
