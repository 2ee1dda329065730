// `tree`: component -> objects -> the objects Kubernetes made for them (Deployment -> ReplicaSet
// -> Pod, StatefulSet/DaemonSet/Job -> Pod, CronJob -> Job -> Pod), followed by ownerReferences.
// Children are read with one LIST per kind and namespace, then linked by owner uid.
import type { ClusterClient } from "./client.ts";
import { healthOf, type Health } from "./health.ts";
import { objectKey, refOf, type ObjectRef } from "../../../sdk/identity/objects.ts";
import { knownEntries } from "./inventory.ts";
import type { ReleaseRef } from "./labels.ts";
import { readLive } from "./live.ts";
import { requireInventory, type ReleaseSelector } from "./lookup.ts";
import { listObjects, type KubeObject } from "./objects.ts";

/** One object of a release, or one Kubernetes made for it, with its children. */
export interface TreeNode {
  /** The object. */
  readonly id: ObjectRef;
  /** Its `metadata.uid`; absent when the object is missing. */
  readonly uid?: string;
  /** Its health by kind. */
  readonly health: Health;
  /** The objects it owns (ReplicaSets, Pods, Jobs), by kind then name. */
  readonly children: readonly TreeNode[];
}

/** A release's objects by component, each with what Kubernetes made for it (`opm mod tree`). */
export interface ReleaseTree {
  /** The release. */
  readonly release: ReleaseRef;
  /** Every component with its objects. */
  readonly components: readonly { readonly name: string; readonly objects: readonly TreeNode[] }[];
}

const CHILD_KINDS: readonly { apiVersion: string; kind: string }[] = [
  { apiVersion: "apps/v1", kind: "ReplicaSet" },
  { apiVersion: "batch/v1", kind: "Job" },
  { apiVersion: "v1", kind: "Pod" },
];
const OWNERS = new Set(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"]);

/** Owned objects in the namespaces, indexed by owner uid. */
async function childrenByOwner(
  client: ClusterClient,
  namespaces: readonly string[],
): Promise<Map<string, KubeObject[]>> {
  const byOwner = new Map<string, KubeObject[]>();
  const lists = await Promise.all(
    namespaces.flatMap((ns) =>
      CHILD_KINDS.map(async (k) => {
        const resource = await client.discovery.find(k.apiVersion, k.kind);
        return resource === undefined ? [] : listObjects(client, resource, ns);
      }),
    ),
  );
  for (const object of lists.flat()) {
    for (const owner of object.metadata.ownerReferences ?? []) {
      const list = byOwner.get(owner.uid) ?? [];
      list.push(object);
      byOwner.set(owner.uid, list);
    }
  }
  return byOwner;
}

function node(object: KubeObject, byOwner: Map<string, KubeObject[]>, depth: number): TreeNode {
  const uid = object.metadata.uid;
  const kids = depth > 0 && uid !== undefined && OWNERS.has(object.kind) ? (byOwner.get(uid) ?? []) : [];
  const sorted = [...kids].sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.metadata.name.localeCompare(b.metadata.name),
  );
  return {
    id: refOf(object),
    ...(uid === undefined ? {} : { uid }),
    health: healthOf(object),
    children: sorted.map((k) => node(k, byOwner, depth - 1)),
  };
}

/** `depth` 0: objects only; 1: their direct children; 2 (default): grandchildren too. */
export async function tree(
  selector: ReleaseSelector,
  options: { client: ClusterClient; depth?: number },
): Promise<ReleaseTree> {
  const { client } = options;
  const inventory = await requireInventory(client, selector);
  const entries = knownEntries(inventory);
  const live = await readLive(
    client,
    entries.map((e) => e.ref),
  );
  const depth = options.depth ?? 2;
  const namespaces = [...new Set(entries.map((e) => e.ref.namespace).filter((ns) => ns !== ""))];
  const byOwner = depth > 0 ? await childrenByOwner(client, namespaces) : new Map<string, KubeObject[]>();
  const components = new Map<string, TreeNode[]>();
  for (const entry of entries) {
    const object = live.get(objectKey(entry.ref));
    const list = components.get(entry.component) ?? [];
    list.push(
      object === undefined
        ? { id: entry.ref, health: healthOf(undefined), children: [] }
        : node(object, byOwner, depth),
    );
    components.set(entry.component, list);
  }
  return {
    release: inventory.release,
    components: [...components.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, objects]) => ({ name, objects })),
  };
}

/** Every uid in a tree, for finding the events of a release and its children. */
export function uidsOf(releaseTree: ReleaseTree): Map<string, ObjectRef> {
  const out = new Map<string, ObjectRef>();
  const visit = (n: TreeNode) => {
    if (n.uid !== undefined) out.set(n.uid, n.id);
    n.children.forEach(visit);
  };
  releaseTree.components.forEach((c) => c.objects.forEach(visit));
  return out;
}
