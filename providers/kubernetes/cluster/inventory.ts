// The release inventory (RFC-0001, adapted: docs/architecture.md): one Secret per release with the
// entries it owns, the digest of the rendered set and a short history of changes. It holds no
// manifests and no secret values. Writes use the Secret's resourceVersion (optimistic
// concurrency), so two runs on one release cannot both commit. While an apply runs, a `pending`
// record holds the union of the old and new entries: if the process dies, the next run still
// knows every object it may have written, and prunes what is no longer rendered. The stored
// format is documented in inventory-secret.ts.
import { OpmError, isOpmError } from "../../../sdk/errors.ts";
import { objectKey, type ObjectRef } from "../../../sdk/identity/objects.ts";
import type { ClusterClient } from "./client.ts";
import type { ReleaseSource } from "./desired.ts";
import { fromSecret, toSecret, type SecretObject } from "./inventory-secret.ts";
import { INVENTORY_TYPE, inventoryName, type ReleaseRef } from "./labels.ts";
import type { LeaseRecord } from "./lease.ts";

/** One object a release owns: its identity, the component that renders it, and its digest. */
export interface InventoryEntry {
  /** The object. */
  readonly ref: ObjectRef;
  /** The component that renders it. */
  readonly component: string;
  /** Digest of the rendered object; lets an unchanged re-apply skip it. */
  readonly digest?: string;
  /**
   * No longer rendered, but kept on prune by policy (a volume without --prune-volumes, a CRD, a
   * Namespace): still the release's, so a later prune with the opt-in, diff and delete see it.
   */
  readonly retained?: true;
  /**
   * Why a retained entry is kept: a policy (`volumes are pruned only with --prune-volumes`), or a
   * superseded ConfigMap/Secret still read by the pods of a rollout (superseded.ts), which the
   * next prune removes once nothing reads it.
   */
  readonly reason?: string;
  /** Its stage when applied, when not 0: delete and prune go from the last stage to the first. */
  readonly stage?: number;
}

/** One apply of a release, kept in its inventory's history (`opm mod history`, `opm mod rollback`). */
export interface ChangeRecord {
  /**
   * `change-sha1-<8 hex>` from the module, the values digest and the manifest digest: the same
   * render of the same values gives the same id.
   */
  readonly id: string;
  /** The module's FQN and version applied. */
  readonly module: { readonly fqn: string; readonly version: string };
  /** `sha256:` of the whole rendered set, in apply order. */
  readonly manifestDigest: string;
  /** `sha256:` of the values; the values themselves are never stored in the inventory. */
  readonly valuesDigest: string;
  /** When the change was committed, RFC 3339. */
  readonly timestamp: string;
  /** Every object the release owned after the change. */
  readonly entries: readonly InventoryEntry[];
  /** Where the module came from (registry reference or local path) and where its values are kept. */
  readonly source?: ReleaseSource;
}

export interface PendingRecord {
  readonly changeId: string;
  readonly startedAt: string;
  /** Union of the committed entries and the entries being applied. */
  readonly entries: readonly InventoryEntry[];
  /** Present while a run holds the release (lease.ts); absent once it gave it up or died. */
  readonly lease?: LeaseRecord | undefined;
}

/**
 * Who manages a release: the CLI (`opm mod apply`), or the controller on behalf of one
 * ModuleRelease. An inventory without the record is the CLI's (releases applied before it).
 */
export type ReleaseManager =
  | { readonly kind: "cli" }
  | { readonly kind: "controller"; readonly namespace: string; readonly name: string };

/**
 * A release's inventory, read from its Secret: what it owns, its change history, and an apply in
 * progress.
 */
export interface Inventory {
  /** The release it belongs to. */
  readonly release: ReleaseRef;
  /** The module's FQN and version of the latest change. */
  readonly module: { readonly fqn: string; readonly version: string };
  /** Who created the release (`cli` unless another tool wrote it). */
  readonly createdBy: string;
  /** Absent: the CLI manages it (manager.ts). */
  readonly managedBy?: ReleaseManager | undefined;
  /** Change ids, newest first. */
  readonly index: readonly string[];
  /** Kept change records by id (the newest few; `maxHistory`). */
  readonly changes: Readonly<Record<string, ChangeRecord>>;
  /** Present while an apply runs, or after one was interrupted; the next apply resumes from it. */
  readonly pending?: PendingRecord | undefined;
  /** Absent until the Secret exists. */
  readonly resourceVersion?: string | undefined;
}

/** The entries of the latest committed change. */
export function committedEntries(inventory: Inventory | undefined): readonly InventoryEntry[] {
  const latest = inventory?.index[0];
  return latest === undefined ? [] : (inventory?.changes[latest]?.entries ?? []);
}

/**
 * How the latest committed change named the release's objects, when it recorded it: a later
 * apply keeps it unless told otherwise, rather than renaming every object.
 */
export function recordedNaming(inventory: Inventory | undefined): ReleaseSource["naming"] {
  const latest = inventory?.index[0];
  return latest === undefined ? undefined : inventory?.changes[latest]?.source?.naming;
}

/** Everything the release may own: committed entries plus a pending record's. */
export function knownEntries(inventory: Inventory | undefined): InventoryEntry[] {
  return unionEntries(committedEntries(inventory), inventory?.pending?.entries ?? []);
}

/** Union by identity; the later list wins for version and component. */
export function unionEntries(a: readonly InventoryEntry[], b: readonly InventoryEntry[]): InventoryEntry[] {
  const byKey = new Map<string, InventoryEntry>();
  for (const e of [...a, ...b]) byKey.set(objectKey(e.ref), e);
  return [...byKey.values()];
}

export function inventoryPath(release: ReleaseRef, name = inventoryName(release)): string {
  return `/api/v1/namespaces/${encodeURIComponent(release.namespace)}/secrets/${encodeURIComponent(name)}`;
}

/**
 * The release's inventory, or undefined when it has none (never applied, or deleted).
 *
 * @throws OpmError from the cluster request (e.g. OPM6002 forbidden) for anything but 404.
 */
export async function readInventory(
  client: ClusterClient,
  release: ReleaseRef,
): Promise<Inventory | undefined> {
  const res = await client.raw<SecretObject>("GET", inventoryPath(release));
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw client.failure(res, `reading the inventory of release ${release.name}`);
  return fromSecret(res.body);
}

/** Lists inventories in one namespace, or in all when namespace is undefined; damaged ones are left out. */
export async function listInventories(
  client: ClusterClient,
  namespace: string | undefined,
): Promise<Inventory[]> {
  return (await scanInventories(client, namespace)).inventories;
}

/**
 * The inventories of one namespace (or all), and the Secrets of inventory type that cannot be read
 * (fromSecret's OPM6021): a damaged inventory of some release must not break listing the rest,
 * but a command naming that release must say what is wrong with it. Found by the Secret type, not
 * by label, so an inventory whose labels were removed is still found (the next write restores them).
 */
export async function scanInventories(
  client: ClusterClient,
  namespace: string | undefined,
): Promise<{ inventories: Inventory[]; damaged: { secret: string; error: OpmError }[] }> {
  const path =
    namespace === undefined
      ? "/api/v1/secrets"
      : `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
  const list = await client.json<{ items: SecretObject[] }>("GET", path, "listing release inventories", {
    query: { fieldSelector: `type=${INVENTORY_TYPE}` },
  });
  const inventories: Inventory[] = [];
  const damaged: { secret: string; error: OpmError }[] = [];
  for (const item of list.items) {
    if (item.type !== INVENTORY_TYPE) continue;
    try {
      inventories.push(fromSecret(item));
    } catch (error) {
      if (!isOpmError(error)) throw error;
      damaged.push({ secret: item.metadata.name, error });
    }
  }
  inventories.sort((a, b) =>
    a.release.namespace === b.release.namespace
      ? a.release.name.localeCompare(b.release.name)
      : a.release.namespace.localeCompare(b.release.namespace),
  );
  return { inventories, damaged };
}

function conflict(release: ReleaseRef): OpmError {
  return new OpmError("InventoryConflict", {
    message: `release ${release.name} in namespace ${release.namespace} was changed by another apply or delete while this one ran`,
    hint: "another opm run is working on this release; wait for it to finish, then run the command again",
    details: { release: release.name, namespace: release.namespace },
  });
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
  const secret = toSecret(inventory, knownEntries(inventory), timestamp);
  const { release } = inventory;
  const res =
    inventory.resourceVersion === undefined
      ? await client.raw<SecretObject>(
          "POST",
          `/api/v1/namespaces/${encodeURIComponent(release.namespace)}/secrets`,
          { body: secret },
        )
      : await client.raw<SecretObject>("PUT", inventoryPath(release), { body: secret });
  if (res.status === 409 || (res.status === 404 && inventory.resourceVersion !== undefined))
    throw conflict(release);
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
  if (res.status === 409) throw conflict(inventory.release);
  if (res.status < 200 || res.status >= 300)
    throw client.failure(res, `deleting the inventory of ${inventory.release.name}`);
}
