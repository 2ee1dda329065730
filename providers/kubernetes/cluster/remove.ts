// `remove` (opm mod delete): delete exactly the objects the inventory lists, in reverse weight
// order, waiting for each weight group to be gone before the next, and the inventory last, so an
// interrupted delete can be run again. Objects that no longer carry the release's label are left
// alone (owned.ts); Namespaces are never deleted.
import { OpmError } from "../../../sdk/errors.ts";
import { describeObject, type ObjectRef } from "../../../sdk/identity/objects.ts";
import { weightOf } from "../../../sdk/render/order.ts";
import type { ClusterClient } from "./client.ts";
import { weightGroups } from "./desired.ts";
import { Progress, type EventSink } from "./events.ts";
import { deleteInventory, knownEntries } from "./inventory.ts";
import { releaseApplySetId } from "./labels.ts";
import { findInventory, requireInventory, type ReleaseSelector } from "./lookup.ts";
import { getObject } from "./objects.ts";
import { deleteOwned } from "./owned.ts";

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
  readonly deleted: readonly ObjectRef[];
  readonly kept: readonly ObjectRef[];
}

async function waitGone(client: ClusterClient, refs: readonly ObjectRef[], deadline: number): Promise<void> {
  let remaining = [...refs];
  while (remaining.length > 0) {
    const still = await Promise.all(
      remaining.map(async (ref) => ((await getObject(client, ref)) === undefined ? undefined : ref)),
    );
    remaining = still.filter((ref): ref is ObjectRef => ref !== undefined);
    if (remaining.length === 0) return;
    if (Date.now() > deadline) {
      // The inventory is kept, so running delete again finishes the job.
      throw new OpmError("WaitTimeout", {
        message: `${remaining.length} object(s) still exist after the timeout:\n  ${remaining.map(describeObject).join("\n  ")}`,
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
  const entries = [...knownEntries(inventory)].sort((a, b) => weightOf(b.ref.kind) - weightOf(a.ref.kind));
  const deleted: ObjectRef[] = [];
  const kept: ObjectRef[] = [];
  progress.emit({ type: "phase", phase: "deleting" });
  for (const group of weightGroups(entries, (e) => -weightOf(e.ref.kind))) {
    const outcomes = await Promise.all(
      group.map((entry) =>
        deleteOwned(client, entry, {
          partOf,
          keepReason: entry.ref.kind === "Namespace" ? "namespaces are never deleted" : undefined,
          action: "deleted",
          dryRun: options.dryRun === true,
          progress,
        }),
      ),
    );
    const gone = group.filter((_, i) => outcomes[i] === "deleted").map((e) => e.ref);
    deleted.push(...gone);
    kept.push(...group.filter((_, i) => outcomes[i] === "kept").map((e) => e.ref));
    if (options.dryRun !== true && options.wait !== false && gone.length > 0)
      await waitGone(client, gone, deadline);
  }
  if (options.dryRun !== true) {
    progress.write("inventory (delete)");
    await deleteInventory(client, inventory);
  }
  progress.emit({ type: "phase", phase: "done" });
  return { found: true, deleted, kept };
}
