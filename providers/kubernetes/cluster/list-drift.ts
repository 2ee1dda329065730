// Drift in keyed lists. When another manager changes the merge key of a list entry we apply (a
// Service port edited with `kubectl patch`), the live entry is no longer ours: server-side apply
// would add our entry back next to it, and the object usually becomes invalid ("Duplicate
// value"). Force does not help, because nobody conflicts on a field (and taking an entry over by
// applying its live values only shares it). Restoring (`--force-conflicts`) is a write of the
// drifted lists under a repair manager, guarded by the resourceVersion: the foreign entries out,
// ours in. Our apply then owns our entries, and the repair manager's record is removed from
// managedFields so that it owns nothing (else our entries could never be removed by a render).
import type { ClusterClient } from "./client.ts";
import { listKeys } from "./managed-fields.ts";
import { objectPath, type KubeObject } from "./objects.ts";
import { refOf } from "../../../sdk/identity/objects.ts";

/** The field manager of the restoring write; it owns nothing once the restore is done. */
export const REPAIR_MANAGER = "opm-drift-repair";

type Json = Record<string, unknown>;
const isRecord = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);

export interface ListDrift {
  /** Where the list is, e.g. `.spec.ports`. */
  readonly path: string;
  /** The live list's JSON pointer (entries by index), e.g. `/spec/ports`. */
  readonly pointer: string;
  /** The list as the restoring write leaves it: live without the foreign entries, plus ours. */
  readonly restored: readonly unknown[];
  /** The merge key's fields. */
  readonly key: readonly string[];
  /** Live entries none of ours matches, with the managers that own them. */
  readonly foreign: readonly { readonly entry: Json; readonly managers: readonly string[] }[];
  /** Our entries live does not have. */
  readonly missing: readonly Json[];
}

/** `[port=80,protocol=TCP]`: a list entry named by its merge key (the key fields it has). */
export function entryLabel(entry: unknown, key: readonly string[]): string {
  if (!isRecord(entry)) return `[${JSON.stringify(entry)}]`;
  const parts = key.filter((k) => entry[k] !== undefined).map((k) => `${k}=${String(entry[k] as string)}`);
  return `[${parts.join(",")}]`;
}

/** A rendered entry matches a live one when every key field it sets is equal (the rest defaulted). */
export function sameEntry(rendered: unknown, live: unknown, key: readonly string[]): boolean {
  if (!isRecord(rendered) || !isRecord(live)) return false;
  const set = key.filter((k) => rendered[k] !== undefined);
  return set.length > 0 && set.every((k) => JSON.stringify(rendered[k]) === JSON.stringify(live[k]));
}

function managersOf(live: KubeObject, schemaPath: string, entry: Json, key: readonly string[]): string[] {
  const member = `k:${JSON.stringify(Object.fromEntries(key.filter((k) => k in entry).map((k) => [k, entry[k]])))}`;
  const out: string[] = [];
  for (const m of live.metadata.managedFields ?? []) {
    let node: unknown = m.fieldsV1;
    for (const part of schemaPath.split(".")) node = isRecord(node) ? node[`f:${part}`] : undefined;
    if (isRecord(node) && Object.keys(node).some((k) => k === member || sameKeyMember(k, entry)))
      out.push(m.manager ?? "unknown");
  }
  return out;
}

function sameKeyMember(member: string, entry: Json): boolean {
  if (!member.startsWith("k:")) return false;
  const key = JSON.parse(member.slice(2)) as Json;
  return Object.entries(key).every(([k, v]) => JSON.stringify(entry[k]) === JSON.stringify(v));
}

/**
 * Keyed lists where a live entry that is not ours stands where one of ours is missing. Only
 * lists the render sets are looked at; entries others added next to ours are left alone.
 */
export function listDrifts(desired: KubeObject, live: KubeObject): ListDrift[] {
  const keys = listKeys(live);
  const out: ListDrift[] = [];
  const walk = (want: unknown, have: unknown, schemaPath: string, path: string, pointer: string) => {
    if (isRecord(want) && isRecord(have)) {
      for (const [name, value] of Object.entries(want)) {
        const sub = schemaPath === "" ? name : `${schemaPath}.${name}`;
        walk(
          value,
          have[name],
          sub,
          `${path}.${name}`,
          `${pointer}/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`,
        );
      }
      return;
    }
    const key = keys.get(schemaPath);
    if (!Array.isArray(want) || !Array.isArray(have) || key === undefined) return;
    const matched = want.map((w) => have.find((h) => sameEntry(w, h, key)));
    const missing = want.filter((_, i) => matched[i] === undefined).filter(isRecord);
    const foreign = have
      .filter((h): h is Json => isRecord(h) && !want.some((w) => sameEntry(w, h, key)))
      .map((entry) => ({ entry, managers: managersOf(live, schemaPath, entry, key) }));
    if (missing.length > 0 && foreign.length > 0) {
      const restored = [...have.filter((h) => !foreign.some((f) => f.entry === h)), ...missing];
      out.push({ path, pointer, restored, key, foreign, missing });
    }
    want.forEach((w, i) => {
      const at = matched[i];
      if (at !== undefined)
        walk(w, at, schemaPath, `${path}${entryLabel(w, key)}`, `${pointer}/${have.indexOf(at)}`);
    });
  };
  walk(desired, live, "", "", "");
  return out;
}

/** One line per drifted list, for messages: what replaced which entry, and who did it. */
export function describeDrift(drift: ListDrift): string {
  const foreign = drift.foreign
    .map(
      (f) =>
        `${entryLabel(f.entry, drift.key)}${f.managers.length > 0 ? ` (by ${f.managers.join(", ")})` : ""}`,
    )
    .join(", ");
  const missing = drift.missing.map((m) => entryLabel(m, drift.key)).join(", ");
  return `${drift.path}: ${foreign} stands where ${missing} should be`;
}

/** The restoring write (`--force-conflicts`): the drifted lists as they must be, if live is unchanged. */
export async function restoreLists(
  client: ClusterClient,
  live: KubeObject,
  drifts: readonly ListDrift[],
  dryRun: boolean,
): Promise<KubeObject> {
  const ops = [
    { op: "test", path: "/metadata/resourceVersion", value: live.metadata.resourceVersion },
    ...drifts.map((d) => ({ op: "replace", path: d.pointer, value: d.restored })),
  ];
  return client.json<KubeObject>(
    "PATCH",
    await objectPath(client, refOf(live)),
    `restoring ${drifts.map((d) => d.path).join(", ")}`,
    {
      body: ops,
      contentType: "application/json-patch+json",
      query: { fieldManager: REPAIR_MANAGER, dryRun: dryRun ? "All" : undefined },
    },
  );
}

/** After our apply: the repair manager's record goes, so our apply alone owns what it restored. */
export async function dropRepairRecord(client: ClusterClient, object: KubeObject): Promise<void> {
  const index = (object.metadata.managedFields ?? []).findIndex((m) => m.manager === REPAIR_MANAGER);
  if (index < 0) return;
  await client.json("PATCH", await objectPath(client, refOf(object)), "dropping the repair record", {
    body: [
      { op: "test", path: "/metadata/resourceVersion", value: object.metadata.resourceVersion },
      { op: "remove", path: `/metadata/managedFields/${index}` },
    ],
    contentType: "application/json-patch+json",
    query: { fieldManager: REPAIR_MANAGER },
  });
}
