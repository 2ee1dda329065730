// Object-level requests: get, list, server-side apply, delete. Paths come from discovery.
// Server-side apply is a PATCH with `application/apply-patch+yaml` and a JSON body (JSON is YAML).
// Objects are named by sdk's ObjectRef, the one identity every layer shares.
import { describeObject, refOf, type ObjectRef } from "../../../sdk/identity/objects.ts";
import type { ClusterClient } from "./client.ts";
import { apiPrefix, type ApiResource } from "./discovery.ts";

/** A live or rendered Kubernetes object, as plain JSON. */
export interface KubeObject {
  /** The object's API version, e.g. `apps/v1`. */
  apiVersion: string;
  /** The object's kind. */
  kind: string;
  /** Name, namespace, labels, annotations and the server's bookkeeping. */
  metadata: ObjectMeta;
  /** The rest (`spec`, `status`, `data`, ...), kept whatever the kind, custom resources included. */
  [key: string]: unknown;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  uid?: string;
  generation?: number;
  deletionTimestamp?: string;
  creationTimestamp?: string;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  managedFields?: ManagedFieldsEntry[];
  finalizers?: string[];
  [key: string]: unknown;
}

export const FIELD_MANAGER = "opm";

export function collectionPath(resource: ApiResource, namespace: string): string {
  const prefix = apiPrefix(resource.apiVersion);
  return resource.namespaced && namespace !== ""
    ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`
    : `${prefix}/${resource.plural}`;
}

export async function objectPath(client: ClusterClient, ref: ObjectRef): Promise<string> {
  const resource = await client.discovery.resolve(ref.apiVersion, ref.kind);
  return `${collectionPath(resource, resource.namespaced ? ref.namespace : "")}/${encodeURIComponent(ref.name)}`;
}

export async function getObject(client: ClusterClient, ref: ObjectRef): Promise<KubeObject | undefined> {
  const res = await client.raw<KubeObject>("GET", await objectPath(client, ref));
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw client.failure(res, describeObject(ref));
  return res.body;
}

export interface ApplyRequest {
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly fieldManager?: string | undefined;
}

export async function serverSideApply(
  client: ClusterClient,
  object: KubeObject,
  options: ApplyRequest,
): Promise<KubeObject> {
  const ref = refOf(object);
  return client.json<KubeObject>("PATCH", await objectPath(client, ref), describeObject(ref), {
    body: object,
    contentType: "application/apply-patch+yaml",
    query: {
      fieldManager: options.fieldManager ?? FIELD_MANAGER,
      force: options.force ? "true" : undefined,
      dryRun: options.dryRun ? "All" : undefined,
    },
  });
}

/** Deletes; answers false when the object was already gone. */
export async function deleteObject(
  client: ClusterClient,
  ref: ObjectRef,
  options: { dryRun?: boolean; propagation?: "Background" | "Foreground" | "Orphan"; uid?: string } = {},
): Promise<boolean> {
  const body = {
    kind: "DeleteOptions",
    apiVersion: "v1",
    propagationPolicy: options.propagation ?? "Background",
    ...(options.dryRun === true ? { dryRun: ["All"] } : {}),
    // Delete exactly the object we looked at, not a namesake created since.
    ...(options.uid === undefined ? {} : { preconditions: { uid: options.uid } }),
  };
  const res = await client.raw("DELETE", await objectPath(client, ref), { body });
  if (res.status === 404) return false;
  if (res.status === 409 && options.uid !== undefined) return false;
  if (res.status < 200 || res.status >= 300) throw client.failure(res, `deleting ${describeObject(ref)}`);
  return true;
}

export interface ObjectList {
  items: KubeObject[];
  metadata?: { resourceVersion?: string };
}

/** Lists one kind in one namespace (or cluster-wide when namespace is ""). */
export async function listObjects(
  client: ClusterClient,
  resource: ApiResource,
  namespace: string,
  labelSelector?: string,
): Promise<KubeObject[]> {
  const list = await client.json<ObjectList>(
    "GET",
    collectionPath(resource, namespace),
    `listing ${resource.plural}`,
    {
      query: { labelSelector },
    },
  );
  // Lists omit apiVersion/kind on items; put them back so items are whole objects.
  return list.items.map((item) => ({ ...item, apiVersion: resource.apiVersion, kind: resource.kind }));
}
