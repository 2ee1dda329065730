// Prune: delete objects the inventory recorded that the render no longer has. Only inventory
// entries are candidates, and only while the live object still carries this release's ApplySet
// label (owned.ts). Namespaces are never pruned; PVCs and CRDs only on explicit opt-in, because
// deleting them deletes data.
import type { ObjectRef } from "../../../sdk/identity/objects.ts";
import { weightOf } from "../../../sdk/render/order.ts";
import type { ClusterClient } from "./client.ts";
import type { Progress } from "./events.ts";
import type { InventoryEntry } from "./inventory.ts";
import { deleteOwned } from "./owned.ts";

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

export async function pruneStale(
  client: ClusterClient,
  stale: readonly InventoryEntry[],
  partOf: string,
  options: PruneOptions & { progress: Progress; checkAbort: () => void },
): Promise<PruneOutcome> {
  const outcome: PruneOutcome = { pruned: [], kept: [], retained: [] };
  // Reverse apply order: dependents before what they depend on.
  const ordered = [...stale].sort((a, b) => weightOf(b.ref.kind) - weightOf(a.ref.kind));
  for (const entry of ordered) {
    const result = await deleteOwned(client, entry, {
      partOf,
      keepReason: keepReason(entry.ref.kind, options),
      action: "pruned",
      progress: options.progress,
      beforeWrite: options.checkAbort,
    });
    if (result === "deleted") outcome.pruned.push(entry.ref);
    if (result === "kept" || result === "released") outcome.kept.push(entry.ref);
    if (result === "kept") outcome.retained.push({ ...entry, retained: true });
  }
  return outcome;
}
