// `apply`: put a rendered release on the cluster, atomically and resumably (architecture §3, §7).
//   read inventory -> check ownership -> server dry run of everything that changes (any rejection:
//   nothing written) -> pending record -> SSA by weight group -> prune stale -> commit -> wait.
// Objects whose live state already matches an unchanged render are not sent at all, so an
// unchanged re-apply is a few reads.
import { OpmError, isOpmError } from "../../../sdk/errors.ts";
import { weightOf } from "../../../sdk/render/order.ts";
import type { ClusterClient } from "./client.ts";
import { aggregate, prepareDesired, releaseRefOf, weightGroups, type ReleaseInput } from "./desired.ts";
import { changeId, manifestDigest, sha256 } from "./digest.ts";
import { Progress, type EventSink, type ObjectAction } from "./events.ts";
import {
  knownEntries,
  readInventory,
  releaseApplySetId,
  unionEntries,
  writeInventory,
  type Inventory,
} from "./inventory.ts";
import { settleLimit } from "./limit.ts";
import { readLive } from "./live.ts";
import { describe, serverSideApply, type ObjectId } from "./objects.ts";
import { ensureNamespace } from "./namespace.ts";
import { pruneStale, type PruneOptions } from "./prune.ts";
import { actionOf, awaitServed, dryRunAction, isUnchanged, ownershipProblems } from "./apply-checks.ts";
import { waitForHealth } from "./wait.ts";

export interface ApplyOptions extends PruneOptions {
  readonly client: ClusterClient;
  /** Take over fields another manager owns (`--force-conflicts`). */
  readonly forceConflicts?: boolean;
  readonly fieldManager?: string;
  /** Take over objects that exist but are not this release's (`--adopt`). */
  readonly adopt?: boolean;
  readonly createNamespace?: boolean;
  /** `client`: plan from reads only; `server`: the server's dry run, nothing written. */
  readonly dryRun?: "none" | "client" | "server";
  /** Wait for every object to be healthy; default true. */
  readonly wait?: boolean;
  /** Default 5 minutes. */
  readonly timeoutMs?: number;
  readonly noPrune?: boolean;
  /** Allow an empty render to prune everything (`--force`). */
  readonly allowEmpty?: boolean;
  /** Change records kept in the inventory; default 10. */
  readonly maxHistory?: number;
  /** Requests in flight within one weight group; default 8. */
  readonly concurrency?: number;
  readonly onEvent?: EventSink;
  /** Stops between writes; the next apply resumes from the pending record. */
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

export interface ObjectResult {
  readonly id: ObjectId;
  readonly component: string;
  readonly action: ObjectAction;
}

export interface ApplyResult {
  readonly release: { readonly name: string; readonly namespace: string; readonly uuid: string };
  readonly objects: readonly ObjectResult[];
  readonly pruned: readonly ObjectId[];
  /** Stale objects kept on purpose (Namespaces, PVCs and CRDs without opt-in). */
  readonly kept: readonly ObjectId[];
  /** False when nothing on the cluster changed ("no changes"). */
  readonly changed: boolean;
  readonly changeId: string;
  readonly dryRun: "none" | "client" | "server";
}

function checkAbort(signal: AbortSignal | undefined, progress: Progress): void {
  if (signal?.aborted !== true) return;
  throw new OpmError("ApplyInterrupted", {
    message: `apply stopped after ${progress.writeCount} write(s)`,
    hint: "run apply again: it resumes from the pending inventory record and prunes what is left over",
  });
}

export async function apply(input: ReleaseInput, options: ApplyOptions): Promise<ApplyResult> {
  const { client } = options;
  const progress = new Progress(options.onEvent);
  const now = options.now ?? (() => new Date());
  const mode = options.dryRun ?? "none";
  const concurrency = options.concurrency ?? 8;
  const release = releaseRefOf(input);
  const partOf = releaseApplySetId(release);
  const result = (
    objects: ObjectResult[],
    extra: Partial<ApplyResult> & { changeId: string },
  ): ApplyResult => ({
    release,
    objects,
    pruned: [],
    kept: [],
    changed: objects.some((o) => o.action !== "unchanged"),
    dryRun: mode,
    ...extra,
  });

  progress.emit({ type: "phase", phase: "reading" });
  if (options.createNamespace === true && mode === "none")
    await ensureNamespace(client, release.namespace, progress);
  const desired = await prepareDesired(client, input);
  let inventory = await readInventory(client, release);
  if (inventory?.pending !== undefined) {
    progress.emit({
      type: "warning",
      message: `resuming an interrupted apply of ${release.name} (started ${inventory.pending.startedAt})`,
    });
  }
  const previous = knownEntries(inventory);
  if (desired.length === 0 && previous.length > 0 && options.allowEmpty !== true) {
    throw new OpmError("EmptyRenderPrune", {
      message: `release ${release.name} renders no objects; applying it would delete all ${previous.length} object(s) it owns`,
      hint: "check the module and values; pass --force to really remove everything (or use `opm mod delete`)",
    });
  }
  const digest = manifestDigest(input.resources.map((r) => r.object));
  if (desired.length === 0 && previous.length === 0) {
    // Nothing rendered and nothing owned: no inventory is created for an empty release.
    progress.emit({ type: "phase", phase: "done", message: "no resources to apply" });
    return result([], { changeId: changeId(input.release.fqn, input.release.version, "", digest) });
  }
  // Components take part too: a component rename changes the inventory even when no object does.
  const components = sha256(desired.map((d) => `${d.key}=${d.component}`).join("\n"));
  const id = changeId(
    input.release.fqn,
    input.release.version,
    input.valuesDigest ?? "",
    digest + components,
  );

  progress.emit({ type: "phase", phase: "checking" });
  const live = await readLive(
    client,
    desired.map((d) => d.id),
    concurrency,
  );
  const problem = ownershipProblems(desired, live, inventory, options.adopt === true, partOf);
  if (problem !== undefined) throw problem;

  const unchanged = new Set(desired.filter((d) => isUnchanged(d, live, inventory, partOf)).map((d) => d.key));
  const toApply = desired.filter((d) => !unchanged.has(d.key));
  const desiredKeys = new Set(desired.map((d) => d.key));
  const stale = previous.filter((e) => !desiredKeys.has(`${e.group}/${e.kind}/${e.namespace}/${e.name}`));

  if (mode === "client") {
    return result(
      desired.map((d) => ({
        id: d.id,
        component: d.component,
        action: unchanged.has(d.key) ? "unchanged" : live.has(d.key) ? "configured" : "created",
      })),
      { changeId: id },
    );
  }

  // Atomicity: the server validates every object that will be sent before anything is written.
  progress.emit({ type: "phase", phase: "dry-run" });
  const request = { force: options.forceConflicts === true, fieldManager: options.fieldManager };
  const checked = await settleLimit(toApply, concurrency * 2, (d) =>
    d.deferred ? Promise.resolve(undefined) : serverSideApply(client, d.object, { ...request, dryRun: true }),
  );
  const rejected = checked.flatMap((c, i) =>
    c.ok ? [] : [{ id: toApply[i]!.id, error: isOpmError(c.error) ? c.error : String(c.error) }],
  );
  if (rejected.length > 0) {
    const missing = rejected.some((r) => isOpmError(r.error) && r.error.key === "ClusterNotFound");
    if (
      missing &&
      (await client.raw("GET", `/api/v1/namespaces/${encodeURIComponent(release.namespace)}`)).status === 404
    ) {
      throw new OpmError("ClusterNotFound", {
        message: `namespace ${release.namespace} does not exist`,
        hint: "pass --create-namespace, or choose another namespace with -n",
        details: { namespace: release.namespace },
      });
    }
    const connectivity = checked.find((c) => !c.ok && isOpmError(c.error) && c.error.category !== "cluster");
    if (connectivity !== undefined && !connectivity.ok) throw connectivity.error;
    const allConflicts = rejected.every((r) => isOpmError(r.error) && r.error.key === "FieldConflict");
    throw aggregate(
      allConflicts ? "FieldConflict" : "ObjectRejected",
      rejected,
      "nothing was written; fix the objects above and apply again",
    );
  }
  if (mode === "server") {
    const objects = desired.map((d): ObjectResult => {
      const index = toApply.indexOf(d);
      const after = index < 0 ? undefined : checked[index];
      const action: ObjectAction =
        after === undefined || !after.ok || after.value === undefined
          ? live.has(d.key)
            ? "unchanged"
            : "created"
          : dryRunAction(live.get(d.key), after.value);
      return { id: d.id, component: d.component, action };
    });
    return result(objects, { changeId: id });
  }

  const headIsCurrent = inventory?.index[0] === id && inventory.pending === undefined;
  if (toApply.length === 0 && stale.length === 0 && headIsCurrent) {
    progress.emit({ type: "phase", phase: "done", message: "no changes" });
    const objects = desired.map((d): ObjectResult => ({
      id: d.id,
      component: d.component,
      action: "unchanged",
    }));
    for (const o of objects) progress.emit({ type: "object", ...o });
    if (options.wait !== false)
      await waitForHealth(
        client,
        desired.map((d) => d.id),
        { ...options, progress },
      );
    return result(objects, { changeId: id });
  }

  // The pending record lists every object this run may write before it writes any.
  const base: Inventory = inventory ?? {
    release,
    module: { fqn: input.release.fqn, version: input.release.version },
    createdBy: "cli",
    index: [],
    changes: {},
  };
  checkAbort(options.signal, progress);
  progress.write("inventory (pending)");
  inventory = await writeInventory(
    client,
    {
      ...base,
      module: { fqn: input.release.fqn, version: input.release.version },
      pending: {
        changeId: id,
        startedAt: now().toISOString(),
        entries: unionEntries(
          previous,
          desired.map((d) => d.entry),
        ),
      },
    },
    now().toISOString(),
  );

  progress.emit({ type: "phase", phase: "applying" });
  const actions = new Map<string, ObjectAction>();
  for (const d of desired) if (unchanged.has(d.key)) actions.set(d.key, "unchanged");
  for (const group of weightGroups(toApply, weightOf)) {
    for (const d of group) if (d.deferred) await awaitServed(client, d.id, 60_000);
    const outcomes = await settleLimit(group, concurrency, async (d) => {
      checkAbort(options.signal, progress);
      progress.write(describe(d.id));
      const after = await serverSideApply(client, d.object, { ...request, dryRun: false });
      const action = actionOf(live.get(d.key), after);
      actions.set(d.key, action);
      progress.emit({ type: "object", id: d.id, component: d.component, action });
    });
    const failed = outcomes.flatMap((o, i) => (o.ok ? [] : [{ id: group[i]!.id, error: o.error }]));
    if (failed.length > 0) {
      const interrupted = failed.find((f) => isOpmError(f.error) && f.error.key === "ApplyInterrupted");
      if (interrupted !== undefined) throw interrupted.error;
      // Prune and commit are skipped: the pending record keeps every entry for the next run.
      throw aggregate(
        "ObjectRejected",
        failed.map((f) => ({ id: f.id, error: isOpmError(f.error) ? f.error : String(f.error) })),
        "the inventory keeps a pending record; fix the problem and apply again",
      );
    }
  }
  for (const d of desired)
    if (unchanged.has(d.key))
      progress.emit({ type: "object", id: d.id, component: d.component, action: "unchanged" });

  let pruned: ObjectId[] = [];
  let kept: ObjectId[] = [];
  let keptEntries = stale;
  if (options.noPrune !== true) {
    progress.emit({ type: "phase", phase: "pruning" });
    const outcome = await pruneStale(client, stale, partOf, {
      ...options,
      progress,
      checkAbort: () => checkAbort(options.signal, progress),
    });
    pruned = outcome.pruned;
    kept = outcome.kept;
    keptEntries = [];
  }

  progress.emit({ type: "phase", phase: "committing" });
  checkAbort(options.signal, progress);
  progress.write("inventory (commit)");
  const entries = unionEntries(
    desired.map((d) => d.entry),
    keptEntries,
  );
  const maxHistory = Math.max(1, options.maxHistory ?? 10);
  const index = [id, ...inventory.index.filter((x) => x !== id)].slice(0, maxHistory);
  const changes = Object.fromEntries(
    index
      .filter((x) => x !== id && inventory?.changes[x] !== undefined)
      .map((x) => [x, inventory!.changes[x]!]),
  );
  changes[id] = {
    id,
    module: { fqn: input.release.fqn, version: input.release.version },
    manifestDigest: digest,
    valuesDigest: input.valuesDigest ?? "",
    timestamp: now().toISOString(),
    entries,
  };
  inventory = await writeInventory(
    client,
    { ...inventory, index, changes, pending: undefined },
    now().toISOString(),
  );

  const objects = desired.map((d): ObjectResult => ({
    id: d.id,
    component: d.component,
    action: actions.get(d.key) ?? "unchanged",
  }));
  const changed = objects.some((o) => o.action !== "unchanged") || pruned.length > 0;
  if (options.wait !== false) {
    progress.emit({ type: "phase", phase: "waiting" });
    await waitForHealth(
      client,
      desired.map((d) => d.id),
      { ...options, progress },
    );
  }
  progress.emit(
    changed ? { type: "phase", phase: "done" } : { type: "phase", phase: "done", message: "no changes" },
  );
  return { release, objects, pruned, kept, changed, changeId: id, dryRun: mode };
}
