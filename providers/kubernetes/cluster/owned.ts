// The one step prune and delete share: delete an object the inventory lists, but only while it is
// still this release's. It is kept when a policy says so (Namespaces, volumes...), skipped when it
// or its API is already gone, and kept when it no longer carries the release's ApplySet label
// (another release adopted it, or someone replaced it with a namesake). The delete names the uid
// we looked at, so a namesake created since is never deleted.
import { describeObject } from "../../../sdk/identity/objects.ts";
import type { ClusterClient } from "./client.ts";
import type { ObjectAction, Progress } from "./events.ts";
import type { InventoryEntry } from "./inventory.ts";
import { partOf } from "./labels.ts";
import { deleteObject, getObject } from "./objects.ts";

/**
 * `kept`: a policy keeps it (it stays the release's, retained); `released`: it is no longer this
 * release's (another release adopted it, or a namesake replaced it), so the release lets go of it.
 */
export type OwnedOutcome = "deleted" | "gone" | "kept" | "released";

export interface DeleteOwnedOptions {
  /** The release's ApplySet id. */
  readonly partOf: string;
  /** Why this entry must stay, if it must (a policy of the caller). */
  readonly keepReason?: string | undefined;
  /** The event action for a deleted object: `pruned` or `deleted`. */
  readonly action: Extract<ObjectAction, "pruned" | "deleted">;
  readonly dryRun?: boolean;
  readonly progress: Progress;
  /** Called just before the delete request (interruption checks). */
  readonly beforeWrite?: () => void;
}

export async function deleteOwned(
  client: ClusterClient,
  entry: InventoryEntry,
  options: DeleteOwnedOptions,
): Promise<OwnedOutcome> {
  const { ref } = entry;
  const kept = (reason: string, outcome: "kept" | "released" = "kept"): OwnedOutcome => {
    options.progress.emit({ type: "object", id: ref, component: entry.component, action: "kept", reason });
    return outcome;
  };
  if (options.keepReason !== undefined) return kept(options.keepReason);
  if ((await client.discovery.find(ref.apiVersion, ref.kind)) === undefined) return "gone";
  const live = await getObject(client, ref);
  if (live === undefined) return "gone";
  if (partOf(live) !== options.partOf) return kept("no longer carries this release's label", "released");
  if (options.dryRun !== true) {
    options.beforeWrite?.();
    options.progress.write(`delete ${describeObject(ref)}`);
    const uid = live.metadata.uid;
    if (!(await deleteObject(client, ref, uid === undefined ? {} : { uid }))) return "gone";
  }
  options.progress.emit({ type: "object", id: ref, component: entry.component, action: options.action });
  return "deleted";
}
