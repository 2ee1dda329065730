// Prune: delete objects the inventory recorded that the render no longer has. Only inventory
// entries are candidates, and only while the live object still carries this release's ApplySet
// label (owned.ts). Namespaces are never pruned; PVCs and CRDs only on explicit opt-in, because
// deleting them deletes data.
import type { ObjectRef } from "../../../sdk/identity/objects.ts";
import type { ClusterClient } from "./client.ts";
import type { Progress } from "./events.ts";
import type { InventoryEntry } from "./inventory.ts";
import { deleteOwned } from "./owned.ts";
import { deleteStages } from "./stages.ts";
import { waitGone } from "./wait.ts";

export interface PruneOptions {
  /** Also prune PersistentVolumeClaims (`--prune-volumes`). */
  readonly prunePvcs?: boolean;
  /** Also prune CustomResourceDefinitions (`--prune-crds`). */
  readonly pruneCrds?: boolean;
}

export interface PruneOutcome {
  readonly pruned: ObjectRef[];
  /** Left in place: retained by policy, or no longer this release's. */
  readonly kept: ObjectRef[];
  /** Kept by policy and still the release's: they stay in the inventory, marked retained. */
  readonly retained: InventoryEntry[];
}

export function keepReason(kind: string, options: PruneOptions): string | undefined {
  if (kind === "Namespace") return "namespaces are never pruned";
  if (kind === "PersistentVolumeClaim" && options.prunePvcs !== true)
    return "volumes are pruned only with --prune-volumes";
  if (kind === "CustomResourceDefinition" && options.pruneCrds !== true)
    return "CRDs are pruned only with --prune-crds";
  return undefined;
}

/**
 * Deletes `stale` in reverse apply order: last stage first, within a stage the heaviest weight
 * first. With `waitUntil`, the pruned objects of a stage are gone before the next stage's go.
 */
export async function pruneStale(
  client: ClusterClient,
  stale: readonly InventoryEntry[],
  partOf: string,
  options: PruneOptions & {
    progress: Progress;
    checkAbort: () => void;
    waitUntil?: number | undefined;
    /** Why an entry must stay for now beside policy: a superseded ConfigMap still read (superseded.ts). */
    stillNeeded?: ((entry: InventoryEntry) => string | undefined) | undefined;
  },
): Promise<PruneOutcome> {
  const outcome: PruneOutcome = { pruned: [], kept: [], retained: [] };
  const stages = deleteStages(stale);
  for (const [n, stage] of stages.entries()) {
    const before = outcome.pruned.length;
    for (const entry of stage.flat()) await pruneOne(entry);
    const gone = outcome.pruned.slice(before);
    if (options.waitUntil !== undefined && n < stages.length - 1 && gone.length > 0)
      await waitGone(client, gone, options.waitUntil);
  }
  return outcome;

  async function pruneOne(entry: InventoryEntry): Promise<void> {
    const reason = keepReason(entry.ref.kind, options) ?? options.stillNeeded?.(entry);
    const result = await deleteOwned(client, entry, {
      partOf,
      keepReason: reason,
      action: "pruned",
      progress: options.progress,
      beforeWrite: options.checkAbort,
    });
    if (result === "deleted") outcome.pruned.push(entry.ref);
    if (result === "kept" || result === "released") outcome.kept.push(entry.ref);
    if (result === "kept")
      outcome.retained.push({ ...entry, retained: true, ...(reason === undefined ? {} : { reason }) });
  }
}
