// What every values layer must be before it is merged: plain data. Values come from files a user
// may not have written (a chart's defaults, a generated file), so a layer is refused, with the
// place of each problem, when it holds a key that names an object's prototype (`__proto__`,
// `constructor`, `prototype`: merged into a map they would reach every object's prototype, or be
// lost), anything but maps, lists, strings, numbers, booleans and null (a function, a Date, a
// YAML `!!set`), a cycle, nesting deeper than MAX_VALUES_DEPTH, or more than MAX_VALUES_NODES
// nodes (aliases in YAML, shared objects in TS, can make a small file stand for a huge tree).
import { OpmError } from "../errors.ts";
import { messageOf } from "../render/release.ts";
import { formatValuesPath as formatPath, type ParsedValues, type ValuesPath } from "./sources.ts";

/** Keys that name an object's prototype or its constructor. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
/** Deepest nesting accepted; real values nest a dozen levels at most. */
export const MAX_VALUES_DEPTH = 100;
/** Most nodes (maps, lists and scalars, counted along every path) one layer may hold. */
export const MAX_VALUES_NODES = 1_000_000;

/** What a non-plain value is, for the message; undefined when the value is plain data. */
function notPlain(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : `the number ${String(value)}`;
    case "undefined":
      return undefined;
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    case "bigint":
      return "a bigint";
  }
  if (value === null || Array.isArray(value)) return undefined;
  const proto = Object.getPrototypeOf(value) as object | null;
  // Plain objects of any realm: their prototype is null or a realm's Object.prototype.
  if (proto === null || Object.getPrototypeOf(proto) === null) return undefined;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? `a ${name}` : "an object that is not plain data";
}

const READ_HINT = "values are plain data: no getters or proxies";

/** Every problem of one layer; an empty list means the layer is plain data. */
export function checkValuesData(layer: ParsedValues): OpmError[] {
  const errors: OpmError[] = [];
  const problem = (path: ValuesPath, message: string, hint: string) =>
    errors.push(
      new OpmError("InvalidValuesData", {
        message: `${formatPath(path)}: ${message}`,
        location: layer.locate(path) ?? { file: layer.name },
        hint,
        details: { path },
      }),
    );
  let nodes = 0;
  // Data from code (a `.ts` values file) can run code when read: a getter or a proxy that throws
  // is a problem of that value, not a crash of the check.
  const walk = (value: unknown, path: ValuesPath, ancestors: readonly object[]): boolean => {
    try {
      return walkPlain(value, path, ancestors);
    } catch (cause) {
      problem(path, `reading it threw: ${messageOf(cause)}`, READ_HINT);
      return true;
    }
  };
  const walkPlain = (value: unknown, path: ValuesPath, ancestors: readonly object[]): boolean => {
    if (++nodes > MAX_VALUES_NODES) {
      problem(
        [],
        `more than ${MAX_VALUES_NODES} values`,
        "values this large are a mistake; split or trim the file",
      );
      return false;
    }
    const kind = notPlain(value);
    if (kind !== undefined) {
      problem(path, `${kind} is not a value`, "values are maps, lists, strings, numbers, booleans and null");
      return true;
    }
    if (typeof value !== "object" || value === null) return true;
    if (ancestors.includes(value)) {
      problem(path, "refers to a map or list that contains it", "values must not refer to themselves");
      return true;
    }
    if (path.length >= MAX_VALUES_DEPTH) {
      problem(path, `nested deeper than ${MAX_VALUES_DEPTH} levels`, "flatten the values");
      return true;
    }
    const inside = [...ancestors, value];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (!walk(value[i], [...path, i], inside)) return false;
      return true;
    }
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key === "symbol") {
        problem(path, "has a symbol key", "values are plain data");
        continue;
      }
      if (PROTOTYPE_KEYS.has(key)) {
        // Located at its map, as unknown keys are: the key's own value may be anything.
        problem(path, `the key ${JSON.stringify(key)} is not allowed`, "rename the key");
        continue;
      }
      let child: unknown;
      try {
        child = (value as Record<string, unknown>)[key];
      } catch (cause) {
        problem([...path, key], `reading it threw: ${messageOf(cause)}`, READ_HINT);
        continue;
      }
      if (!walk(child, [...path, key], inside)) return false;
    }
    return true;
  };
  walk(layer.data, [], []);
  return errors;
}
