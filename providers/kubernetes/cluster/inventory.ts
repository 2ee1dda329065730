// The release inventory (RFC-0001, as adapted in architecture §7): one Secret per release with the
// entries it owns, the digest of the rendered set and a short history of changes. It holds no
// manifests and no secret values. Writes use the Secret's resourceVersion (optimistic
// concurrency), so two applies of one release cannot both commit. While an apply runs, a
// `pending` record holds the union of the old and new entries: if the process dies, the next run
// still knows every object it may have written, and prunes what is no longer rendered.
import { OpmError } from "../../../sdk/errors.ts";
import type { ClusterClient } from "./client.ts";
import { applySetId } from "./digest.ts";
import { keyOf, type KubeObject } from "./objects.ts";

export const INVENTORY_LABEL = "opmodel.dev/component";
export const INVENTORY_TYPE = "opmodel.dev/release";
export const APPLYSET_PART_OF = "applyset.kubernetes.io/part-of";
export const APPLYSET_ID = "applyset.kubernetes.io/id";
export const RELEASE_NAME_LABEL = "module-release.opmodel.dev/name";
export const RELEASE_NAMESPACE_LABEL = "module-release.opmodel.dev/namespace";
export const RELEASE_UUID_LABEL = "module-release.opmodel.dev/uuid";
const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
const MANAGED_BY = "open-platform-model";

export interface InventoryEntry {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** API version, stored but not part of identity. */
  readonly version: string;
  readonly component: string;
  /** Digest of the rendered object; lets an unchanged re-apply skip it. */
  readonly digest?: string;
}

export interface ReleaseRef {
  readonly name: string;
  readonly namespace: string;
  readonly uuid: string;
}

export interface ChangeRecord {
  readonly id: string;
  readonly module: { readonly fqn: string; readonly version: string };
  readonly manifestDigest: string;
  readonly valuesDigest: string;
  readonly timestamp: string;
  readonly entries: readonly InventoryEntry[];
}

export interface PendingRecord {
  readonly changeId: string;
  readonly startedAt: string;
  /** Union of the committed entries and the entries being applied. */
  readonly entries: readonly InventoryEntry[];
}

export interface Inventory {
  readonly release: ReleaseRef;
  readonly module: { readonly fqn: string; readonly version: string };
  readonly createdBy: string;
  /** Change ids, newest first. */
  readonly index: readonly string[];
  readonly changes: Readonly<Record<string, ChangeRecord>>;
  readonly pending?: PendingRecord | undefined;
  /** Absent until the Secret exists. */
  readonly resourceVersion?: string | undefined;
}

export function inventoryName(release: ReleaseRef): string {
  return `opm.${release.name}.${release.uuid}`;
}

export function releaseApplySetId(release: ReleaseRef): string {
  return applySetId(inventoryName(release), release.namespace, "Secret", "");
}

export function entryKey(entry: InventoryEntry): string {
  return `${entry.group}/${entry.kind}/${entry.namespace}/${entry.name}`;
}

export function entryApiVersion(entry: InventoryEntry): string {
  return entry.group === "" ? entry.version : `${entry.group}/${entry.version}`;
}

export function entryId(entry: InventoryEntry): {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
} {
  return {
    apiVersion: entryApiVersion(entry),
    kind: entry.kind,
    namespace: entry.namespace,
    name: entry.name,
  };
}

/** The entries of the latest committed change. */
export function committedEntries(inventory: Inventory | undefined): readonly InventoryEntry[] {
  const latest = inventory?.index[0];
  return latest === undefined ? [] : (inventory?.changes[latest]?.entries ?? []);
}

/** Everything the release may own: committed entries plus a pending record's. */
export function knownEntries(inventory: Inventory | undefined): InventoryEntry[] {
  return unionEntries(committedEntries(inventory), inventory?.pending?.entries ?? []);
}

/** Union by identity; the later list wins for version and component. */
export function unionEntries(a: readonly InventoryEntry[], b: readonly InventoryEntry[]): InventoryEntry[] {
  const byKey = new Map<string, InventoryEntry>();
  for (const e of [...a, ...b]) byKey.set(entryKey(e), e);
  return [...byKey.values()];
}

const decode = (value: string | undefined): unknown =>
  value === undefined ? undefined : JSON.parse(Buffer.from(value, "base64").toString("utf8"));
const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64");

interface SecretObject extends KubeObject {
  data?: Record<string, string>;
  type?: string;
}

function fromSecret(secret: SecretObject): Inventory {
  const data = secret.data ?? {};
  const meta = decode(data["releaseMetadata"]) as {
    name: string;
    namespace: string;
    uuid: string;
    createdBy?: string;
  };
  const moduleMeta = decode(data["moduleMetadata"]) as { name: string; version: string };
  const index = (decode(data["index"]) as string[] | undefined) ?? [];
  const changes: Record<string, ChangeRecord> = {};
  for (const id of index) {
    const change = decode(data[id]) as Omit<ChangeRecord, "id"> | undefined;
    if (change !== undefined) changes[id] = { ...change, id };
  }
  return {
    release: { name: meta.name, namespace: meta.namespace, uuid: meta.uuid },
    module: { fqn: moduleMeta.name, version: moduleMeta.version },
    createdBy: meta.createdBy ?? "cli",
    index,
    changes,
    pending: decode(data["pending"]) as PendingRecord | undefined,
    resourceVersion: secret.metadata.resourceVersion,
  };
}

export function inventoryPath(release: ReleaseRef, name = inventoryName(release)): string {
  return `/api/v1/namespaces/${encodeURIComponent(release.namespace)}/secrets/${encodeURIComponent(name)}`;
}

export async function readInventory(
  client: ClusterClient,
  release: ReleaseRef,
): Promise<Inventory | undefined> {
  const res = await client.raw<SecretObject>("GET", inventoryPath(release));
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw client.failure(res, `reading the inventory of release ${release.name}`);
  return fromSecret(res.body);
}

/** Lists inventories in one namespace, or in all when namespace is undefined. */
export async function listInventories(
  client: ClusterClient,
  namespace: string | undefined,
): Promise<Inventory[]> {
  const path =
    namespace === undefined
      ? "/api/v1/secrets"
      : `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
  const list = await client.json<{ items: SecretObject[] }>("GET", path, "listing release inventories", {
    query: { labelSelector: `${INVENTORY_LABEL}=inventory` },
  });
  const out: Inventory[] = [];
  for (const item of list.items) {
    if (item.type !== INVENTORY_TYPE) continue;
    try {
      out.push(fromSecret(item));
    } catch {
      // A damaged inventory of some other release must not break listing the rest.
    }
  }
  return out.sort((a, b) =>
    a.release.namespace === b.release.namespace
      ? a.release.name.localeCompare(b.release.name)
      : a.release.namespace.localeCompare(b.release.namespace),
  );
}

function toSecret(inventory: Inventory, timestamp: string): SecretObject {
  const { release } = inventory;
  const data: Record<string, string> = {
    releaseMetadata: encode({
      kind: "ModuleRelease",
      apiVersion: "core.opmodel.dev/v1alpha1",
      name: release.name,
      namespace: release.namespace,
      uuid: release.uuid,
      createdBy: inventory.createdBy,
      lastTransitionTime: timestamp,
    }),
    moduleMetadata: encode({
      kind: "Module",
      apiVersion: "core.opmodel.dev/v1alpha1",
      name: inventory.module.fqn,
      version: inventory.module.version,
    }),
    index: encode(inventory.index),
  };
  for (const id of inventory.index) {
    const change = inventory.changes[id];
    if (change === undefined) continue;
    const { id: _omit, ...stored } = change;
    data[id] = encode(stored);
  }
  if (inventory.pending !== undefined) data["pending"] = encode(inventory.pending);
  const kinds = new Set(
    knownEntries(inventory).map((e) => (e.group === "" ? e.kind : `${e.kind}.${e.group}`)),
  );
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: INVENTORY_TYPE,
    metadata: {
      name: inventoryName(release),
      namespace: release.namespace,
      labels: {
        [MANAGED_BY_LABEL]: MANAGED_BY,
        [RELEASE_NAME_LABEL]: release.name,
        [RELEASE_NAMESPACE_LABEL]: release.namespace,
        [RELEASE_UUID_LABEL]: release.uuid,
        [INVENTORY_LABEL]: "inventory",
        [APPLYSET_ID]: releaseApplySetId(release),
      },
      annotations: {
        "applyset.kubernetes.io/tooling": "opm/v0",
        "applyset.kubernetes.io/contains-group-kinds": [...kinds].sort().join(","),
      },
      ...(inventory.resourceVersion === undefined ? {} : { resourceVersion: inventory.resourceVersion }),
    },
    data,
  };
}

/**
 * Creates or replaces the Secret. Replacing sends the resourceVersion we read, so a concurrent
 * writer makes this fail with InventoryConflict instead of silently losing an update.
 */
export async function writeInventory(
  client: ClusterClient,
  inventory: Inventory,
  timestamp: string,
): Promise<Inventory> {
  const secret = toSecret(inventory, timestamp);
  const { release } = inventory;
  const res =
    inventory.resourceVersion === undefined
      ? await client.raw<SecretObject>(
          "POST",
          `/api/v1/namespaces/${encodeURIComponent(release.namespace)}/secrets`,
          {
            body: secret,
          },
        )
      : await client.raw<SecretObject>("PUT", inventoryPath(release), { body: secret });
  if (res.status === 409 || (res.status === 404 && inventory.resourceVersion !== undefined)) {
    throw new OpmError("InventoryConflict", {
      message: `release ${release.name} in namespace ${release.namespace} was changed by another apply or delete while this one ran`,
      hint: "another opm run is working on this release; wait for it to finish, then run the command again",
      details: { release: release.name, namespace: release.namespace },
    });
  }
  if (res.status < 200 || res.status >= 300)
    throw client.failure(res, `writing the inventory of release ${release.name}`);
  return { ...inventory, resourceVersion: res.body.metadata.resourceVersion };
}

export async function deleteInventory(client: ClusterClient, inventory: Inventory): Promise<void> {
  const res = await client.raw("DELETE", inventoryPath(inventory.release), {
    body: {
      kind: "DeleteOptions",
      apiVersion: "v1",
      ...(inventory.resourceVersion === undefined
        ? {}
        : { preconditions: { resourceVersion: inventory.resourceVersion } }),
    },
  });
  if (res.status === 404) return;
  if (res.status === 409) {
    throw new OpmError("InventoryConflict", {
      message: `release ${inventory.release.name} was changed by another run while it was being deleted`,
      hint: "run the command again",
    });
  }
  if (res.status < 200 || res.status >= 300)
    throw client.failure(res, `deleting the inventory of ${inventory.release.name}`);
}

/** For objects a release renders: entries keyed like inventory entries. */
export function entryFor(object: KubeObject, component: string, digest: string): InventoryEntry {
  const slash = object.apiVersion.indexOf("/");
  return {
    group: slash < 0 ? "" : object.apiVersion.slice(0, slash),
    version: slash < 0 ? object.apiVersion : object.apiVersion.slice(slash + 1),
    kind: object.kind,
    namespace: object.metadata.namespace ?? "",
    name: object.metadata.name,
    component,
    digest,
  };
}

export { keyOf };
