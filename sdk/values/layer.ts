// Values layering and validation: module defaults, then each `-f` source in order, then every
// `--set`; the merged result is checked against the module's ConfigSchema and EVERY problem is
// reported at once, each located in the file whose value won for that path.
import { OpmError, type SourceLocation } from "../errors.ts";
import type { ConfigSchema } from "../ir/module.ts";
import { deepMerge, setPath } from "./merge.ts";
import { parseSetExpression } from "./set.ts";
import {
  hasPath,
  parseValuesSource,
  type ParsedValues,
  type ValuesPath,
  type ValuesSource,
} from "./sources.ts";

export interface ValuesInput {
  /** The module's own values (lowest precedence). */
  readonly defaults?: unknown;
  /** Where the module's own values were written. */
  readonly locateDefault?: ((path: ValuesPath) => SourceLocation | undefined) | undefined;
  /** `-f` sources in order, later wins. */
  readonly files?: readonly ValuesSource[] | undefined;
  /** `--set path=value` expressions in order, highest precedence. */
  readonly set?: readonly string[] | undefined;
}

export interface LayeredValues {
  readonly values: unknown;
  /** Highest precedence first: sets, then files reversed, then defaults. */
  readonly layers: readonly ParsedValues[];
}

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
    if (parsed !== undefined) layers.push(parsed);
  }
  for (const text of input.set ?? []) {
    const { expression, error } = parseSetExpression(text);
    if (error !== undefined) errors.push(error);
    if (expression === undefined) continue;
    const location: SourceLocation = { file: `--set ${text}` };
    layers.push({
      name: location.file,
      data: setPath({}, expression.path, expression.value),
      locate: () => location,
    });
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

export function formatValuesPath(path: ValuesPath): string {
  let out = "values";
  for (const segment of path) out += typeof segment === "number" ? `[${segment}]` : `.${segment}`;
  return out;
}

/** Checks layered values; returns the checked value (with schema defaults) or every problem. */
export async function validateValues(
  schema: ConfigSchema | undefined,
  layered: LayeredValues,
): Promise<{ values: unknown; errors: OpmError[] }> {
  if (schema === undefined) return { values: layered.values, errors: [] };
  const check = await schema.validate(layered.values);
  const errors = check.issues.map((issue) => {
    const where = formatValuesPath(issue.path);
    return new OpmError("InvalidValues", {
      message: `${where}: ${issue.message}`,
      location: locateValue(layered.layers, issue.path),
      hint: issue.expected === undefined ? undefined : `expected ${issue.expected}`,
      details: { path: issue.path, ...(issue.expected === undefined ? {} : { expected: issue.expected }) },
    });
  });
  return { values: "value" in check ? check.value : layered.values, errors };
}
