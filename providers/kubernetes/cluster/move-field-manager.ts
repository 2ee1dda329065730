// Moving a release's objects from one server-side apply field manager to another (the CLI's `opm`
// and the controller's `opm-controller`) without touching the objects' content: what `from` owns
// through apply becomes `to`'s, merged with what `to` already owned. Applying the same values as
// a second manager would only share the fields, and the first would keep them forever; so the
// managedFields are rewritten, as client-go's csaupgrade does, guarded by the resourceVersion.
import { describeObject, type ObjectRef } from "../../../sdk/identity/objects.ts";
import type { ClusterClient } from "./client.ts";
import { unionFields } from "./managed-fields.ts";
import { getObject, objectPath, type ManagedFieldsEntry } from "./objects.ts";

const isApply = (e: ManagedFieldsEntry, manager: string) =>
  e.manager === manager && e.operation === "Apply" && e.subresource === undefined;

/** The entries with `from`'s apply entries folded into `to`'s; undefined when `from` has none. */
function moved(
  entries: readonly ManagedFieldsEntry[],
  from: string,
  to: string,
): ManagedFieldsEntry[] | undefined {
  const mine = entries.filter((e) => isApply(e, from));
  if (mine.length === 0) return undefined;
  const theirs = entries.find((e) => isApply(e, to));
  const fields = [...mine, ...(theirs === undefined ? [] : [theirs])].reduce<Record<string, unknown>>(
    (all, e) => unionFields(all, (e.fieldsV1 ?? {}) as Record<string, unknown>),
    {},
  );
  const merged: ManagedFieldsEntry = { ...(theirs ?? mine[0]!), manager: to, fieldsV1: fields };
  const rest = entries.filter((e) => !isApply(e, from) && !isApply(e, to));
  return [...rest, merged];
}

/**
 * Gives `to` what `from` owns through server-side apply on each object; objects that are gone or
 * that `from` does not manage are skipped. Answers the objects changed. A write that races
 * another is read again and retried a few times.
 */
export async function moveFieldManager(
  client: ClusterClient,
  refs: readonly ObjectRef[],
  from: string,
  to: string,
): Promise<ObjectRef[]> {
  const changed: ObjectRef[] = [];
  for (const ref of refs) {
    for (let attempt = 1; ; attempt++) {
      const live = await getObject(client, ref);
      const entries = live === undefined ? undefined : moved(live.metadata.managedFields ?? [], from, to);
      if (live === undefined || entries === undefined) break;
      const res = await client.raw("PATCH", await objectPath(client, ref), {
        contentType: "application/json-patch+json",
        body: [
          { op: "test", path: "/metadata/resourceVersion", value: live.metadata.resourceVersion },
          { op: "replace", path: "/metadata/managedFields", value: entries },
        ],
      });
      if (res.status >= 200 && res.status < 300) {
        changed.push(ref);
        break;
      }
      // A failed test (someone wrote in between) answers 422 or 409: read it again.
      const raced = res.status === 409 || res.status === 422;
      if (!raced || attempt >= 5)
        throw client.failure(res, `moving the field manager of ${describeObject(ref)}`);
    }
  }
  return changed;
}
