// Prune: delete objects the inventory recorded that the render no longer has. Only inventory
// entries are candidates, and only when the live object still carries this release's ApplySet
// label (someone may have replaced it with a namesake). Namespaces are never pruned; PVCs and
// CRDs only on explicit opt-in, because deleting them deletes data.
import { weightOf } from "../../../sdk/render/order.ts";
import type { ClusterClient } from "./client.ts";
import type { Progress } from "./events.ts";
import { APPLYSET_PART_OF, entryId, type InventoryEntry } from "./inventory.ts";
import { deleteObject, describe, getObject, type ObjectId } from "./objects.ts";

export interface PruneOptions {
  /** Also prune PersistentVolumeClaims (`--prune-volumes`). */
  readonly prunePvcs?: boolean;
  /** Also prune CustomResourceDefinitions (`--prune-crds`). */
  readonly pruneCrds?: boolean;
}

export interface PruneOutcome {
  readonly pruned: ObjectId[];
  readonly kept: ObjectId[];
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
  const outcome: PruneOutcome = { pruned: [], kept: [] };
  // Reverse apply order: dependents before what they depend on.
  const ordered = [...stale].sort((a, b) => weightOf(b.kind) - weightOf(a.kind));
  for (const entry of ordered) {
    const id = entryId(entry);
    const reason = keepReason(entry.kind, options);
    if (reason !== undefined) {
      outcome.kept.push(id);
      options.progress.emit({ type: "object", id, component: entry.component, action: "kept", reason });
      continue;
    }
    const served = await client.discovery.find(id.apiVersion, id.kind);
    if (served === undefined) continue; // its API is gone, so is the object
    const live = await getObject(client, id);
    if (live === undefined) continue;
    if (live.metadata.labels?.[APPLYSET_PART_OF] !== partOf) {
      outcome.kept.push(id);
      options.progress.emit({
        type: "object",
        id,
        component: entry.component,
        action: "kept",
        reason: "no longer carries this release's label",
      });
      continue;
    }
    options.checkAbort();
    options.progress.write(`delete ${describe(id)}`);
    const uid = live.metadata.uid;
    if (await deleteObject(client, id, uid === undefined ? {} : { uid })) {
      outcome.pruned.push(id);
      options.progress.emit({ type: "object", id, component: entry.component, action: "pruned" });
    }
  }
  return outcome;
}
