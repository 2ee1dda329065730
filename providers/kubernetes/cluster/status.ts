// `status` and `listReleases`: health of a release's objects, found through its inventory.
import type { ClusterClient } from "./client.ts";
import { healthOf, type Health } from "./health.ts";
import { objectKey, type ObjectRef } from "../../../sdk/identity/objects.ts";
import { podSpecOf } from "../../../sdk/render/references.ts";
import { knownEntries, listInventories, type Inventory } from "./inventory.ts";
import { liveLease } from "./lease.ts";
import type { ReleaseRef } from "./labels.ts";
import { readLive } from "./live.ts";
import { requireInventory, type ReleaseSelector } from "./lookup.ts";

/** A release's health in one word: `Ready` when every object is, `Unknown` when it owns none. */
export type AggregateStatus = "Ready" | "NotReady" | "Unknown";

/** The health of one object of a release, with what `opm mod status` shows beside it. */
export interface ObjectStatus {
  /** The object. */
  readonly id: ObjectRef;
  /** The component that renders it. */
  readonly component: string;
  /** Its health by kind (rollout, completion, binding, a `Ready` condition). */
  readonly health: Health;
  /** When the object was created, RFC 3339; absent when it is missing. */
  readonly createdAt?: string;
  /** `ready/desired` for workloads. */
  readonly replicas?: string;
  /** The images of a workload's containers. */
  readonly images?: readonly string[];
}

/** A release's health as `opm mod status` and `opm mod list` show it. */
export interface ReleaseStatus {
  /** The release. */
  readonly release: ReleaseRef;
  /** The module FQN and version of the latest change. */
  readonly module: { readonly fqn: string; readonly version: string };
  /** Every object the release owns, with its health. */
  readonly objects: readonly ObjectStatus[];
  /** All objects in one word. */
  readonly aggregate: AggregateStatus;
  /** How many objects are ready. */
  readonly ready: number;
  /** How many objects the release owns. */
  readonly total: number;
  /** An apply was interrupted and has not been resumed yet, or one is running (see `lock`). */
  readonly pending: boolean;
  /** The run that holds the release right now (an apply or delete in progress). */
  readonly lock?: { readonly holder: string; readonly since: string };
  /** When the latest change was committed, RFC 3339. */
  readonly lastApplied?: string;
}

type Json = Record<string, unknown>;

function workloadFacts(object: Json | undefined): { replicas?: string; images?: string[] } {
  if (object === undefined) return {};
  const spec = (object["spec"] ?? {}) as Json;
  const status = (object["status"] ?? {}) as Json;
  const kind = object["kind"];
  const pod = typeof kind === "string" ? podSpecOf({ ...object, kind }) : undefined;
  const podSpec = (pod?.spec ?? {}) as { containers?: { image?: string }[] };
  const images = (podSpec.containers ?? []).map((c) => c.image ?? "").filter(Boolean);
  const out: { replicas?: string; images?: string[] } = images.length > 0 ? { images } : {};
  if (
    typeof spec["replicas"] === "number" ||
    object["kind"] === "Deployment" ||
    object["kind"] === "StatefulSet"
  ) {
    out.replicas = `${typeof status["readyReplicas"] === "number" ? status["readyReplicas"] : 0}/${typeof spec["replicas"] === "number" ? spec["replicas"] : 1}`;
  }
  return out;
}

/** The health of the objects an inventory lists, read from the cluster. */
export async function statusOfInventory(client: ClusterClient, inventory: Inventory): Promise<ReleaseStatus> {
  const entries = knownEntries(inventory);
  const live = await readLive(
    client,
    entries.map((e) => e.ref),
  );
  const objects = entries.map((entry): ObjectStatus => {
    const object = live.get(objectKey(entry.ref));
    const facts = workloadFacts(object as Json | undefined);
    return {
      id: entry.ref,
      component: entry.component,
      health: healthOf(object),
      ...(object?.metadata.creationTimestamp === undefined
        ? {}
        : { createdAt: object.metadata.creationTimestamp }),
      ...facts,
    };
  });
  const ready = objects.filter((o) => o.health.ready).length;
  const lock = liveLease(inventory, new Date());
  const latest = inventory.index[0];
  const lastApplied = latest === undefined ? undefined : inventory.changes[latest]?.timestamp;
  return {
    release: inventory.release,
    module: inventory.module,
    objects,
    aggregate: objects.length === 0 ? "Unknown" : ready === objects.length ? "Ready" : "NotReady",
    ready,
    total: objects.length,
    pending: inventory.pending !== undefined,
    ...(lock === undefined ? {} : { lock: { holder: lock.holder, since: lock.acquiredAt } }),
    ...(lastApplied === undefined ? {} : { lastApplied }),
  };
}

/**
 * The health of one release's objects.
 *
 * @throws OpmError OPM6011 when the release does not exist, or from the cluster requests.
 */
export async function status(
  selector: ReleaseSelector,
  options: { client: ClusterClient },
): Promise<ReleaseStatus> {
  return statusOfInventory(options.client, await requireInventory(options.client, selector));
}

/** Every release in a namespace (or all namespaces when `namespace` is undefined), with health. */
export async function listReleases(options: {
  client: ClusterClient;
  namespace?: string | undefined;
}): Promise<ReleaseStatus[]> {
  const inventories = await listInventories(options.client, options.namespace);
  return Promise.all(inventories.map((inv) => statusOfInventory(options.client, inv)));
}
