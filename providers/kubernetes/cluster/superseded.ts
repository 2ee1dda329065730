// Rollout-aware pruning of superseded configuration (RFC-0003 on RFC-0001's inventory). A
// ConfigMap or Secret the render no longer has - typically the previous `<name>-<hash>`
// generation of an immutable one - is still read by the pods of the workloads that used it until
// they have rolled out: deleting it then would break those pods' restarts and a rollback to it
// (Kustomize's generator leaks these copies instead). Prune keeps such an object, retained in the
// inventory with the reason, and removes it through the inventory once nothing reads it: after
// `--wait` saw the rollout finish, or on the next apply. Never earlier, never leaked.
import { objectKey, refOf, type ObjectRef } from "../../../sdk/identity/objects.ts";
import { podReferences } from "../../../sdk/render/references.ts";
import type { ClusterClient } from "./client.ts";
import type { Progress } from "./events.ts";
import { committedEntries, knownEntries, readInventory, type InventoryEntry } from "./inventory.ts";
import type { ReleaseRef } from "./labels.ts";
import { ReleaseLease } from "./lease.ts";
import type { KubeObject } from "./objects.ts";
import { deleteOwned } from "./owned.ts";

const CONFIG_KINDS: ReadonlySet<string> = new Set(["ConfigMap", "Secret"]);

/** `<base>-<10 hex>`: the name an immutable ConfigMap or Secret gets (RFC-0003). */
const HASHED_NAME = /^(.+)-[0-9a-f]{10}$/;

function isConfig(ref: ObjectRef): boolean {
  return ref.apiVersion === "v1" && CONFIG_KINDS.has(ref.kind);
}

/** `Kind/<base>` of a hashed ConfigMap or Secret; undefined for any other object. */
function generationOf(ref: ObjectRef): string | undefined {
  const base = isConfig(ref) ? HASHED_NAME.exec(ref.name)?.[1] : undefined;
  return base === undefined ? undefined : `${ref.kind}/${base}`;
}

/**
 * The stale entries that are an earlier generation of a ConfigMap or Secret the render has under
 * another hash: `settings-78f06a6724` when the render has `settings-0c1d2e3f4a`. Only these wait
 * for a rollout; a ConfigMap whose component is gone is pruned with it, in stage order.
 */
export function supersededEntries(
  stale: readonly InventoryEntry[],
  rendered: readonly ObjectRef[],
): InventoryEntry[] {
  const current = new Set(rendered.map(generationOf).filter((g) => g !== undefined));
  return stale.filter((e) => {
    const generation = generationOf(e.ref);
    return generation !== undefined && current.has(generation);
  });
}

/**
 * Who reads the ConfigMaps and Secrets of a namespace: `Kind/name` -> the first reader found.
 * Readers are pods that have not finished, ReplicaSets that still have (or want) pods, and the
 * objects of the render itself; a reader is found by name, whoever owns it, since a pod of
 * anyone that reads our object breaks when it goes. `unknown` is set when the cluster would not
 * say (no permission to list pods): then every ConfigMap and Secret counts as read.
 */
export interface ConfigReaders {
  readonly byName: ReadonlyMap<string, string>;
  /** The stale entries (`Kind/name`) a reader keeps: superseded generations. */
  readonly superseded?: ReadonlySet<string>;
  /** Names with a reader that stays: a running pod, a ReplicaSet that wants pods, the render. */
  readonly lasting: ReadonlySet<string>;
  readonly unknown?: string;
}

export async function configReaders(
  client: ClusterClient,
  namespace: string,
  rendered: readonly KubeObject[],
): Promise<ConfigReaders> {
  const byName = new Map<string, string>();
  const lasting = new Set<string>();
  const note = (object: KubeObject, reader: string, stays: boolean): void => {
    for (const ref of podReferences(object)) {
      const key = `${ref.kind}/${ref.name}`;
      if (!CONFIG_KINDS.has(ref.kind)) continue;
      if (!byName.has(key) || (stays && !lasting.has(key))) byName.set(key, reader);
      if (stays) lasting.add(key);
    }
  };
  for (const object of rendered) note(object, `${object.kind} ${object.metadata.name} of this render`, true);
  const ns = encodeURIComponent(namespace);
  const [pods, replicaSets] = await Promise.all([
    client.raw<{ items: KubeObject[] }>("GET", `/api/v1/namespaces/${ns}/pods`),
    client.raw<{ items: KubeObject[] }>("GET", `/apis/apps/v1/namespaces/${ns}/replicasets`),
  ]);
  for (const [res, what] of [
    [pods, "pods"],
    [replicaSets, "replicasets"],
  ] as const) {
    if (res.status === 403)
      return { byName, lasting, unknown: `listing ${what} in ${namespace} is forbidden` };
    if (res.status !== 200) throw client.failure(res, `listing ${what} in ${namespace}`);
  }
  for (const pod of pods.body.items) {
    const phase = (pod["status"] as { phase?: string } | undefined)?.phase;
    if (phase === "Succeeded" || phase === "Failed") continue;
    // A terminating pod (its rollout replaced it) still reads until it is gone.
    // Items of a list carry no kind of their own.
    note({ ...pod, kind: "Pod" }, `Pod ${pod.metadata.name}`, pod.metadata.deletionTimestamp === undefined);
  }
  for (const set of replicaSets.body.items) {
    const replicas = (set["spec"] as { replicas?: number } | undefined)?.replicas ?? 1;
    const running = (set["status"] as { replicas?: number } | undefined)?.replicas ?? 0;
    if (replicas > 0 || running > 0)
      note({ ...set, kind: "ReplicaSet" }, `ReplicaSet ${set.metadata.name}`, replicas > 0);
  }
  return { byName, lasting };
}

const keyOf = (entry: InventoryEntry): string => `${entry.ref.kind}/${entry.ref.name}`;

/** The readers of the namespace when a prune meets a superseded ConfigMap or Secret; else none. */
export async function staleConfigReaders(
  client: ClusterClient,
  namespace: string,
  stale: readonly InventoryEntry[],
  rendered: readonly KubeObject[],
): Promise<ConfigReaders | undefined> {
  const superseded = supersededEntries(stale, rendered.map(refOf));
  if (superseded.length === 0) return undefined;
  return {
    ...(await configReaders(client, namespace, rendered)),
    superseded: new Set(superseded.map(keyOf)),
  };
}

/** Why a stale entry must stay for now: something still reads it. */
export function stillReadReason(
  entry: InventoryEntry,
  readers: ConfigReaders | undefined,
): string | undefined {
  if (readers?.superseded?.has(keyOf(entry)) !== true) return undefined;
  if (readers.unknown !== undefined)
    return `superseded; kept because whether pods still read it is unknown (${readers.unknown})`;
  const reader = readers.byName.get(keyOf(entry));
  return reader === undefined ? undefined : `superseded; still read by ${reader} until its rollout completes`;
}

export interface SettleOptions {
  readonly release: ReleaseRef;
  readonly partOf: string;
  /** The change this run committed: only its inventory is settled. */
  readonly changeId: string;
  /** When to give up waiting for readers to go (the apply's --timeout). */
  readonly deadline: number;
  readonly holder: string;
  readonly leaseDurationMs: number;
  readonly progress: Progress;
  readonly now: () => Date;
  /** The objects of this render: a workload of it that names an object keeps it. */
  readonly rendered: readonly KubeObject[];
  /** Between polls; default 500 ms. */
  readonly pollMs?: number;
}

/**
 * After `--wait` saw the rollout, prunes the superseded ConfigMaps and Secrets this run retained,
 * as soon as nothing reads them (the old pods terminate a moment after the rollout), until the
 * deadline. The release is taken again for the deletes and the inventory write, so no other run
 * works on it meanwhile; if another run has started (or committed since), this steps back and
 * that run's prune decides. Returns what it pruned; what is still read stays retained.
 */
export async function pruneSuperseded(
  client: ClusterClient,
  retained: readonly InventoryEntry[],
  options: SettleOptions,
): Promise<InventoryEntry[]> {
  const candidates = supersededEntries(retained, options.rendered.map(refOf));
  if (candidates.length === 0) return [];
  const superseded = new Set(candidates.map(keyOf));
  // Wait while the only readers left are on their way out (old pods terminating, old
  // ReplicaSets scaling down); a reader that stays keeps the object for the next apply.
  let unread: InventoryEntry[] = [];
  for (;;) {
    const readers = {
      ...(await configReaders(client, options.release.namespace, options.rendered)),
      superseded,
    };
    unread = candidates.filter((e) => stillReadReason(e, readers) === undefined);
    const leaving = candidates.every(
      (e) =>
        stillReadReason(e, readers) === undefined ||
        (readers.unknown === undefined && !readers.lasting.has(keyOf(e))),
    );
    if (unread.length === candidates.length || !leaving || Date.now() >= options.deadline) break;
    await new Promise((r) => setTimeout(r, Math.min(options.pollMs ?? 500, options.deadline - Date.now())));
  }
  if (unread.length === 0) return [];
  const inventory = await readInventory(client, options.release);
  if (inventory === undefined || inventory.index[0] !== options.changeId || inventory.pending !== undefined)
    return [];
  const startedAt = options.now().toISOString();
  let lease: ReleaseLease;
  try {
    lease = await ReleaseLease.acquire(
      client,
      { ...inventory, pending: { changeId: options.changeId, startedAt, entries: knownEntries(inventory) } },
      { holder: options.holder, durationMs: options.leaseDurationMs, now: options.now },
    );
  } catch {
    // Another run took the release in the meantime: its prune sees these entries.
    return [];
  }
  // Deleted, already gone, or no longer the release's (adopted by another): out of the inventory.
  const removed = new Set<string>();
  const pruned: InventoryEntry[] = [];
  try {
    for (const entry of unread) {
      const outcome = await deleteOwned(client, entry, {
        partOf: options.partOf,
        action: "pruned",
        progress: options.progress,
        beforeWrite: () => lease.check(),
      });
      removed.add(objectKey(entry.ref));
      if (outcome === "deleted" || outcome === "gone") pruned.push(entry);
    }
    await lease.write((latest) => {
      const head = latest.changes[options.changeId];
      if (head === undefined) return { ...latest, pending: undefined };
      const entries = committedEntries(latest).filter((e) => !removed.has(objectKey(e.ref)));
      return {
        ...latest,
        changes: { ...latest.changes, [options.changeId]: { ...head, entries } },
        pending: undefined,
      };
    }, false);
    lease.end();
  } finally {
    // After a failure the pending record stays: the next run resumes and prunes what is left.
    await lease.release();
  }
  return pruned;
}
