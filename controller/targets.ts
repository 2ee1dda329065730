// A ModuleRelease with `spec.targets`: the same release rendered and applied to each listed
// cluster (a kubeconfig in a Secret, or the controller's own), each with its own values layered
// last, its own inventory (kept on that cluster, as the CLI keeps it) and its own line in
// `status.targets`. A target that cannot be reached or used fails alone; Ready is True once every
// target is. Targets dropped from the list are pruned from their cluster (prune: true), and
// deleting the ModuleRelease deletes the release from every cluster it reached.
import {
  apply,
  describeManager,
  findInventory,
  managerOf,
  readInventory,
  remove,
  sameManager,
  sha256,
  stableJson,
  valuesDigestOf,
  type ApplyResult,
  type ClusterClient,
  type Inventory,
  type ReleaseInput,
} from "../providers/kubernetes/cluster/index.ts";
import { OpmError, isOpmError } from "../sdk/errors.ts";
import { FIELD_MANAGER, type ModuleRelease, type ModuleReleaseSpec, type TargetStatus } from "./api/types.ts";
import { Reasons, type Reason } from "./conditions.ts";
import { parseInterval } from "./duration.ts";
import {
  describe,
  isPermanent,
  managerFor,
  moduleSource,
  ReconcileFailed,
  releaseClient,
  summarize,
  type ReconcileContext,
  type ReconcileOutcome,
  type StatusWriter,
} from "./reconcile.ts";
import { scrub, type ResolvedValues } from "./values-from.ts";

type InventoryChange = Inventory["changes"][string];
type KubeConfigRef = NonNullable<TargetStatus["kubeConfig"]>;

/** How one target went: its status line, and whether retrying may help. */
interface TargetOutcome {
  readonly status: TargetStatus;
  readonly retry: boolean;
  readonly drifted?: string;
  readonly releaseUuid?: string;
}

/** A client for a target: its kubeconfig's cluster, or the release's own client. */
async function targetClient(
  release: ModuleRelease,
  ref: KubeConfigRef | undefined,
  actor: ClusterClient,
  ctx: ReconcileContext,
): Promise<{ client: ClusterClient; remote: boolean }> {
  if (ref === undefined) return { client: actor, remote: false };
  const { name, key } = ref.secretRef;
  const where = `Secret ${release.metadata.namespace}/${name}`;
  const res = await actor.raw<{ data?: Record<string, string> }>(
    "GET",
    `/api/v1/namespaces/${encodeURIComponent(release.metadata.namespace)}/secrets/${encodeURIComponent(name)}`,
  );
  if (res.status === 404)
    throw new OpmError("KubeConfigRefMissing", {
      message: `kubeConfig.secretRef: ${where} does not exist`,
      hint: `create it with the cluster's kubeconfig under key ${key}: kubectl create secret generic ${name} --from-file=${key}=<kubeconfig>`,
    });
  if (res.status >= 300) throw actor.failure(res, `reading ${where}`);
  const data = res.body.data?.[key];
  if (data === undefined)
    throw new OpmError("KubeConfigRefMissing", {
      message: `kubeConfig.secretRef: ${where} has no key ${key}`,
      hint: `keys there: ${Object.keys(res.body.data ?? {}).join(", ") || "none"}`,
    });
  if (ctx.ports.connect === undefined)
    throw new OpmError("KubeConfigInvalid", {
      message: "this controller cannot connect to other clusters",
      hint: "run it with opm controller run",
    });
  return {
    client: ctx.ports.connect(
      Buffer.from(data, "base64").toString("utf8"),
      `the kubeconfig in ${where} key ${key}`,
    ),
    remote: true,
  };
}

/**
 * One place a release goes: a target of `spec.targets`, or, without them, the controller's own
 * cluster (`listed: false`), where the release is reported in the ModuleRelease's own status.
 */
export interface Target {
  readonly name: string;
  readonly namespace: string;
  readonly listed: boolean;
  readonly kubeConfig?: KubeConfigRef | undefined;
  /** `spec.targets[].values`: this target only, layered last. */
  readonly values?: unknown;
}

export function targetsOf(release: ModuleRelease, spec: ModuleReleaseSpec): Target[] {
  const namespace = spec.targetNamespace ?? release.metadata.namespace;
  if (spec.targets === undefined) return [{ name: "", namespace, listed: false }];
  return spec.targets.map((t) => ({
    name: t.name,
    namespace: t.targetNamespace ?? namespace,
    listed: true,
    ...(t.kubeConfig === undefined ? {} : { kubeConfig: t.kubeConfig }),
    ...(t.values === undefined ? {} : { values: t.values }),
  }));
}

/** What was attempted on a target: when, and the digests of source, values and render. */
export interface Attempt {
  readonly at: string;
  readonly sourceDigest?: string;
  readonly valuesDigest: string;
  readonly renderDigest: string;
}

/** How one target went. */
export type TargetRun =
  | {
      readonly kind: "applied";
      readonly input: ReleaseInput;
      readonly result: ApplyResult;
      readonly attempt: Attempt;
      /** The inventory's change this apply recorded. */
      readonly head: InventoryChange | undefined;
      /** The release on the controller's own cluster (its objects are watched for drift). */
      readonly own: boolean;
    }
  | {
      readonly kind: "failed";
      readonly reason: Reason;
      readonly message: string;
      /** Retrying cannot help until the spec or the rights change. */
      readonly stalled: boolean;
      readonly attempt?: Attempt;
    }
  | { readonly kind: "managedExternally"; readonly message: string };

/**
 * The one render -> apply path: renders the release for `target` with the values (the target's
 * own layered last), leaves it alone when another manager holds it there, applies it as the CLI
 * would (dry run, SSA as opm-controller, prune, inventory, health), and reads what the
 * inventory recorded. Failures are outcomes, not exceptions: the caller reports them.
 */
export async function applyToTarget(
  release: ModuleRelease,
  spec: ModuleReleaseSpec,
  target: Target,
  values: ResolvedValues,
  now: string,
  ctx: ReconcileContext,
): Promise<TargetRun> {
  const actor = releaseClient(release, spec, ctx);
  const failed = (reason: Reason, error: unknown, stalled: boolean, attempt?: Attempt): TargetRun => ({
    kind: "failed",
    reason,
    message: scrub(describe(error), values.secrets),
    stalled,
    ...(attempt === undefined ? {} : { attempt }),
  });
  let connection: { client: ClusterClient; remote: boolean };
  try {
    connection = await targetClient(release, target.kubeConfig, actor, ctx);
  } catch (error) {
    const missing = isOpmError(error) && error.key === "KubeConfigRefMissing";
    const invalid = isOpmError(error) && error.key === "KubeConfigInvalid";
    const reason = missing
      ? Reasons.KubeConfigRefMissing
      : invalid
        ? Reasons.KubeConfigInvalid
        : Reasons.ApplyFailed;
    return failed(reason, error, missing || invalid);
  }
  const { client } = connection;
  try {
    let input: ReleaseInput;
    try {
      const rendered = await ctx.ports.render({
        module: moduleSource(spec),
        values:
          spec.values === undefined
            ? undefined
            : { name: `ModuleRelease ${release.metadata.name} spec.values`, data: spec.values },
        documents: [
          ...values.documents,
          ...(target.values === undefined
            ? []
            : [
                {
                  name: `ModuleRelease ${release.metadata.name} spec.targets[${target.name}].values`,
                  data: target.values,
                },
              ]),
        ],
        set: values.set,
        namespace: target.namespace,
        releaseName: spec.releaseName ?? release.metadata.name,
        naming: spec.naming,
        provider: spec.provider,
        client,
        signal: ctx.signal,
      });
      input = rendered.input;
    } catch (error) {
      return failed(Reasons.RenderFailed, error, isPermanent(error));
    }

    // A release the CLI (or another ModuleRelease) manages is left alone until it is handed over.
    const mine = managerFor(release);
    const existing = await readInventory(client, input.release);
    if (existing !== undefined && !sameManager(managerOf(existing), mine)) {
      const { name, namespace } = input.release;
      return {
        kind: "managedExternally",
        message: `release ${name} in namespace ${namespace} is managed by ${describeManager(managerOf(existing))}; hand it over with opm mod handoff --release-name ${name} -n ${namespace} --to controller`,
      };
    }

    const attempt: Attempt = {
      at: now,
      ...(input.source?.digest === undefined ? {} : { sourceDigest: input.source.digest }),
      valuesDigest: valuesDigestOf(input),
      renderDigest: sha256(stableJson(input.resources.map((r) => r.object))),
    };
    let result: ApplyResult;
    try {
      result = await apply(input, {
        client,
        fieldManager: FIELD_MANAGER,
        // The controller is the source of truth for what it renders: it takes fields back.
        forceConflicts: true,
        // Namespaces are cluster-wide: a release acting as a ServiceAccount deploys into existing ones.
        createNamespace: connection.remote || actor === ctx.client,
        noPrune: !spec.prune,
        wait: true,
        timeoutMs: parseInterval(spec.timeout),
        holder: ctx.holder,
        signal: ctx.signal,
        managedBy: mine,
      });
      await ctx.ports.afterApply?.(client, input);
    } catch (error) {
      // The ServiceAccount may not do what the release needs: retrying cannot help until its
      // rights change, so the release stalls and is looked at again on its interval.
      const denied =
        !connection.remote && actor !== ctx.client && isOpmError(error) && error.key === "ClusterForbidden";
      if (denied) {
        const message = `acting as ServiceAccount ${spec.serviceAccountName ?? ""}: ${describe(error)}`;
        return failed(Reasons.ImpersonationFailed, new Error(message), true, attempt);
      }
      const timedOut = isOpmError(error) && error.key === "WaitTimeout";
      return failed(timedOut ? Reasons.HealthCheckFailed : Reasons.ApplyFailed, error, false, attempt);
    }
    const inventory = await readInventory(client, result.release);
    const head = inventory?.index[0] === undefined ? undefined : inventory.changes[inventory.index[0]];
    return { kind: "applied", input, result, attempt, head, own: !connection.remote };
  } finally {
    if (connection.remote) client.close();
  }
}

/** Writes the status of a release with `spec.targets` from how each target went; throws to retry. */
export async function reportTargets(
  release: ModuleRelease,
  spec: ModuleReleaseSpec,
  runs: readonly { readonly target: Target; readonly run: TargetRun }[],
  run: StatusWriter,
  ctx: ReconcileContext,
): Promise<ReconcileOutcome> {
  const intervalMs = parseInterval(spec.interval);
  const previous = new Map((release.status?.targets ?? []).map((t) => [t.name, t]));
  const outcomes: TargetOutcome[] = runs.map(({ target, run: done }) => {
    const base = {
      name: target.name,
      namespace: target.namespace,
      ...(target.kubeConfig === undefined ? {} : { kubeConfig: target.kubeConfig }),
    };
    const before = previous.get(target.name);
    if (done.kind !== "applied") {
      const keep = {
        ...(before?.changeId === undefined ? {} : { changeId: before.changeId }),
        ...(before?.lastAppliedAt === undefined ? {} : { lastAppliedAt: before.lastAppliedAt }),
        ...(before?.inventory === undefined ? {} : { inventory: before.inventory }),
      };
      const reason = done.kind === "failed" ? done.reason : Reasons.ManagedExternally;
      return {
        status: { ...base, ...keep, ready: "False", reason, message: done.message.slice(0, 4000) },
        retry: done.kind === "failed" && !done.stalled,
      };
    }
    const { result, attempt, head } = done;
    const changed = result.objects.filter((o) => o.action !== "unchanged");
    const sameRender =
      before?.renderDigest === attempt.renderDigest &&
      release.status?.observedGeneration === release.metadata.generation;
    return {
      status: {
        ...base,
        ready: "True",
        reason: Reasons.Succeeded,
        message: summarize(result),
        changeId: result.changeId,
        renderDigest: attempt.renderDigest,
        lastAppliedAt: run.now,
        inventory: {
          count: head?.entries.length ?? 0,
          ...(head === undefined ? {} : { digest: head.manifestDigest }),
        },
      },
      retry: false,
      ...(sameRender && changed.length > 0
        ? { drifted: `${target.name}: ${changed.map((o) => `${o.id.kind} ${o.id.name}`).join(", ")}` }
        : {}),
      ...(done.own ? { releaseUuid: done.input.release.identity } : {}),
    };
  });
  // Targets no longer listed: their cluster's release goes (prune), or stays (prune: false).
  const actor = releaseClient(release, spec, ctx);
  const listed = new Set(runs.map((r) => r.target.name));
  for (const gone of release.status?.targets ?? []) {
    if (listed.has(gone.name) || !spec.prune) continue;
    try {
      await removeFrom(release, spec, gone, actor, ctx);
      await ctx.events.record(release, "Normal", "Pruned", `deleted the release from target ${gone.name}`);
    } catch (error) {
      // Kept in status, so the next reconcile tries again.
      outcomes.push({
        status: {
          ...gone,
          ready: "False",
          reason: Reasons.PruneFailed,
          message: describe(error).slice(0, 4000),
        },
        retry: true,
      });
    }
  }

  run.status.targets = outcomes.map((o) => o.status);
  run.status.inventory = { count: outcomes.reduce((n, o) => n + (o.status.inventory?.count ?? 0), 0) };
  const failing = outcomes.filter((o) => o.status.ready !== "True");
  const drifts = outcomes.flatMap((o) => (o.drifted === undefined ? [] : [o.drifted]));
  const releaseUuid = outcomes.find((o) => o.releaseUuid !== undefined)?.releaseUuid;
  if (drifts.length > 0) {
    const message = `restored objects changed on the cluster: ${drifts.join("; ")}`;
    run.count("drift");
    ctx.metrics.observeDrift();
    run.record({ action: "drift-correction", result: "Succeeded", message });
    await ctx.events.record(release, "Normal", "Drifted", message);
    run.conditions.push({ type: "Drifted", status: "True", reason: Reasons.DriftDetected, message });
  } else
    run.conditions.push({
      type: "Drifted",
      status: "False",
      reason: Reasons.NoDrift,
      message: "the objects match the render",
    });
  if (failing.length === 0) {
    const message = `applied to ${outcomes.length} target(s): ${outcomes.map((o) => `${o.status.name} (${o.status.inventory?.count ?? 0} objects)`).join(", ")}`;
    await run.commit(
      [
        { type: "Ready", status: "True", reason: Reasons.Succeeded, message },
        { type: "Reconciling", status: "False", reason: Reasons.Succeeded, message: "reconciled" },
        { type: "Stalled", status: "False", reason: Reasons.Succeeded, message: "" },
      ],
      intervalMs,
    );
    return { requeueAfterMs: intervalMs, ...(releaseUuid === undefined ? {} : { releaseUuid }) };
  }
  const first = failing[0]!.status;
  const message = failing.map((o) => `target ${o.status.name}: ${o.status.message}`).join("; ");
  const retry = failing.some((o) => o.retry);
  await run.fail(first.reason as Reason, message, { stalled: !retry, history: "apply" });
  if (!retry) return { requeueAfterMs: intervalMs, ...(releaseUuid === undefined ? {} : { releaseUuid }) };
  throw new ReconcileFailed(message);
}

/** Deletes the release from one target's cluster (its inventory there lists what to delete). */
async function removeFrom(
  release: ModuleRelease,
  spec: ModuleReleaseSpec,
  target: {
    readonly name: string;
    readonly namespace?: string | undefined;
    readonly kubeConfig?: KubeConfigRef | undefined;
  },
  actor: ClusterClient,
  ctx: ReconcileContext,
): Promise<void> {
  const { client, remote } = await targetClient(release, target.kubeConfig, actor, ctx);
  const ref = {
    namespace: target.namespace ?? spec.targetNamespace ?? release.metadata.namespace,
    name: spec.releaseName ?? release.metadata.name,
  };
  try {
    // A release someone else manages there now (handed back, taken over) is theirs: left alone.
    const inventory = await findInventory(client, ref);
    if (inventory !== undefined && !sameManager(managerOf(inventory), managerFor(release))) return;
    await remove(ref, {
      client,
      holder: ctx.holder,
      ignoreNotFound: true,
      timeoutMs: parseInterval(spec.timeout),
    });
  } finally {
    if (remote) client.close();
  }
}

/** Deletion with targets: the release goes from every cluster it was applied to. */
export async function finalizeTargets(
  release: ModuleRelease,
  spec: ModuleReleaseSpec,
  ctx: ReconcileContext,
): Promise<string[]> {
  const actor = releaseClient(release, spec, ctx);
  const all = new Map<
    string,
    { name: string; namespace?: string | undefined; kubeConfig?: KubeConfigRef | undefined }
  >();
  for (const t of release.status?.targets ?? []) all.set(t.name, t);
  for (const t of spec.targets ?? [])
    if (!all.has(t.name))
      all.set(t.name, {
        name: t.name,
        ...(t.targetNamespace === undefined ? {} : { namespace: t.targetNamespace }),
        ...(t.kubeConfig === undefined ? {} : { kubeConfig: t.kubeConfig }),
      });
  const done: string[] = [];
  for (const target of all.values()) {
    await removeFrom(release, spec, target, actor, ctx);
    done.push(target.name);
  }
  return done;
}
