// One reconcile of one ModuleRelease, in phases:
//   load          the resource as it is now; gone: nothing to do
//   delete        being deleted: prune everything the inventory lists (prune: true), then let go
//   check         spec valid, not suspended, finalizer set, dependsOn Ready
//   render        values (Secrets by reference) and the module, through the CLI's composition
//   apply         the library's apply: dry run, SSA as opm-controller, prune, inventory, health
//   report        status (conditions, digests, inventory, history, counters) and events
// A reconcile of an unchanged render that still changed objects found drift: the apply restored
// them, and Drifted, an event and a history entry say which. Failures are written to status
// before the error goes back to the queue, which retries with backoff.
import {
  describeManager,
  findInventory,
  managerOf,
  remove,
  sameManager,
  sha256,
  stableJson,
  type ApplyResult,
  type ClusterClient,
  type ReleaseManager,
} from "../providers/kubernetes/cluster/index.ts";
import { ErrorCodes } from "../sdk/error-codes.ts";
import { OpmError, isOpmError } from "../sdk/errors.ts";
import {
  FINALIZER,
  MAX_HISTORY,
  MAX_STATUS_ENTRIES,
  ModuleReleaseSpec,
  type HistoryEntry,
  type ModuleRelease,
  type ModuleReleaseStatus,
} from "./api/types.ts";
import { conditionOf, Reasons, setConditions, type ConditionUpdate, type Reason } from "./conditions.ts";
import type { EventRecorder } from "./events.ts";
import type { Metrics } from "./metrics.ts";
import type { ControllerPorts, ModuleSourceSpec } from "./ports.ts";
import { getRelease, setFinalizer, writeStatus } from "./resource.ts";
import { resolveValuesFrom, type ResolvedValues } from "./values-from.ts";
import { parseInterval } from "./duration.ts";
import {
  applyToTarget,
  finalizeTargets,
  reportTargets,
  targetsOf,
  type Target,
  type TargetRun,
} from "./targets.ts";

export interface ReconcileContext {
  readonly client: ClusterClient;
  readonly ports: ControllerPorts;
  readonly events: EventRecorder;
  readonly metrics: Metrics;
  /** Who holds a release's lock while the controller applies it. */
  readonly holder: string;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  /** A client acting as `user` (impersonation), for releases that name a ServiceAccount. */
  readonly actingAs: (user: string) => ClusterClient;
  readonly now?: () => Date;
  /**
   * The generation this reconcile works on, as soon as it is read: watch events of that
   * generation (the reconcile's own finalizer and status writes) need no further reconcile.
   */
  readonly onGeneration?: (generation: number | undefined) => void;
}

/**
 * The client a release's objects are read and written with: the controller's own, or, when the
 * spec names a ServiceAccount (in the ModuleRelease's namespace), one that impersonates it, so
 * the release can do no more than that account may.
 */
export function releaseClient(
  release: ModuleRelease,
  spec: ModuleReleaseSpec,
  ctx: ReconcileContext,
): ClusterClient {
  if (spec.serviceAccountName === undefined) return ctx.client;
  return ctx.actingAs(`system:serviceaccount:${release.metadata.namespace}:${spec.serviceAccountName}`);
}

export interface ReconcileOutcome {
  readonly requeueAfterMs?: number;
  /** The UUID of the release the ModuleRelease manages, once applied (its objects carry it). */
  readonly releaseUuid?: string;
}

/** The reconcile failed; status says why. The queue retries it with backoff. */
export class ReconcileFailed extends Error {}

const ok: Reason = Reasons.Succeeded;

export async function reconcile(
  namespace: string,
  name: string,
  ctx: ReconcileContext,
): Promise<ReconcileOutcome> {
  let release = await getRelease(ctx.client, namespace, name);
  if (release === undefined) return {};
  ctx.onGeneration?.(release.metadata.generation);
  const parsed = ModuleReleaseSpec.safeParse(release.spec);
  if (release.metadata.deletionTimestamp !== undefined) {
    await finalize(release, parsed.success ? parsed.data : undefined, ctx);
    return {};
  }
  let run = new StatusWriter(release, ctx);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `spec.${i.path.join(".")}: ${i.message}`).join("; ");
    const error = new OpmError("ReleaseSpecInvalid", {
      message: `the spec is invalid: ${issues}`,
      hint: "fix the spec; the CRD's schema admits it, so the controller is newer than the CRD: run opm controller install",
    });
    await run.fail(Reasons.InvalidSpec, describe(error), { stalled: true });
    return {};
  }
  const spec = parsed.data;
  if (spec.suspend) {
    await run.commit([
      {
        type: "Ready",
        status: "False",
        reason: Reasons.Suspended,
        message: "reconciliation is suspended (spec.suspend)",
      },
      { type: "Reconciling", status: "False", reason: Reasons.Suspended, message: "suspended" },
    ]);
    return {};
  }
  if (!(release.metadata.finalizers ?? []).includes(FINALIZER)) {
    // Set, and go on in the same pass: its watch event is the controller's own write.
    release = await setFinalizer(ctx.client, release, true);
    run = new StatusWriter(release, ctx);
  }
  const intervalMs = parseInterval(spec.interval);
  const blocked = await unreadyDependency(release, spec, ctx.client);
  if (blocked !== undefined) {
    await run.commit([
      { type: "Ready", status: "False", reason: Reasons.DependencyNotReady, message: blocked },
      { type: "Reconciling", status: "True", reason: Reasons.DependencyNotReady, message: blocked },
    ]);
    return { requeueAfterMs: Math.min(intervalMs, 10_000) };
  }
  if (release.status?.observedGeneration !== release.metadata.generation)
    await run.progress(`reconciling generation ${release.metadata.generation ?? 0}`);
  const actor = releaseClient(release, spec, ctx);
  let values: ResolvedValues;
  try {
    values = await resolveValuesFrom(actor, release.metadata.namespace, spec);
  } catch (error) {
    const missing = isOpmError(error) && error.key === "ValuesRefMissing";
    const permanent = !missing && isPermanent(error);
    await run.fail(missing ? Reasons.ValuesRefMissing : Reasons.RenderFailed, describe(error), {
      stalled: permanent,
      history: "apply",
    });
    if (permanent) return { requeueAfterMs: intervalMs };
    throw new ReconcileFailed(describe(error));
  }
  // One render -> apply path for every target; the release's own cluster is the one implicit
  // target when the spec lists none.
  const runs: { target: Target; run: TargetRun }[] = [];
  for (const target of targetsOf(release, spec))
    runs.push({ target, run: await applyToTarget(release, spec, target, values, run.now, ctx) });
  if (spec.targets !== undefined) return reportTargets(release, spec, runs, run, ctx);
  return reportOwn(release, runs[0]!.run, intervalMs, run, ctx);
}

/** Writes the status of a release on the controller's own cluster (no `spec.targets`); throws to retry. */
async function reportOwn(
  release: ModuleRelease,
  done: TargetRun,
  intervalMs: number,
  run: StatusWriter,
  ctx: ReconcileContext,
): Promise<ReconcileOutcome> {
  if (done.kind === "managedExternally") {
    await run.commit(
      [
        { type: "Ready", status: "False", reason: Reasons.ManagedExternally, message: done.message },
        { type: "Reconciling", status: "False", reason: Reasons.ManagedExternally, message: "waiting" },
        { type: "Stalled", status: "False", reason: Reasons.ManagedExternally, message: "" },
      ],
      intervalMs,
    );
    return { requeueAfterMs: intervalMs };
  }
  if (done.kind === "failed") {
    if (done.attempt !== undefined) run.status.lastAttempted = done.attempt;
    await run.fail(done.reason, done.message, {
      stalled: done.stalled,
      history: "apply",
      ...(done.attempt === undefined ? {} : { renderDigest: done.attempt.renderDigest }),
    });
    if (done.stalled) return { requeueAfterMs: intervalMs };
    throw new ReconcileFailed(done.message);
  }
  const { input, result, attempt } = done;
  run.status.lastAttempted = attempt;
  const lastApplied = release.status?.lastApplied;
  const sameRender =
    lastApplied?.renderDigest === attempt.renderDigest &&
    release.status?.observedGeneration === release.metadata.generation;
  const changed = result.objects.filter((o) => o.action !== "unchanged");
  const drifted = sameRender && changed.length > 0;
  const latest = done.head;
  const entries = latest?.entries ?? [];
  run.status.lastApplied = { ...attempt, changeId: result.changeId };
  run.status.inventory = {
    count: entries.length,
    ...(latest === undefined ? {} : { digest: latest.manifestDigest }),
    entries: entries.slice(0, MAX_STATUS_ENTRIES).map((e) => ({
      group: e.ref.apiVersion.includes("/") ? e.ref.apiVersion.split("/")[0]! : "",
      kind: e.ref.kind,
      ...(e.ref.namespace === "" ? {} : { namespace: e.ref.namespace }),
      name: e.ref.name,
      component: e.component,
    })),
  };
  const summary = summarize(result);
  if (drifted) {
    const which = changed.map((o) => `${o.id.kind} ${o.id.name} (${o.action})`).join(", ");
    const message = `restored ${changed.length} object(s) changed on the cluster: ${which}`;
    run.count("drift");
    ctx.metrics.observeDrift();
    run.record({
      action: "drift-correction",
      result: "Succeeded",
      renderDigest: attempt.renderDigest,
      message,
    });
    await ctx.events.record(release, "Normal", "Drifted", message);
    run.conditions.push({ type: "Drifted", status: "True", reason: Reasons.DriftDetected, message });
  } else {
    run.conditions.push({
      type: "Drifted",
      status: "False",
      reason: Reasons.NoDrift,
      message: "the objects match the render",
    });
    if (result.changed) {
      run.record({
        action: "apply",
        result: "Succeeded",
        renderDigest: attempt.renderDigest,
        message: summary,
      });
      await ctx.events.record(release, "Normal", "Applied", summary);
    }
  }
  if (result.pruned.length > 0)
    await ctx.events.record(
      release,
      "Normal",
      "Pruned",
      `pruned ${result.pruned.map((r) => `${r.kind} ${r.name}`).join(", ")}`,
    );
  await run.commit(
    [
      { type: "Ready", status: "True", reason: ok, message: summary },
      { type: "Reconciling", status: "False", reason: ok, message: "reconciled" },
      { type: "Stalled", status: "False", reason: ok, message: "" },
    ],
    intervalMs,
  );
  return { requeueAfterMs: intervalMs, releaseUuid: input.release.identity };
}

/** The deletion path: prune the release (prune: true and not suspended), then drop the finalizer. */
async function finalize(
  release: ModuleRelease,
  spec: ModuleReleaseSpec | undefined,
  ctx: ReconcileContext,
): Promise<void> {
  if (!(release.metadata.finalizers ?? []).includes(FINALIZER)) return;
  const namespace = spec?.targetNamespace ?? release.metadata.namespace;
  const name = spec?.releaseName ?? release.metadata.name;
  if (spec?.targets !== undefined) {
    if (spec.prune && !spec.suspend) {
      try {
        const from = await finalizeTargets(release, spec, ctx);
        await ctx.events.record(
          release,
          "Normal",
          "Deleted",
          `deleted release ${name} from target(s) ${from.join(", ")}`,
        );
      } catch (error) {
        const run = new StatusWriter(release, ctx);
        await run.fail(
          Reasons.PruneFailed,
          `deleting the release from its targets failed: ${describe(error)}`,
          {
            stalled: false,
            history: "delete",
          },
        );
        throw new ReconcileFailed(describe(error));
      }
    }
    await setFinalizer(ctx.client, release, false);
    return;
  }
  const held = spec === undefined ? undefined : await heldByOther(release, spec, ctx, { namespace, name });
  if (held !== undefined) {
    ctx.log(
      `ModuleRelease ${release.metadata.namespace}/${release.metadata.name} deleted; release ${name} is managed by ${held}, so its objects stay`,
    );
  } else if (spec !== undefined && spec.prune && !spec.suspend) {
    try {
      const removed = await remove(
        { namespace, name },
        {
          client: releaseClient(release, spec, ctx),
          holder: ctx.holder,
          ignoreNotFound: true,
          timeoutMs: parseInterval(spec.timeout),
        },
      );
      await ctx.events.record(
        release,
        "Normal",
        "Deleted",
        `deleted ${removed.deleted.length} object(s) of release ${name}`,
      );
    } catch (error) {
      const run = new StatusWriter(release, ctx);
      await run.fail(Reasons.PruneFailed, `deleting the release's objects failed: ${describe(error)}`, {
        stalled: false,
        history: "delete",
      });
      throw new ReconcileFailed(describe(error));
    }
  } else {
    ctx.log(
      `ModuleRelease ${release.metadata.namespace}/${release.metadata.name} deleted; its objects are left in place (prune off or suspended)`,
    );
  }
  await setFinalizer(ctx.client, release, false);
}

export function managerFor(release: ModuleRelease): ReleaseManager {
  return { kind: "controller", namespace: release.metadata.namespace, name: release.metadata.name };
}

/** Who else manages the release (handed back to the CLI, or taken over), if anyone. */
async function heldByOther(
  release: ModuleRelease,
  spec: ModuleReleaseSpec,
  ctx: ReconcileContext,
  target: { readonly namespace: string; readonly name: string },
): Promise<string | undefined> {
  const inventory = await findInventory(releaseClient(release, spec, ctx), target);
  if (inventory === undefined) return undefined;
  const current = managerOf(inventory);
  return sameManager(current, managerFor(release)) ? undefined : describeManager(current);
}

/** The first dependency that is not Ready at its current generation, as a message. */
async function unreadyDependency(
  release: ModuleRelease,
  spec: ModuleReleaseSpec,
  client: ClusterClient,
): Promise<string | undefined> {
  for (const dep of spec.dependsOn ?? []) {
    const namespace = dep.namespace ?? release.metadata.namespace;
    const other = await getRelease(client, namespace, dep.name);
    const code = ErrorCodes.DependencyNotReady.code;
    if (other === undefined)
      return `${code}: waiting for ModuleRelease ${namespace}/${dep.name}, which does not exist`;
    const ready = conditionOf(other.status?.conditions, "Ready");
    if (ready?.status !== "True" || other.status?.observedGeneration !== other.metadata.generation)
      return `${code}: waiting for ModuleRelease ${namespace}/${dep.name} to be Ready`;
  }
  return undefined;
}

export function moduleSource(spec: ModuleReleaseSpec): ModuleSourceSpec {
  if (spec.module.ref !== undefined) return { kind: "registry", ref: spec.module.ref };
  const files = spec.module.inline?.files ?? {};
  return { kind: "inline", files, digest: sha256(stableJson(files)) };
}

/** Errors that retrying cannot fix: the module, its values or the spec are wrong. */
export function isPermanent(error: unknown): boolean {
  const problems = (error as { problems?: unknown }).problems;
  const all = Array.isArray(problems) ? problems : [error];
  return (
    all.length > 0 &&
    all.every(
      (e) => isOpmError(e) && ["validation", "render"].includes(e.category) && !ON_OTHER_RELEASES.has(e.key),
    )
  );
}

/**
 * Render errors that depend on other releases (none, or several, provide an interface the module
 * requires): another release's apply or deletion can mend them, so they are retried with backoff
 * instead of stalling until the interval.
 */
const ON_OTHER_RELEASES: ReadonlySet<string> = new Set(["InterfaceUnfulfilled", "InterfaceAmbiguous"]);

/** An error as one line for status and events: code and message, each of several problems. */
export function describe(error: unknown): string {
  const one = (e: unknown) =>
    isOpmError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  const problems = (error as { problems?: unknown }).problems;
  if (Array.isArray(problems) && problems.length > 0)
    return `${(error as Error).message}: ${problems.map(one).join("; ")}`;
  return one(error);
}

export function summarize(result: ApplyResult): string {
  const count = (action: string) => result.objects.filter((o) => o.action === action).length;
  const parts = [`${result.objects.length} object(s)`];
  for (const action of ["created", "configured"])
    if (count(action) > 0) parts.push(`${count(action)} ${action}`);
  if (result.pruned.length > 0) parts.push(`${result.pruned.length} pruned`);
  return `applied ${parts.join(", ")}`;
}

/** Collects one reconcile's status and writes it once. */
export class StatusWriter {
  readonly now: string;
  readonly status: { -readonly [K in keyof ModuleReleaseStatus]: ModuleReleaseStatus[K] };
  readonly conditions: ConditionUpdate[] = [];

  private readonly release: ModuleRelease;
  private readonly ctx: ReconcileContext;

  constructor(release: ModuleRelease, ctx: ReconcileContext) {
    this.release = release;
    this.ctx = ctx;
    this.now = (ctx.now?.() ?? new Date()).toISOString();
    this.status = { ...release.status };
  }

  count(kind: "reconcile" | "drift"): void {
    const failures = { reconcile: 0, drift: 0, ...this.status.failures };
    failures[kind]++;
    this.status.failures = failures;
  }

  record(entry: Omit<HistoryEntry, "at">): void {
    this.status.history = [{ at: this.now, ...entry }, ...(this.status.history ?? [])].slice(0, MAX_HISTORY);
  }

  async progress(message: string): Promise<void> {
    const conditions = setConditions(
      this.release.status?.conditions,
      [{ type: "Reconciling", status: "True", reason: Reasons.Progressing, message }],
      this.release.metadata.generation,
      this.now,
    );
    await writeStatus(this.ctx.client, this.release, { ...this.release.status, conditions });
  }

  async fail(
    reason: Reason,
    message: string,
    how: { stalled: boolean; history?: HistoryEntry["action"]; renderDigest?: string },
  ): Promise<void> {
    this.count("reconcile");
    if (how.history !== undefined)
      this.record({
        action: how.history,
        result: "Failed",
        message: message.slice(0, 2000),
        ...(how.renderDigest === undefined ? {} : { renderDigest: how.renderDigest }),
      });
    await this.ctx.events.record(this.release, "Warning", "Failed", message);
    await this.commit([
      { type: "Ready", status: "False", reason, message },
      {
        type: "Reconciling",
        status: how.stalled ? "False" : "True",
        reason,
        message: how.stalled ? "stalled: the spec or what it names must change" : "retrying",
      },
      {
        type: "Stalled",
        status: how.stalled ? "True" : "False",
        reason,
        message: how.stalled ? message : "",
      },
    ]);
  }

  async commit(updates: readonly ConditionUpdate[], nextInMs?: number): Promise<void> {
    const generation = this.release.metadata.generation;
    this.status.conditions = setConditions(
      this.release.status?.conditions,
      [...this.conditions, ...updates],
      generation,
      this.now,
    );
    if (generation !== undefined) this.status.observedGeneration = generation;
    if (nextInMs === undefined) delete this.status.nextReconcileAt;
    else this.status.nextReconcileAt = new Date(Date.parse(this.now) + nextInMs).toISOString();
    await writeStatus(this.ctx.client, this.release, this.status);
  }
}
