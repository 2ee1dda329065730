// `remove` (opm mod delete): delete exactly the objects the inventory lists, in reverse weight
// order, waiting for each weight group to be gone before the next, and the inventory last, so an
// interrupted delete can be run again. Objects that no longer carry the release's label are left
// alone; Namespaces are never deleted.
import { OpmError } from "../../../sdk/errors.ts";
import { weightOf } from "../../../sdk/render/order.ts";
import type { ClusterClient } from "./client.ts";
import { Progress, type EventSink } from "./events.ts";
import {
  APPLYSET_PART_OF,
  deleteInventory,
  entryId,
  knownEntries,
  releaseApplySetId,
  type InventoryEntry,
} from "./inventory.ts";
import { weightGroups } from "./desired.ts";
import { findInventory, requireInventory, type ReleaseSelector } from "./lookup.ts";
import { deleteObject, describe, getObject, type ObjectId } from "./objects.ts";

export interface RemoveOptions {
  readonly client: ClusterClient;
  readonly dryRun?: boolean;
  /** Wait until deleted objects are gone; default true. */
  readonly wait?: boolean;
  readonly timeoutMs?: number;
  readonly ignoreNotFound?: boolean;
  readonly onEvent?: EventSink;
}

export interface RemoveResult {
  readonly found: boolean;
  readonly deleted: readonly ObjectId[];
  readonly kept: readonly ObjectId[];
}

async function waitGone(client: ClusterClient, ids: readonly ObjectId[], deadline: number): Promise<void> {
  let remaining = [...ids];
  while (remaining.length > 0) {
    const still = await Promise.all(
      remaining.map(async (id) => ((await getObject(client, id)) === undefined ? undefined : id)),
    );
    remaining = still.filter((id): id is ObjectId => id !== undefined);
    if (remaining.length === 0) return;
    if (Date.now() > deadline) {
      // The inventory is kept, so running delete again finishes the job.
      throw new OpmError("WaitTimeout", {
        message: `${remaining.length} object(s) still exist after the timeout:\n  ${remaining.map(describe).join("\n  ")}`,
        hint: "check their finalizers (`kubectl get -o yaml`), then run delete again; --no-wait returns at once",
        details: { objects: remaining },
      });
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function remove(selector: ReleaseSelector, options: RemoveOptions): Promise<RemoveResult> {
  const { client } = options;
  const progress = new Progress(options.onEvent);
  const inventory =
    options.ignoreNotFound === true
      ? await findInventory(client, selector)
      : await requireInventory(client, selector);
  if (inventory === undefined) return { found: false, deleted: [], kept: [] };
  const partOf = releaseApplySetId(inventory.release);
  const deadline = Date.now() + (options.timeoutMs ?? 5 * 60_000);
  const entries = [...knownEntries(inventory)].sort((a, b) => weightOf(b.kind) - weightOf(a.kind));
  const deleted: ObjectId[] = [];
  const kept: ObjectId[] = [];
  progress.emit({ type: "phase", phase: "deleting" });
  for (const group of weightGroups(
    entries.map((e) => ({ id: entryId(e), entry: e })),
    (kind) => -weightOf(kind),
  )) {
    const gone: ObjectId[] = [];
    await Promise.all(
      group.map(async ({ id, entry }: { id: ObjectId; entry: InventoryEntry }) => {
        if (entry.kind === "Namespace") {
          kept.push(id);
          progress.emit({
            type: "object",
            id,
            component: entry.component,
            action: "kept",
            reason: "namespaces are never deleted",
          });
          return;
        }
        if ((await client.discovery.find(id.apiVersion, id.kind)) === undefined) return;
        const live = await getObject(client, id);
        if (live === undefined) return;
        if (live.metadata.labels?.[APPLYSET_PART_OF] !== partOf) {
          kept.push(id);
          progress.emit({
            type: "object",
            id,
            component: entry.component,
            action: "kept",
            reason: "no longer carries this release's label",
          });
          return;
        }
        if (options.dryRun !== true) {
          progress.write(`delete ${describe(id)}`);
          const uid = live.metadata.uid;
          if (!(await deleteObject(client, id, uid === undefined ? {} : { uid }))) return;
          gone.push(id);
        }
        deleted.push(id);
        progress.emit({ type: "object", id, component: entry.component, action: "deleted" });
      }),
    );
    if (options.wait !== false && gone.length > 0) await waitGone(client, gone, deadline);
  }
  if (options.dryRun !== true) {
    progress.write("inventory (delete)");
    await deleteInventory(client, inventory);
  }
  progress.emit({ type: "phase", phase: "done" });
  return { found: true, deleted, kept };
}
