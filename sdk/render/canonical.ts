// Stable key order for emitted objects, so the same input gives byte-identical YAML or JSON.
// Rule (documented in docs and tested): at every level of an object, the keys `apiVersion`,
// `kind`, `metadata`, `name`, `namespace` come first in that order when present; all other keys
// follow sorted by code point. Arrays keep their order (order is meaningful in Kubernetes lists).
// `undefined` fields are dropped, as JSON would.

const PRIORITY = ["apiVersion", "kind", "metadata", "name", "namespace"] as const;
const PRIORITY_RANK = new Map<string, number>(PRIORITY.map((key, i) => [key, i]));

function compareKeys(a: string, b: string): number {
  const ra = PRIORITY_RANK.get(a);
  const rb = PRIORITY_RANK.get(b);
  if (ra !== undefined || rb !== undefined) return (ra ?? PRIORITY.length) - (rb ?? PRIORITY.length);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A deep copy of `value` with keys in canonical order. */
export function canonicalize<T>(value: T): T {
  return canonicalValue(value) as T;
}

function canonicalValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareKeys)) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) out[key] = canonicalValue(child);
  }
  return out;
}
