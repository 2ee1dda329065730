// `apply`: put a rendered release on the cluster, atomically and resumably.
// The phases, each a function named after it:
//   planApply (apply-plan.ts)     read inventory and live objects, check ownership, decide
//   dryRunChanges (apply-steps)   the server's dry run of everything that changes; any rejection:
//                                 nothing written
//   recordPending                 the pending record, listing every object the run may write; it
//                                 is also the lock that keeps other runs out (lease.ts)
//   applyInStages                 server-side apply stage by stage (stages.ts: with --wait, a
//                                 stage starts when what it waits for is ready), and within a
//                                 stage one weight group after the other
//   pruneStale (prune.ts)         delete owned objects no longer rendered
//   commitChange                  the change record; the pending record and the lock end
//   waitForHealth (wait.ts)       until every object is healthy, or the timeout
import { randomUUID } from "node:crypto";
import { OpmError, isOpmError } from "../../../sdk/errors.ts";
import { redactError, releaseSecrets } from "../../../sdk/redact.ts";
import type { ObjectRef } from "../../../sdk/identity/objects.ts";
import { planApply, type ApplyPlan } from "./apply-plan.ts";
import {
  applyInStages,
  commitChange,
  actionOf,
  dryRunChanges,
  entriesThatMayExist,
  recordPending,
  type StepContext,
} from "./apply-steps.ts";
import type { ClusterClient } from "./client.ts";
import { changeId, manifestDigest } from "./digest.ts";
import { releaseRefOf, type ReleaseInput } from "./desired.ts";
import { Progress, type EventSink, type ObjectAction } from "./events.ts";
import type { ReleaseRef } from "./labels.ts";
import { DEFAULT_LEASE_DURATION_MS, type ReleaseLease } from "./lease.ts";
import { ensureNamespace } from "./namespace.ts";
import type { KubeObject } from "./objects.ts";
import type { InventoryEntry, ReleaseManager } from "./inventory.ts";
import { checkQuota } from "./quota.ts";
import { keepReason, pruneStale, type PruneOptions } from "./prune.ts";
import { stageGroups } from "./stages.ts";
import { pruneSuperseded, staleConfigReaders, stillReadReason, type ConfigReaders } from "./superseded.ts";
import { DEFAULT_TIMEOUT_MS, waitForHealth } from "./wait.ts";

/** How `apply` puts a release on the cluster; the CLI maps `opm mod apply`'s flags onto these. */
export interface ApplyOptions extends PruneOptions {
  /** The cluster to apply to. */
  readonly client: ClusterClient;
  /** Take over fields another manager owns (`--force-conflicts`). */
  readonly forceConflicts?: boolean;
  /** The server-side apply field manager the release's fields are owned by. @default "opm" */
  readonly fieldManager?: string;
  /** Take over objects that exist but are not this release's (`--adopt`). */
  readonly adopt?: boolean;
  /**
   * Create the release's namespace first when it does not exist (`--create-namespace`). @default
   * false
   */
  readonly createNamespace?: boolean;
  /** `client`: plan from reads only; `server`: the server's dry run, nothing written. */
  readonly dryRun?: "none" | "client" | "server";
  /**
   * Wait for every object to be healthy, and before each stage for what it waits for
   * (docs/staged-apply.md); default true.
   */
  readonly wait?: boolean;
  /** Bounds all waiting of one apply (between stages and at the end); default 5 minutes. */
  readonly timeoutMs?: number;
  /**
   * Keep objects the release no longer renders instead of deleting them (`--no-prune`). @default
   * false
   */
  readonly noPrune?: boolean;
  /** Allow an empty render to prune everything (`--force`). */
  readonly allowEmpty?: boolean;
  /** Change records kept in the inventory; default 10. */
  readonly maxHistory?: number;
  /** Requests in flight within one weight group; default 8. */
  readonly concurrency?: number;
  /** Told about phases, objects, stages and writes as they happen, for progress output. */
  readonly onEvent?: EventSink;
  /** Stops between writes; the next apply resumes from the pending record. */
  readonly signal?: AbortSignal;
  /** Who this run is, for the lock (lease.ts); the CLI says user, host and process. */
  readonly holder?: string;
  /** How long the lock holds without renewal; default 30 s. */
  readonly leaseDurationMs?: number;
  /** How long to wait for another run that holds the release (`--lock-timeout`); default 0. */
  readonly lockTimeoutMs?: number;
  /**
   * Who applies: a release another manager holds is refused (ReleaseManagedElsewhere) before
   * anything is written; a new release records it. Undefined: no check (the CLI checks first).
   */
  readonly managedBy?: ReleaseManager;
  /** The clock for change records. @default the system clock */
  readonly now?: () => Date;
}

/** What `apply` did with one rendered object. */
export interface ObjectResult {
  /** The object. */
  readonly id: ObjectRef;
  /** The component that rendered it. */
  readonly component: string;
  /** `created`, `configured` (fields changed) or `unchanged`. */
  readonly action: ObjectAction;
}

/** What an apply did (or, in a dry run, would do). */
export interface ApplyResult {
  /** The release applied. */
  readonly release: ReleaseRef;
  /** Every rendered object with what happened to it, in apply order. */
  readonly objects: readonly ObjectResult[];
  /** Objects of the release's earlier render deleted because it no longer renders them. */
  readonly pruned: readonly ObjectRef[];
  /** Stale objects kept on purpose (Namespaces, PVCs and CRDs without opt-in). */
  readonly kept: readonly ObjectRef[];
  /** False when nothing on the cluster changed ("no changes"). */
  readonly changed: boolean;
  /** The id of this apply's change record in the inventory (`opm mod history`). */
  readonly changeId: string;
  /** Which kind of run this was: `none` wrote to the cluster. */
  readonly dryRun: "none" | "client" | "server";
  /** The objects of each stage, in apply order (docs/staged-apply.md). */
  readonly stages: readonly (readonly ObjectRef[])[];
}

/**
 * Applies a release: dry run of the whole set, pending inventory, server-side apply by weight,
 * prune, commit. An error never quotes a value of the release's Secrets or sensitive fields
 * (the API server's messages do, e.g. when it rejects a changed Job template).
 */
export async function apply(input: ReleaseInput, options: ApplyOptions): Promise<ApplyResult> {
  try {
    return await applyRelease(input, options);
  } catch (error) {
    throw redactError(error, releaseSecrets(input));
  }
}

async function applyRelease(input: ReleaseInput, options: ApplyOptions): Promise<ApplyResult> {
  const { client } = options;
  const progress = new Progress(options.onEvent);
  const mode = options.dryRun ?? "none";
  const concurrency = options.concurrency ?? 8;
  const now = options.now ?? (() => new Date());
  let lease: ReleaseLease | undefined;
  const ctx: StepContext = {
    client,
    progress,
    request: { force: options.forceConflicts === true, fieldManager: options.fieldManager },
    concurrency,
    now,
    checkAbort: () => {
      lease?.check();
      if (options.signal?.aborted !== true) return;
      throw new OpmError("ApplyInterrupted", {
        message: `apply stopped after ${progress.writeCount} write(s)`,
        hint: "run apply again: it resumes from the pending inventory record and prunes what is left over",
      });
    },
  };
  const result = (objects: ObjectResult[], id: string, extra: Partial<ApplyResult> = {}): ApplyResult => ({
    release: releaseRefOf(input),
    objects,
    pruned: [],
    kept: [],
    changed: objects.some((o) => o.action !== "unchanged"),
    changeId: id,
    dryRun: mode,
    stages: stagesOf(plan),
    ...extra,
  });

  progress.emit({ type: "phase", phase: "reading" });
  if (options.createNamespace === true && mode === "none")
    await ensureNamespace(client, input.release.namespace, progress);
  const lockDeadline = Date.now() + (options.lockTimeoutMs ?? 0);
  let plan: ApplyPlan | undefined;
  const stagesOf = (p: ApplyPlan | undefined) =>
    stageGroups(
      p?.desired ?? [],
      (d) => d.stage,
      (d) => d.ref,
    ).map((stage) => stage.map((d) => d.ref));
  let checked: (KubeObject | undefined)[] = [];
  let readers: ConfigReaders | undefined;
  const holder = options.holder ?? `opm-${randomUUID().slice(0, 8)}`;
  const settleOptions = (p: ApplyPlan) => ({
    release: releaseRefOf(input),
    partOf: p.partOf,
    changeId: p.changeId,
    deadline: Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    holder,
    leaseDurationMs: options.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS,
    progress,
    now,
    rendered: p.desired.map((d) => d.object),
  });
  // Plan, dry run and take the release; while another run holds it, wait (--lock-timeout).
  for (;;) {
    try {
      plan = await planApply(client, input, {
        adopt: options.adopt === true,
        allowEmpty: options.allowEmpty === true,
        concurrency,
        progress,
        writes: mode === "none",
        now,
      });
      if (plan === undefined) {
        // Nothing rendered and nothing owned: no inventory is created for an empty release.
        progress.emit({ type: "phase", phase: "done", message: "no resources to apply" });
        return result([], changeId(input.release.fqn, input.release.version, "", manifestDigest([])));
      }
      if (mode === "client") return result(plannedObjects(plan), plan.changeId);
      progress.emit({ type: "phase", phase: "dry-run" });
      await checkQuota(client, input.release.namespace, plan.toApply, plan.live);
      checked = await dryRunChanges(plan, ctx);
      if (mode === "server")
        return result(serverPlannedObjects(plan, checked, options.fieldManager), plan.changeId);
      // Superseded ConfigMaps and Secrets stay while pods still read them (superseded.ts).
      readers =
        options.noPrune === true
          ? undefined
          : await staleConfigReaders(
              client,
              input.release.namespace,
              plan.stale,
              plan.desired.map((d) => d.object),
            );
      if (upToDate(plan, options, readers)) {
        progress.emit({ type: "phase", phase: "done", message: "no changes" });
        const objects = plannedObjects(plan);
        for (const o of objects) progress.emit({ type: "object", ...o });
        if (options.wait !== false) {
          await waitForHealth(
            client,
            plan.desired.map((d) => d.ref),
            { ...options, progress },
          );
          const settled = await pruneSuperseded(client, plan.stale, settleOptions(plan));
          return result(objects, plan.changeId, { pruned: settled.map((e) => e.ref) });
        }
        return result(objects, plan.changeId);
      }
      lease = await recordPending(plan, ctx, {
        holder,
        durationMs: options.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS,
        ...(options.managedBy === undefined ? {} : { manager: options.managedBy }),
      });
      break;
    } catch (error) {
      if (!isOpmError(error) || error.key !== "ReleaseLocked" || Date.now() >= lockDeadline) throw error;
      progress.emit({ type: "warning", message: `${error.message}; waiting` });
      await new Promise((r) => setTimeout(r, Math.min(1_000, Math.max(0, lockDeadline - Date.now()))));
    }
  }

  const written = new Set<string>();
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    progress.emit({ type: "phase", phase: "applying" });
    const actions = await applyInStages(plan, ctx, written, {
      wait: options.wait !== false,
      deadline,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      progress,
    });
    let pruned: ObjectRef[] = [];
    let kept: ObjectRef[] = [];
    let keptEntries = plan.stale;
    if (options.noPrune !== true) {
      progress.emit({ type: "phase", phase: "pruning" });
      const outcome = await pruneStale(client, plan.stale, plan.partOf, {
        ...options,
        progress,
        checkAbort: ctx.checkAbort,
        waitUntil: options.wait === false ? undefined : deadline,
        stillNeeded: (entry) => stillReadReason(entry, readers),
      });
      pruned = outcome.pruned;
      kept = outcome.kept;
      keptEntries = outcome.retained;
    }
    progress.emit({ type: "phase", phase: "committing" });
    await commitChange(plan, lease, keptEntries, options.maxHistory ?? 10, ctx);

    const objects = plan.desired.map((d): ObjectResult => ({
      id: d.ref,
      component: d.component,
      action: actions.get(d.key) ?? "unchanged",
    }));
    const changed = objects.some((o) => o.action !== "unchanged") || pruned.length > 0;
    if (options.wait !== false) {
      progress.emit({ type: "phase", phase: "waiting" });
      await waitForHealth(
        client,
        plan.desired.map((d) => d.ref),
        { ...options, timeoutMs: Math.max(0, deadline - Date.now()), progress },
      );
      // Rolled out: the superseded config the old pods read can go now.
      const settled = await pruneSuperseded(client, keptEntries, { ...settleOptions(plan), deadline });
      pruned = [...pruned, ...settled.map((e) => e.ref)];
      kept = kept.filter((ref) => !settled.some((e) => e.ref === ref));
    }
    progress.emit(
      changed ? { type: "phase", phase: "done" } : { type: "phase", phase: "done", message: "no changes" },
    );
    return result(objects, plan.changeId, { pruned, kept, changed });
  } finally {
    // After a failure the pending record stays for the next run, listing what may exist now.
    await lease.release(entriesThatMayExist(plan, written));
  }
}

/** Nothing to send, nothing to prune, and the inventory already records this change. */
function upToDate(
  plan: ApplyPlan,
  options: PruneOptions & { noPrune?: boolean },
  readers: ConfigReaders | undefined,
): boolean {
  const headIsCurrent = plan.inventory?.index[0] === plan.changeId && plan.inventory.pending === undefined;
  // Retained entries a prune would keep again are no change.
  const stillRetained = (e: InventoryEntry) =>
    e.retained === true &&
    options.noPrune !== true &&
    (keepReason(e.ref.kind, options) !== undefined || stillReadReason(e, readers) !== undefined);
  return plan.toApply.length === 0 && plan.stale.every(stillRetained) && headIsCurrent;
}

/** What the server's dry run says each object would become (`--dry-run=server`). */
function serverPlannedObjects(
  plan: ApplyPlan,
  checked: readonly (KubeObject | undefined)[],
  fieldManager: string | undefined,
): ObjectResult[] {
  return plan.desired.map((d): ObjectResult => {
    const after = checked[plan.toApply.indexOf(d)];
    const action: ObjectAction =
      after === undefined
        ? plan.live.has(d.key)
          ? "unchanged"
          : "created"
        : actionOf(plan.live.get(d.key), after, fieldManager);
    return { id: d.ref, component: d.component, action };
  });
}

/** What a plan expects without asking the server (`--dry-run=client`, and "no changes"). */
function plannedObjects(plan: ApplyPlan): ObjectResult[] {
  return plan.desired.map((d) => ({
    id: d.ref,
    component: d.component,
    action: plan.unchanged.has(d.key) ? "unchanged" : plan.live.has(d.key) ? "configured" : "created",
  }));
}
