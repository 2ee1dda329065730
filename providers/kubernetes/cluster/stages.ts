// Stages on the cluster side (docs/staged-apply.md). The render plans them (sdk's planStages);
// here they become the order of writes and deletes: apply goes stage by stage, and before a
// stage starts, the objects of the stage before are ready (with --wait); delete and prune go
// from the last stage to the first, each stage gone before the next. Within a stage, weight
// order still holds (a group of one weight is written in parallel).
import { OpmError, isOpmError } from "../../../sdk/errors.ts";
import { objectKey, type ObjectRef } from "../../../sdk/identity/objects.ts";
import { compareObjects, weightOf } from "../../../sdk/render/order.ts";
import { planStages } from "../../../sdk/render/stages.ts";
import type { ClusterClient } from "./client.ts";
import type { DesiredObject, ReleaseInput, Unstaged } from "./desired.ts";
import type { Progress } from "./events.ts";
import type { InventoryEntry } from "./inventory.ts";
import { waitForHealth } from "./wait.ts";

/**
 * Places each desired object in the render's stage plan (or, without one, a plan made here
 * from the objects' references alone) and resolves what it waits for to desired objects.
 */
export function assignStages(desired: readonly Unstaged[], input: ReleaseInput): DesiredObject[] {
  const plan =
    input.stages ??
    planStages(
      desired.map((d) => ({ object: d.object, component: d.component })),
      { namespace: input.release.namespace },
    ).plan;
  const byKey = new Map(desired.map((d) => [d.key, d]));
  // The render places a kind it cannot tell is cluster-scoped in the release's namespace.
  const find = (ref: ObjectRef) =>
    byKey.get(objectKey(ref)) ??
    byKey.get(objectKey({ ...ref, namespace: "" })) ??
    byKey.get(objectKey({ ...ref, namespace: input.release.namespace }));
  const ofComponent = new Map<string, string[]>();
  for (const d of desired) ofComponent.set(d.component, [...(ofComponent.get(d.component) ?? []), d.key]);
  const placed = new Map<string, { stage: number; waitsFor: string[] }>();
  for (const stage of plan.stages)
    for (const o of stage.objects) {
      const d = find(o.ref);
      if (d === undefined) continue;
      const waitsFor = o.after.flatMap((a) =>
        "ref" in a ? [find(a.ref)?.key ?? ""].filter((k) => k !== "") : (ofComponent.get(a.component) ?? []),
      );
      placed.set(d.key, { stage: stage.index, waitsFor: [...new Set(waitsFor)] });
    }
  return desired.map((d) => {
    const { stage, waitsFor } = placed.get(d.key) ?? { stage: 0, waitsFor: [] };
    return { ...d, entry: stage > 0 ? { ...d.entry, stage } : d.entry, stage, waitsFor };
  });
}

/** Items by stage, first stage first; within a stage in apply (weight) order. */
export function stageGroups<T>(
  items: readonly T[],
  stage: (item: T) => number,
  ref: (item: T) => ObjectRef,
): T[][] {
  const byStage = new Map<number, T[]>();
  for (const item of items) {
    const list = byStage.get(stage(item)) ?? [];
    list.push(item);
    byStage.set(stage(item), list);
  }
  return [...byStage.keys()]
    .sort((a, b) => a - b)
    .map((s) => byStage.get(s)!.sort((a, b) => compareObjects(ref(a), ref(b))));
}

/** Items grouped by weight, in the order given (apply order, or reversed for deletes). */
export function weightGroups<T>(items: readonly T[], weight: (item: T) => number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let last: number | undefined;
  for (const item of items) {
    const w = weight(item);
    if (last !== undefined && w !== last) {
      groups.push(current);
      current = [];
    }
    last = w;
    current.push(item);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Inventory entries in delete order: the last stage first, and within a stage the heaviest
 * weight first (dependents before what they depend on). Entries of inventories written before
 * stages existed are all stage 0: weight order alone, as before.
 */
export function deleteStages(entries: readonly InventoryEntry[]): InventoryEntry[][][] {
  return stageGroups(
    entries,
    (e) => e.stage ?? 0,
    (e) => e.ref,
  )
    .reverse()
    .map((stage) => weightGroups([...stage].reverse(), (e) => -weightOf(e.ref.kind)));
}

/** What a readiness gate between stages needs. */
export interface GateOptions {
  /** Wait for readiness (`--wait`); without it, a stage only waits for its kinds to be served. */
  readonly wait: boolean;
  /** When all waiting of this operation must end (from `--timeout`). */
  readonly deadline: number;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  readonly progress: Progress;
}

/**
 * Before stage `index` (0-based, of `total`): waits until `needed` (what the stage's objects
 * wait for, all of earlier stages) are ready. Only those: an unrelated object of an earlier stage
 * (a Job that runs for an hour) holds nothing up. A timeout names the stage that could not start
 * and what it waited for.
 */
export async function stageGate(
  client: ClusterClient,
  needed: readonly ObjectRef[],
  index: number,
  total: number,
  options: GateOptions,
): Promise<void> {
  if (!options.wait || needed.length === 0) return;
  options.progress.emit({ type: "stage", index, total, step: "waiting", objects: needed.length });
  try {
    await waitForHealth(client, needed, {
      timeoutMs: Math.max(0, options.deadline - Date.now()),
      ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      progress: options.progress,
    });
  } catch (error) {
    if (!isOpmError(error) || error.key !== "WaitTimeout") throw error;
    throw new OpmError("WaitTimeout", {
      message: `stage ${index + 1} of ${total} did not start: ${error.message}`,
      hint:
        "the objects of later stages were not applied (the inventory keeps a pending record); " +
        "fix what is not ready, or raise --timeout, and apply again",
      details: { stage: index, ...error.details },
    });
  }
}
