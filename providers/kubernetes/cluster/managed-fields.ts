// The fields a field manager owns, read from `metadata.managedFields` (the server's FieldsV1
// sets: `f:<name>` a map field, `k:<json>` a list entry by its merge key, `v:<json>` a set value,
// `i:<n>` an entry by index, `.` the entry itself). An object projected onto such a set holds only
// the values that manager set, so "did a field we manage change" ignores a controller's status,
// another manager's annotations and a resourceVersion bump. The same sets name each list's merge
// key (a Service port by port and protocol, a container by name), as the server's schema has it.
import type { KubeObject } from "./objects.ts";

type Fields = Record<string, unknown>;
const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** Everything `manager` owns through server-side apply on the object (not through a subresource). */
export function appliedFields(object: KubeObject | undefined, manager: string): Fields {
  let out: Fields = {};
  for (const entry of object?.metadata.managedFields ?? []) {
    if (entry.manager !== manager || entry.operation !== "Apply" || entry.subresource !== undefined) continue;
    if (isRecord(entry.fieldsV1)) out = unionFields(out, entry.fieldsV1);
  }
  return out;
}

export function unionFields(a: Fields, b: Fields): Fields {
  const out: Fields = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const mine = out[key];
    out[key] = isRecord(mine) && isRecord(value) ? unionFields(mine, value) : value;
  }
  return out;
}

/** True when the list entry `item` is the one a `k:` member names. */
function matchesKey(item: unknown, key: Record<string, unknown>): boolean {
  return (
    isRecord(item) && Object.entries(key).every(([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v))
  );
}

/** The part of `value` the field set covers; undefined where it covers nothing that exists. */
export function project(value: unknown, fields: Fields): unknown {
  const children = Object.keys(fields).filter((k) => k !== ".");
  if (children.length === 0) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const member of children) {
      const sub = (fields[member] ?? {}) as Fields;
      if (member.startsWith("k:")) {
        const key = JSON.parse(member.slice(2)) as Record<string, unknown>;
        const item = value.find((i) => matchesKey(i, key));
        out.push(item === undefined ? { missing: member } : project(item, sub));
      } else if (member.startsWith("v:")) {
        const wanted = member.slice(2);
        out.push(value.some((i) => JSON.stringify(i) === wanted) ? JSON.parse(wanted) : { missing: member });
      } else if (member.startsWith("i:")) {
        out.push(project(value[Number(member.slice(2))], sub));
      }
    }
    return out;
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const member of children) {
    if (!member.startsWith("f:")) continue;
    const name = member.slice(2);
    if (name in value) out[name] = project(value[name], (fields[member] ?? {}) as Fields);
  }
  return out;
}

/**
 * True when a field `manager` applies differs between the two versions of one object: one it
 * set, changed or stopped setting. Changes by anyone else to anything else do not count.
 */
export function managedFieldsChanged(before: KubeObject, after: KubeObject, manager: string): boolean {
  const fields = unionFields(appliedFields(before, manager), appliedFields(after, manager));
  return JSON.stringify(project(before, fields)) !== JSON.stringify(project(after, fields));
}

/**
 * Merge keys of the lists in an object, by path (`spec.ports`, `spec.template.spec.containers`,
 * list entries left out of the path), from the `k:` members any manager's set has there.
 */
export function listKeys(object: KubeObject | undefined): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const walk = (fields: Fields, path: string) => {
    for (const [member, sub] of Object.entries(fields)) {
      if (!isRecord(sub)) continue;
      if (member.startsWith("f:")) walk(sub, path === "" ? member.slice(2) : `${path}.${member.slice(2)}`);
      else if (member.startsWith("k:")) {
        if (!out.has(path)) out.set(path, Object.keys(JSON.parse(member.slice(2)) as object).sort());
        walk(sub, path);
      }
    }
  };
  for (const entry of object?.metadata.managedFields ?? [])
    if (isRecord(entry.fieldsV1)) walk(entry.fieldsV1, "");
  return out;
}
