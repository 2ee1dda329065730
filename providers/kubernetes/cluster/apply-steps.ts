// The writing phases of apply, in the order they run: the server's dry run of everything that
// changes (any rejection: nothing written), the pending record, server-side apply stage by stage
// (stages.ts) and within a stage by weight group, and the commit of the change record. Prune
// runs between the last two (prune.ts).
import { OpmError, isOpmError } from "../../../sdk/errors.ts";
import { describeObject, type ObjectRef } from "../../../sdk/identity/objects.ts";
import { weightOf } from "../../../sdk/render/order.ts";
import type { ApplyPlan } from "./apply-plan.ts";
import type { ClusterClient } from "./client.ts";
import { aggregate, type DesiredObject } from "./desired.ts";
import type { ObjectAction, Progress } from "./events.ts";
import { isTransient } from "./http-errors.ts";
import { unionEntries, type Inventory, type InventoryEntry, type ReleaseManager } from "./inventory.ts";
import { checkManager } from "./manager.ts";
import { ReleaseLease } from "./lease.ts";
import { settleLimit } from "./limit.ts";
import { describeDrift, dropRepairRecord, listDrifts, restoreLists, type ListDrift } from "./list-drift.ts";
import { managedFieldsChanged } from "./managed-fields.ts";
import { FIELD_MANAGER, serverSideApply, type ApplyRequest, type KubeObject } from "./objects.ts";
import { handOverReplicas, needsReplicasHandover } from "./replicas-handover.ts";
import { stageGate, stageGroups, weightGroups, type GateOptions } from "./stages.ts";

/** What every writing phase needs. */
export interface StepContext {
  readonly client: ClusterClient;
  readonly progress: Progress;
  readonly request: Omit<ApplyRequest, "dryRun">;
  readonly concurrency: number;
  readonly now: () => Date;
  /** Throws ApplyInterrupted when the caller's signal fired; called before each write. */
  readonly checkAbort: () => void;
}

/**
 * Atomicity: the server validates every object that will be sent before anything is written.
 * Answers the server's view of each object in `plan.toApply` (undefined for deferred ones).
 * Deferred objects (custom resources whose CRD this same apply installs) cannot be checked
 * before their kind is served: they get their dry run when their stage starts, before any
 * object of that stage is written (applyInStages).
 */
export async function dryRunChanges(plan: ApplyPlan, ctx: StepContext): Promise<(KubeObject | undefined)[]> {
  const { client } = ctx;
  const checked = await settleLimit(plan.toApply, ctx.concurrency * 2, (d) => {
    if (d.deferred) return Promise.resolve(undefined);
    const live = plan.live.get(d.key);
    const drifts = live === undefined ? [] : listDrifts(d.object, live);
    if (drifts.length > 0 && !ctx.request.force) return Promise.reject(driftError(d.ref, drifts));
    // With --force-conflicts the restoring write comes first; it is what must pass here.
    if (drifts.length > 0 && live !== undefined) return restoreLists(client, live, drifts, true);
    return serverSideApply(client, d.object, { ...ctx.request, dryRun: true });
  });
  const rejected = checked.flatMap((c, i) =>
    c.ok ? [] : [{ ref: plan.toApply[i]!.ref, error: isOpmError(c.error) ? c.error : String(c.error) }],
  );
  if (rejected.length === 0) return checked.map((c) => (c.ok ? c.value : undefined));
  const { namespace } = plan.release;
  const missing = rejected.some((r) => isOpmError(r.error) && r.error.key === "ClusterNotFound");
  if (
    missing &&
    (await client.raw("GET", `/api/v1/namespaces/${encodeURIComponent(namespace)}`)).status === 404
  ) {
    throw new OpmError("ClusterNotFound", {
      message: `namespace ${namespace} does not exist`,
      hint: "pass --create-namespace, or choose another namespace with -n",
      details: { namespace },
    });
  }
  // A namespace being deleted refuses every object: one error saying so, not one per object.
  const terminating = rejected.find((r) => isOpmError(r.error) && r.error.key === "ObjectTerminating");
  if (terminating !== undefined) throw terminating.error;
  const connectivity = checked.find((c) => !c.ok && isOpmError(c.error) && c.error.category !== "cluster");
  if (connectivity !== undefined && !connectivity.ok) throw connectivity.error;
  const allConflicts = rejected.every((r) => isOpmError(r.error) && r.error.key === "FieldConflict");
  throw aggregate(
    allConflicts ? "FieldConflict" : "ObjectRejected",
    rejected,
    allConflicts
      ? "nothing was written; pass --force-conflicts to take the fields over and restore what the module renders"
      : rejected.some((r) => isOpmError(r.error) && r.error.details?.["immutable"] === true)
        ? "nothing was written; a field the cluster cannot change in place keeps its old value in the module, or its object is deleted (kubectl delete) and applied again, which recreates it"
        : "nothing was written; fix the objects above and apply again",
  );
}

/**
 * The pending record lists every object this run may write before it writes any, and holds the
 * release for this run (lease.ts): a run that wrote the inventory since our plan read it makes
 * this fail, before any object is touched.
 */
export async function recordPending(
  plan: ApplyPlan,
  ctx: StepContext,
  lease: { readonly holder: string; readonly durationMs: number; readonly manager?: ReleaseManager },
): Promise<ReleaseLease> {
  const { input } = plan;
  const module = { fqn: input.release.fqn, version: input.release.version };
  // Checked against the inventory this write is conditional on: a handoff in between fails it.
  if (lease.manager !== undefined) checkManager(plan.inventory, lease.manager);
  const base: Inventory = plan.inventory ?? {
    release: plan.release,
    module,
    createdBy: "cli",
    ...(lease.manager?.kind === "controller" ? { managedBy: lease.manager } : {}),
    index: [],
    changes: {},
  };
  ctx.checkAbort();
  ctx.progress.write("inventory (pending)");
  return ReleaseLease.acquire(
    ctx.client,
    {
      ...base,
      module,
      pending: {
        changeId: plan.changeId,
        startedAt: ctx.now().toISOString(),
        entries: unionEntries(
          plan.previous,
          plan.desired.map((d) => d.entry),
        ),
      },
    },
    { ...lease, now: ctx.now },
  );
}

/**
 * Server-side apply of `plan.toApply`, stage by stage: before a stage starts, what its objects
 * wait for is ready (with `gate.wait`), and its deferred objects are served and pass their
 * dry run; within a stage, one weight group after the other (a group's objects in parallel).
 * Answers what happened to every desired object. A failure stops before the next group; prune
 * and commit are then skipped and the pending record keeps every entry.
 */
export async function applyInStages(
  plan: ApplyPlan,
  ctx: StepContext,
  written: Set<string>,
  gate: GateOptions,
): Promise<Map<string, ObjectAction>> {
  const actions = new Map<string, ObjectAction>();
  for (const d of plan.desired) if (plan.unchanged.has(d.key)) actions.set(d.key, "unchanged");
  const stages = stageGroups(
    plan.desired,
    (d) => d.stage,
    (d) => d.ref,
  );
  const sending = new Set(plan.toApply.map((d) => d.key));
  const byKey = new Map(plan.desired.map((d) => [d.key, d]));
  for (const [index, stage] of stages.entries()) {
    const needed = [...new Set(stage.flatMap((d) => d.waitsFor))].map((key) => byKey.get(key)!.ref);
    await stageGate(ctx.client, needed, index, stages.length, gate);
    const toSend = stage.filter((d) => sending.has(d.key));
    if (toSend.length === 0) continue;
    if (stages.length > 1)
      ctx.progress.emit({
        type: "stage",
        index,
        total: stages.length,
        step: "applying",
        objects: toSend.length,
      });
    await checkDeferred(toSend, ctx);
    for (const group of weightGroups(toSend, (d) => weightOf(d.ref.kind)))
      await applyGroup(group, plan, ctx, written, actions);
  }
  for (const d of plan.desired)
    if (plan.unchanged.has(d.key))
      ctx.progress.emit({ type: "object", id: d.ref, component: d.component, action: "unchanged" });
  return actions;
}

/**
 * A stage's custom resources whose CRD this apply installed: wait until the kind is served,
 * then the server's dry run of each; any rejection stops before this stage writes anything.
 */
async function checkDeferred(stage: readonly DesiredObject[], ctx: StepContext): Promise<void> {
  const deferred = stage.filter((d) => d.deferred);
  if (deferred.length === 0) return;
  for (const d of deferred) await awaitServed(ctx.client, d.ref, 60_000);
  const checked = await settleLimit(deferred, ctx.concurrency * 2, (d) =>
    serverSideApply(ctx.client, d.object, { ...ctx.request, dryRun: true }),
  );
  const rejected = checked.flatMap((c, i) =>
    c.ok ? [] : [{ ref: deferred[i]!.ref, error: isOpmError(c.error) ? c.error : String(c.error) }],
  );
  if (rejected.length === 0) return;
  throw aggregate(
    "ObjectRejected",
    rejected,
    "nothing of this stage was written (earlier stages were; the inventory keeps a pending record); fix the objects and apply again",
  );
}

/** One weight group, in parallel; the first failure ends the apply (after the group settles). */
async function applyGroup(
  group: readonly DesiredObject[],
  plan: ApplyPlan,
  ctx: StepContext,
  written: Set<string>,
  actions: Map<string, ObjectAction>,
): Promise<void> {
  const outcomes = await settleLimit(group, ctx.concurrency, async (d) => {
    ctx.checkAbort();
    ctx.progress.write(describeObject(d.ref));
    written.add(d.key);
    let after: KubeObject;
    try {
      const before = plan.live.get(d.key);
      if (needsReplicasHandover(d.object, before, ctx.request.fieldManager))
        await handOverReplicas(ctx.client, before!, { dryRun: false });
      // Keyed-list entries another manager re-keyed: restored first (list-drift.ts).
      const drifts = before !== undefined && ctx.request.force ? listDrifts(d.object, before) : [];
      if (drifts.length > 0) await restoreLists(ctx.client, before!, drifts, false);
      after = await serverSideApply(ctx.client, d.object, { ...ctx.request, dryRun: false });
      if (drifts.length > 0) await dropRepairRecord(ctx.client, after);
    } catch (error) {
      // The server answered with a refusal: this write did not happen.
      if (isOpmError(error) && !isTransient(error)) written.delete(d.key);
      throw error;
    }
    const action = actionOf(plan.live.get(d.key), after, ctx.request.fieldManager);
    actions.set(d.key, action);
    ctx.progress.emit({ type: "object", id: d.ref, component: d.component, action });
  });
  const failed = outcomes.flatMap((o, i) => (o.ok ? [] : [{ ref: group[i]!.ref, error: o.error }]));
  if (failed.length === 0) return;
  const interrupted = failed.find((f) => isOpmError(f.error) && f.error.key === "ApplyInterrupted");
  if (interrupted !== undefined) throw interrupted.error;
  throw aggregate(
    "ObjectRejected",
    failed.map((f) => ({ ref: f.ref, error: isOpmError(f.error) ? f.error : String(f.error) })),
    "the inventory keeps a pending record; fix the problem and apply again",
  );
}

function driftError(ref: ObjectRef, drifts: readonly ListDrift[]): OpmError {
  const managers = [...new Set(drifts.flatMap((d) => d.foreign.flatMap((f) => f.managers)))];
  return new OpmError("FieldConflict", {
    message: `${describeObject(ref)}: list entries were changed by another field manager: ${drifts.map(describeDrift).join("; ")}`,
    hint: "pass --force-conflicts to restore the entries the module renders (the others are removed)",
    details: { ...ref, drifts: drifts.map((d) => ({ path: d.path, key: d.key, managers })) },
  });
}

/** A kind defined by a CRD of this same set: wait until the API server serves it. */
async function awaitServed(client: ClusterClient, ref: ObjectRef, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await client.discovery.find(ref.apiVersion, ref.kind)) === undefined) {
    if (Date.now() > deadline) await client.discovery.resolve(ref.apiVersion, ref.kind);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * `configured` only when a field we apply changed: a controller's status update or another
 * manager's edit between our read and our write (a new resourceVersion) is not our change.
 */
export function actionOf(
  before: KubeObject | undefined,
  after: KubeObject,
  fieldManager = FIELD_MANAGER,
): ObjectAction {
  if (before === undefined) return "created";
  return managedFieldsChanged(before, after, fieldManager) ? "configured" : "unchanged";
}

/** Records the change (newest first, history capped); the pending record and the lease end. */
export async function commitChange(
  plan: ApplyPlan,
  lease: ReleaseLease,
  kept: readonly InventoryEntry[],
  maxHistory: number,
  ctx: StepContext,
): Promise<Inventory> {
  const { input, changeId: id } = plan;
  ctx.checkAbort();
  ctx.progress.write("inventory (commit)");
  const entries = unionEntries(
    plan.desired.map((d) => d.entry),
    kept,
  );
  const committed = await lease.write((inventory) => {
    const index = [id, ...inventory.index.filter((x) => x !== id)].slice(0, Math.max(1, maxHistory));
    const changes = Object.fromEntries(
      index
        .filter((x) => x !== id && inventory.changes[x] !== undefined)
        .map((x) => [x, inventory.changes[x]!]),
    );
    changes[id] = {
      id,
      module: { fqn: input.release.fqn, version: input.release.version },
      manifestDigest: plan.manifestDigest,
      valuesDigest: plan.valuesDigest,
      timestamp: ctx.now().toISOString(),
      entries,
      ...(input.source === undefined ? {} : { source: input.source }),
    };
    return { ...inventory, index, changes, pending: undefined };
  }, false);
  lease.end();
  return committed;
}

/**
 * After a failure: what may exist now. Everything the release owned, what existed before, and
 * every object whose write may have reached the server; not what was refused or never sent.
 */
export function entriesThatMayExist(plan: ApplyPlan, written: ReadonlySet<string>): InventoryEntry[] {
  return unionEntries(
    plan.previous,
    plan.desired.filter((d) => written.has(d.key) || plan.live.has(d.key)).map((d) => d.entry),
  );
}
