// Reading the live state of many objects at once, and comparing it with what we render. A kind
// with several objects in one namespace is read with one LIST instead of one GET per object: a
// re-apply of an unchanged release then costs a handful of requests.
import type { ClusterClient } from "./client.ts";
import type { ApiResource } from "./discovery.ts";
import { mapLimit } from "./limit.ts";
import { objectKey, refOf, type ObjectRef } from "../../../sdk/identity/objects.ts";
import { getObject, listObjects, type KubeObject } from "./objects.ts";

/** Live objects by `objectKey`; a missing key means the object does not exist (or its kind is not served). */
export type LiveSnapshot = Map<string, KubeObject>;

/** Above this many objects of one kind in one namespace, LIST instead of GET each. */
const LIST_THRESHOLD = 3;

export async function readLive(
  client: ClusterClient,
  refs: readonly ObjectRef[],
  concurrency = 8,
): Promise<LiveSnapshot> {
  const groups = new Map<string, { resource: ApiResource; namespace: string; refs: ObjectRef[] }>();
  const resources = await Promise.all(refs.map((ref) => client.discovery.find(ref.apiVersion, ref.kind)));
  for (const [index, ref] of refs.entries()) {
    const resource = resources[index];
    if (resource === undefined) continue; // not served yet, e.g. a CR whose CRD is in the same set
    const namespace = resource.namespaced ? ref.namespace : "";
    const key = `${resource.apiVersion}/${resource.kind}/${namespace}`;
    const group = groups.get(key) ?? { resource, namespace, refs: [] };
    group.refs.push(ref);
    groups.set(key, group);
  }
  const snapshot: LiveSnapshot = new Map();
  await mapLimit([...groups.values()], concurrency, async (group) => {
    if (group.refs.length <= LIST_THRESHOLD) {
      const found = await Promise.all(group.refs.map((ref) => getObject(client, ref)));
      for (const object of found) if (object !== undefined) snapshot.set(objectKey(refOf(object)), object);
      return;
    }
    const wanted = new Set(group.refs.map(objectKey));
    for (const object of await listObjects(client, group.resource, group.namespace)) {
      const key = objectKey(refOf(object));
      if (wanted.has(key)) snapshot.set(key, object);
    }
  });
  return snapshot;
}

/**
 * True when the live object already holds every value the desired object sets: the live object
 * projected onto the desired object's fields equals the desired object. Server defaults and status
 * are fields the desired object does not set, so they do not count.
 */
export function projectionMatches(live: unknown, desired: unknown): boolean {
  // The server drops empty maps, empty lists and nulls, so those match an absent field.
  if (live === undefined && isEmpty(desired)) return true;
  if (Array.isArray(desired)) {
    return (
      Array.isArray(live) &&
      live.length === desired.length &&
      desired.every((d, i) => projectionMatches(live[i], d))
    );
  }
  if (typeof desired === "object" && desired !== null) {
    if (typeof live !== "object" || live === null || Array.isArray(live)) return false;
    const liveRecord = live as Record<string, unknown>;
    return Object.entries(desired).every(([key, value]) => projectionMatches(liveRecord[key], value));
  }
  return live === desired;
}

function isEmpty(value: unknown): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value as object).length === 0;
}

/** Secrets are read back as base64 `data`; compare `stringData` against that. */
export function desiredAsStored(desired: KubeObject): KubeObject {
  if (desired.kind !== "Secret" || desired["stringData"] === undefined) return desired;
  const { stringData, ...rest } = desired;
  const data: Record<string, string> = { ...((rest["data"] as Record<string, string> | undefined) ?? {}) };
  for (const [k, v] of Object.entries(stringData as Record<string, string>))
    data[k] = Buffer.from(v).toString("base64");
  return { ...rest, data } as KubeObject;
}
