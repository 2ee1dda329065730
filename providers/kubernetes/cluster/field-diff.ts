// Field-level differences between two versions of one object, as paths (`.spec.replicas`).
// Fields only the server owns (managedFields, resourceVersion, generation, status) are dropped
// first, and Secret values are replaced by a marker so a diff never shows them.
export type FieldOp = "add" | "remove" | "change";

export interface FieldChange {
  readonly path: string;
  readonly op: FieldOp;
  readonly before?: unknown;
  readonly after?: unknown;
}

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

/** A short, non-reversible tag so "changed" is visible; not a hash of low-entropy secrets alone. */
function fingerprint(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193) >>> 0;
  return (h & 0xfff).toString(16);
}

export function fieldChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (isRecord(before) && isRecord(after)) {
    const out: FieldChange[] = [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const child = `${path}.${/^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key)}`;
      if (!(key in after)) out.push({ path: child, op: "remove", before: before[key] });
      else if (!(key in before)) out.push({ path: child, op: "add", after: after[key] });
      else out.push(...fieldChanges(before[key], after[key], child));
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => fieldChanges(item, after[i], `${path}[${i}]`));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path === "" ? "." : path, op: "change", before, after }];
}
