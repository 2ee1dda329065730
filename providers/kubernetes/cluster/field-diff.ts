// Field-level differences between two versions of one object, as paths (`.spec.replicas`).
// Fields only the server owns (managedFields, resourceVersion, generation, status) are dropped
// first, and Secret values are replaced by a marker so a diff never shows them; so are env values
// whose variable is named like a secret (DB_PASSWORD, API_TOKEN) in any pod template.
import { SENSITIVE_KEY } from "../../../sdk/redact.ts";
import { entryLabel, sameEntry } from "./list-drift.ts";

export type FieldOp = "add" | "remove" | "change";

/** One field that differs between live and what an apply would leave. */
export interface FieldChange {
  /** The field's path, e.g. `.spec.replicas` or `.spec.template.spec.containers[name=web].image`. */
  readonly path: string;
  /** Added, removed or changed. */
  readonly op: FieldOp;
  /** The live value (absent when added); secret values are {@link HIDDEN}. */
  readonly before?: unknown;
  /** The value after the apply (absent when removed); secret values are {@link HIDDEN}. */
  readonly after?: unknown;
}

/** What a diff shows instead of a secret value. */
export const HIDDEN = "(secret value hidden)";

type Json = Record<string, unknown>;
const isRecord = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);

/** A copy without server bookkeeping; Secret values masked. */
export function comparable(object: Json): Json {
  const { status: _status, ...rest } = object;
  const metadata = { ...(rest["metadata"] as Json | undefined) };
  for (const key of ["managedFields", "resourceVersion", "generation", "creationTimestamp", "uid"])
    delete metadata[key];
  const out: Json = { ...rest, metadata };
  if (out["spec"] !== undefined) out["spec"] = maskSensitiveEnv(out["spec"]);
  if (out["kind"] === "Secret") {
    for (const field of ["data", "stringData"]) {
      const values = out[field];
      if (!isRecord(values)) continue;
      // Equal values keep equal markers; different values differ, without showing either.
      out[field] = Object.fromEntries(
        Object.entries(values).map(([k, v]) => [
          k,
          `${HIDDEN} #${fingerprint(field === "data" ? String(v) : Buffer.from(String(v)).toString("base64"))}`,
        ]),
      );
    }
    if (out["stringData"] !== undefined) {
      out["data"] = { ...(out["data"] as Json | undefined), ...(out["stringData"] as Json) };
      delete out["stringData"];
    }
  }
  return out;
}

/** A marker for a hidden value: equal values get equal markers, without showing either. */
export function hiddenValue(value: string): string {
  return `${HIDDEN} #${fingerprint(value)}`;
}

/** `env` entries (in any container of any template) named like secrets, with their values hidden. */
function maskSensitiveEnv(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(maskSensitiveEnv);
  if (!isRecord(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === "env" && Array.isArray(value)
        ? value.map((entry) =>
            isRecord(entry) && typeof entry["value"] === "string" && SENSITIVE_KEY.test(String(entry["name"]))
              ? { ...entry, value: hiddenValue(entry["value"]) }
              : entry,
          )
        : maskSensitiveEnv(value);
  }
  return out;
}

/** A short, non-reversible tag so "changed" is visible; not a hash of low-entropy secrets alone. */
function fingerprint(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193) >>> 0;
  return (h & 0xfff).toString(16);
}

/** What narrows a comparison: lists' merge keys, and the fields that count. */
export interface CompareScope {
  /**
   * Merge key of each keyed list by its path without entries (`spec.ports` → port, protocol;
   * managed-fields.ts `listKeys`): such lists are compared entry by entry by key
   * (`.spec.ports[port=80,protocol=TCP]`), so one changed entry is not a shift of every index.
   */
  readonly keys?: ReadonlyMap<string, readonly string[]>;
  /**
   * A field set (FieldsV1 shape, managed-fields.ts): only fields in it are compared, so what a
   * controller or another manager changed in fields we neither render nor own is not shown.
   */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** Changes between two versions of one object, as paths (`.spec.replicas`). */
export function fieldChanges(before: unknown, after: unknown, scope: CompareScope = {}): FieldChange[] {
  return changesAt(before, after, scope.keys ?? new Map(), scope.fields, "", "");
}

/** A field set's members below a list: the union of every entry's. */
function entryFields(fields: Json | undefined): Json | undefined {
  if (fields === undefined) return undefined;
  let out: Json | undefined;
  for (const [member, sub] of Object.entries(fields))
    if (!member.startsWith("f:") && member !== "." && isRecord(sub)) out = { ...out, ...sub };
  return out;
}

function changesAt(
  before: unknown,
  after: unknown,
  keys: ReadonlyMap<string, readonly string[]>,
  fields: Json | undefined,
  path: string,
  schemaPath: string,
): FieldChange[] {
  // A leaf of the field set: the value is compared whole.
  const scoped = fields !== undefined && Object.keys(fields).some((k) => k !== ".") ? fields : undefined;
  if (isRecord(before) && isRecord(after)) {
    const out: FieldChange[] = [];
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of names) {
      if (scoped !== undefined && !(`f:${key}` in scoped)) continue;
      const sub = scoped?.[`f:${key}`] as Json | undefined;
      const child = `${path}.${/^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key)}`;
      const childSchema = schemaPath === "" ? key : `${schemaPath}.${key}`;
      if (!(key in after)) out.push({ path: child, op: "remove", before: before[key] });
      else if (!(key in before)) out.push({ path: child, op: "add", after: after[key] });
      else out.push(...changesAt(before[key], after[key], keys, sub, child, childSchema));
    }
    return out;
  }
  const key = keys.get(schemaPath);
  const inner = entryFields(scoped);
  if (Array.isArray(before) && Array.isArray(after) && key !== undefined) {
    const out: FieldChange[] = [];
    for (const item of before) {
      const match = after.find((a) => sameEntry(item, a, key));
      const at = `${path}${entryLabel(item, key)}`;
      if (match === undefined) out.push({ path: at, op: "remove", before: item });
      else out.push(...changesAt(item, match, keys, inner, at, schemaPath));
    }
    for (const item of after)
      if (!before.some((b) => sameEntry(b, item, key)))
        out.push({ path: `${path}${entryLabel(item, key)}`, op: "add", after: item });
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => changesAt(item, after[i], keys, inner, `${path}[${i}]`, schemaPath));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path === "" ? "." : path, op: "change", before, after }];
}

/** The fields an object sets, as a field set (lists: one member for all their entries). */
export function fieldsOf(value: unknown): Json {
  if (Array.isArray(value)) {
    let entries: Json = {};
    for (const item of value) if (isRecord(item)) entries = { ...entries, ...fieldsOf(item) };
    return Object.keys(entries).length === 0 ? {} : { "k:entries": entries };
  }
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [`f:${k}`, fieldsOf(v)]));
}
