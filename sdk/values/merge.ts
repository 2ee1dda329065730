// Deep merge for values layering (docs/architecture.md, decision 2): maps merge key by key, later wins; lists
// and scalars are replaced whole. Inputs are never mutated.
import type { ValuesPath } from "./sources.ts";

function isPlainMap(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * `overlay` merged over `base`: maps merge key by key, anything else in `overlay` replaces what `base` has
 * (lists whole), and an `undefined` overlay keeps `base`. Inputs are never mutated.
 */
export function deepMerge(base: unknown, overlay: unknown): unknown {
  if (overlay === undefined) return base;
  if (!isPlainMap(base) || !isPlainMap(overlay)) return overlay;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) out[key] = deepMerge(base[key], value);
  return out;
}

/** A copy of `data` with `value` at `path`, creating maps (or lists for numeric segments). */
export function setPath(data: unknown, path: ValuesPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof head === "number") {
    const list = Array.isArray(data) ? [...(data as unknown[])] : [];
    while (list.length < head) list.push(null);
    list[head] = setPath(list[head], rest, value);
    return list;
  }
  const map = isPlainMap(data) ? { ...data } : {};
  map[head] = setPath(map[head], rest, value);
  return map;
}

/** A copy of `data` without the value at `path` (maps only; a list element is left alone). */
export function withoutPath(data: unknown, path: ValuesPath): unknown {
  if (path.length === 0 || !isPlainMap(data)) return data;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (!Object.prototype.hasOwnProperty.call(data, head)) return data;
  const out: Record<string, unknown> = { ...data };
  if (rest.length === 0) delete out[head];
  else out[head] = withoutPath(data[head], rest);
  return out;
}
