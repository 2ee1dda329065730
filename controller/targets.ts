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
  type ClusterClient,
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
import { resolveValuesFrom, scrub } from "./values-from.ts";

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
): Promise<{ client: ClusterClient; own: boolean }> {
  if (ref === undefined) return { client: actor, own: false };
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
    own: true,
  };
}

/** Renders and applies the release on every target; writes status; throws to retry. */
export async function reconcileTargets(
  release: ModuleRelease,
  spec: ModuleReleaseSpec,
  run: StatusWriter,
  ctx: ReconcileContext,
): Promise<ReconcileOutcome> {
  const targets = spec.targets ?? [];
  const intervalMs = parseInterval(spec.interval);
  const actor = releaseClient(release, spec, ctx);
  let shared: Awaited<ReturnType<typeof resolveValuesFrom>>;
  try {
    shared = await resolveValuesFrom(actor, release.metadata.namespace, spec);
  } catch (error) {
    const missing = isOpmError(error) && error.key === "ValuesRefMissing";
    await run.fail(missing ? Reasons.ValuesRefMissing : Reasons.RenderFailed, describe(error), {
      stalled: false,
      history: "apply",
    });
    throw new ReconcileFailed(describe(error));
  }
  const previous = new Map((release.status?.targets ?? []).map((t) => [t.name, t]));
  const outcomes: TargetOutcome[] = [];
  for (const target of targets) {
    const namespace = target.targetNamespace ?? spec.targetNamespace ?? release.metadata.namespace;
    const base = {
      name: target.name,
      namespace,
      ...(target.kubeConfig === undefined ? {} : { kubeConfig: target.kubeConfig }),
    };
    const before = previous.get(target.name);
    const keep = {
      ...(before?.changeId === undefined ? {} : { changeId: before.changeId }),
      ...(before?.lastAppliedAt === undefined ? {} : { lastAppliedAt: before.lastAppliedAt }),
      ...(before?.inventory === undefined ? {} : { inventory: before.inventory }),
    };
    const failed = (reason: Reason, error: unknown, retry: boolean): TargetOutcome => ({
      status: {
        ...base,
        ...keep,
        ready: "False",
        reason,
        message: scrub(describe(error), shared.secrets).slice(0, 4000),
      },
      retry,
    });
    let connection: { client: ClusterClient; own: boolean } | undefined;
    try {
      connection = await targetClient(release, target.kubeConfig, actor, ctx);
    } catch (error) {
      const missing = isOpmError(error) && error.key === "KubeConfigRefMissing";
      const invalid = isOpmError(error) && error.key === "KubeConfigInvalid";
      outcomes.push(
        failed(
          missing ? Reasons.KubeConfigRefMissing : invalid ? Reasons.KubeConfigInvalid : Reasons.ApplyFailed,
          error,
          !missing && !invalid,
        ),
      );
      continue;
    }
    const { client } = connection;
    try {
      let rendered;
      try {
        rendered = await ctx.ports.render({
          module: moduleSource(spec),
          values:
            spec.values === undefined
              ? undefined
              : { name: `ModuleRelease ${release.metadata.name} spec.values`, data: spec.values },
          documents: [
            ...shared.documents,
            ...(target.values === undefined
              ? []
              : [
                  {
                    name: `ModuleRelease ${release.metadata.name} spec.targets[${target.name}].values`,
                    data: target.values,
                  },
                ]),
          ],
          set: shared.set,
          namespace,
          releaseName: spec.releaseName ?? release.metadata.name,
          naming: spec.naming,
          provider: spec.provider,
          client,
          signal: ctx.signal,
        });
      } catch (error) {
        outcomes.push(failed(Reasons.RenderFailed, error, !isPermanent(error)));
        continue;
      }
      const input = rendered.input;
      const mine = managerFor(release);
      const existing = await readInventory(client, input.release);
      if (existing !== undefined && !sameManager(managerOf(existing), mine)) {
        outcomes.push(
          failed(
            Reasons.ManagedExternally,
            `release ${input.release.name} there is managed by ${describeManager(managerOf(existing))}`,
            false,
          ),
        );
        continue;
      }
      const renderDigest = sha256(stableJson(input.resources.map((r) => r.object)));
      try {
        const result = await apply(input, {
          client,
          fieldManager: FIELD_MANAGER,
          forceConflicts: true,
          // As on the controller's cluster: a release acting as a ServiceAccount deploys into existing namespaces.
          createNamespace: connection.own || actor === ctx.client,
          noPrune: !spec.prune,
          wait: true,
          timeoutMs: parseInterval(spec.timeout),
          holder: ctx.holder,
          signal: ctx.signal,
          managedBy: mine,
        });
        await ctx.ports.afterApply?.(client, input);
        const inventory = await readInventory(client, result.release);
        const head = inventory?.index[0] === undefined ? undefined : inventory.changes[inventory.index[0]];
        const changed = result.objects.filter((o) => o.action !== "unchanged");
        const sameRender =
          before?.renderDigest === renderDigest &&
          release.status?.observedGeneration === release.metadata.generation;
        outcomes.push({
          status: {
            ...base,
            ready: "True",
            reason: Reasons.Succeeded,
            message: summarize(result),
            changeId: result.changeId,
            renderDigest,
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
          ...(connection.own ? {} : { releaseUuid: input.release.identity }),
        });
      } catch (error) {
        const reason =
          isOpmError(error) && error.key === "WaitTimeout" ? Reasons.HealthCheckFailed : Reasons.ApplyFailed;
        outcomes.push(failed(reason, error, true));
      }
    } finally {
      if (connection.own) client.close();
    }
  }

  // Targets no longer listed: their cluster's release goes (prune), or stays (prune: false).
  const listed = new Set(targets.map((t) => t.name));
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
  const { client, own } = await targetClient(release, target.kubeConfig, actor, ctx);
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
    if (own) client.close();
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
