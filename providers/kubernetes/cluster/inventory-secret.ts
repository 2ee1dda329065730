// The stored form of a release inventory: a Secret of type `opmodel.dev/release` named
// `opm.<release>.<uuid>` in the release's namespace, labelled like upstream's
// and as the release's ApplySet parent. Every data key holds base64 JSON:
//
//   releaseMetadata  {kind: ModuleRelease, apiVersion, name, namespace, uuid, createdBy,
//                     lastTransitionTime, managedBy?}; managedBy {kind: cli} or {kind:
//                     controller, namespace, name} (the ModuleRelease), absent for the CLI
//   moduleMetadata   {kind: Module, apiVersion, name (the module FQN), version}
//   index            change ids, newest first (at most --max-history)
//   change-sha1-*    one change: {module {fqn, version}, manifestDigest, valuesDigest,
//                     timestamp, entries}
//   pending          present while an apply or delete runs, or after one stopped: {changeId
//                     ("delete" for a delete), startedAt, entries, lease?}; entries are the
//                     union of what the release owned and what the run may write; lease
//                     {holder, acquiredAt, renewedAt, durationSeconds} while a run holds the
//                     release (lease.ts), absent once it gave it up or died
//
// An entry is {group, version, kind, namespace, name, component, digest, retained?, reason?, stage?}:
// the object's identity split like upstream's inventory entries, the component that renders it,
// and the digest of the rendered object (never the object itself, so no manifest and no secret
// value is stored); `retained: true` marks an object no longer rendered that prune kept, `reason`
// says why (a policy for a volume, or pods that still read a superseded ConfigMap/Secret);
// `stage` is its apply stage when not 0, so delete and prune can go in reverse stage order.
import { OpmError } from "../../../sdk/errors.ts";
import { groupOf, versionOf } from "../../../sdk/identity/objects.ts";
import type { ChangeRecord, Inventory, InventoryEntry, PendingRecord, ReleaseManager } from "./inventory.ts";
import {
  APPLYSET_GROUP_KINDS,
  APPLYSET_TOOLING,
  INVENTORY_TYPE,
  inventoryLabels,
  inventoryName,
} from "./labels.ts";
import type { KubeObject } from "./objects.ts";

export interface SecretObject extends KubeObject {
  data?: Record<string, string>;
  type?: string;
}

/** An entry as stored. */
interface StoredEntry {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly component: string;
  readonly digest?: string;
  readonly retained?: true;
  readonly reason?: string;
  readonly stage?: number;
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64");

function storeEntry(entry: InventoryEntry): StoredEntry {
  const { ref } = entry;
  return {
    group: groupOf(ref.apiVersion),
    version: versionOf(ref.apiVersion),
    kind: ref.kind,
    namespace: ref.namespace,
    name: ref.name,
    component: entry.component,
    ...(entry.digest === undefined ? {} : { digest: entry.digest }),
    ...(entry.retained === true ? { retained: true as const } : {}),
    ...(entry.retained === true && entry.reason !== undefined ? { reason: entry.reason } : {}),
    ...(entry.stage === undefined ? {} : { stage: entry.stage }),
  };
}

function loadEntry(stored: StoredEntry): InventoryEntry {
  return {
    ref: {
      apiVersion: stored.group === "" ? stored.version : `${stored.group}/${stored.version}`,
      kind: stored.kind,
      namespace: stored.namespace,
      name: stored.name,
    },
    component: stored.component,
    ...(stored.digest === undefined ? {} : { digest: stored.digest }),
    ...(stored.retained === true ? { retained: true as const } : {}),
    ...(stored.retained === true && typeof stored.reason === "string" ? { reason: stored.reason } : {}),
    ...(typeof stored.stage === "number" && stored.stage > 0 ? { stage: stored.stage } : {}),
  };
}

/**
 * Reads an inventory Secret, refusing one that is not what opm wrote for the release its name
 * names: data that is not base64 JSON, a format this version does not know, the releaseMetadata of
 * another release (a Secret copied over), malformed entries. Guessing what a damaged inventory
 * owns could prune or delete the wrong objects, so nothing reads past it.
 *
 * @throws OpmError OPM6021 (InventoryInvalid) naming the Secret and the way out.
 */
export function fromSecret(secret: SecretObject): Inventory {
  const problem = (what: string, hint = REBUILD_HINT) => inventoryInvalid(secret, what, hint);
  const data = secret.data ?? {};
  const read = (key: string): unknown => {
    const raw = data[key];
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(Buffer.from(raw, "base64").toString("utf8"));
    } catch {
      throw problem(`holds data key ${key} that is not base64-encoded JSON`);
    }
  };
  const meta = read("releaseMetadata");
  if (!isRecord(meta)) throw problem("has no releaseMetadata");
  if (meta["apiVersion"] !== undefined && meta["apiVersion"] !== INVENTORY_API_VERSION)
    throw problem(
      `is in format ${String(meta["apiVersion"])}, which this opm does not read (it reads ${INVENTORY_API_VERSION})`,
      "it was written by another (likely newer) opm: use that version for this release; do not edit or delete the Secret",
    );
  const { name, namespace, uuid } = meta;
  if (typeof name !== "string" || typeof namespace !== "string" || typeof uuid !== "string")
    throw problem("has no release name, namespace and uuid in its releaseMetadata");
  const release = { name, namespace, identity: uuid };
  if (
    inventoryName(release) !== secret.metadata.name ||
    (secret.metadata.namespace !== undefined && secret.metadata.namespace !== namespace)
  )
    throw problem(
      `holds the inventory of release ${name} in namespace ${namespace} (${uuid}), not of the release its name names; was it copied from another release?`,
    );
  const moduleMeta = read("moduleMetadata");
  if (
    !isRecord(moduleMeta) ||
    typeof moduleMeta["name"] !== "string" ||
    typeof moduleMeta["version"] !== "string"
  )
    throw problem("has no module name and version in its moduleMetadata");
  const index = read("index") ?? [];
  if (!Array.isArray(index) || !index.every((id) => typeof id === "string" && id !== "pending"))
    throw problem("has an index that is not a list of change ids");
  const changes: Record<string, ChangeRecord> = {};
  for (const id of index as string[]) {
    const change = read(id);
    if (!isRecord(change)) throw problem(`lists change ${id} in its index but does not hold it`);
    changes[id] = { ...(change as unknown as ChangeRecord), id, entries: entriesOf(change, `change ${id}`) };
  }
  const pending = read("pending");
  if (pending !== undefined && (!isRecord(pending) || typeof pending["changeId"] !== "string"))
    throw problem("holds a pending record without a change id");
  return {
    release,
    module: { fqn: moduleMeta["name"], version: moduleMeta["version"] },
    createdBy: typeof meta["createdBy"] === "string" ? meta["createdBy"] : "cli",
    ...(meta["managedBy"] === undefined ? {} : { managedBy: meta["managedBy"] as ReleaseManager }),
    index: index as string[],
    changes,
    pending:
      pending === undefined
        ? undefined
        : { ...(pending as unknown as PendingRecord), entries: entriesOf(pending, "the pending record") },
    resourceVersion: secret.metadata.resourceVersion,
  };

  function entriesOf(record: Record<string, unknown>, where: string): InventoryEntry[] {
    const entries = record["entries"];
    if (!Array.isArray(entries) || !entries.every(isStoredEntry))
      throw problem(
        `holds entries in ${where} that are not objects with group, version, kind, namespace and name`,
      );
    return entries.map(loadEntry);
  }
}

const INVENTORY_API_VERSION = "core.opmodel.dev/v1alpha1";

const REBUILD_HINT =
  "opm will not guess what the release owns from it; if the release's objects are intact, delete the Secret and apply the release again: the inventory is rebuilt from the objects labelled as the release's";

function inventoryInvalid(secret: SecretObject, what: string, hint: string): OpmError {
  const { name, namespace = "" } = secret.metadata;
  return new OpmError("InventoryInvalid", {
    message: `the release inventory Secret ${name} in namespace ${namespace} ${what}`,
    hint,
    details: { secret: name, namespace },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStoredEntry(value: unknown): value is StoredEntry {
  if (!isRecord(value)) return false;
  const text = (key: string, empty = false) => typeof value[key] === "string" && (empty || value[key] !== "");
  return (
    text("group", true) &&
    text("version") &&
    text("kind") &&
    text("namespace", true) &&
    text("name") &&
    text("component", true)
  );
}

/** The Secret for an inventory; `members` names the group-kinds the ApplySet parent lists. */
export function toSecret(
  inventory: Inventory,
  members: readonly InventoryEntry[],
  timestamp: string,
): SecretObject {
  const { release } = inventory;
  const data: Record<string, string> = {
    releaseMetadata: encode({
      kind: "ModuleRelease",
      apiVersion: INVENTORY_API_VERSION,
      name: release.name,
      namespace: release.namespace,
      uuid: release.identity,
      createdBy: inventory.createdBy,
      ...(inventory.managedBy === undefined ? {} : { managedBy: inventory.managedBy }),
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
    const { id: _omit, entries, ...rest } = change;
    data[id] = encode({ ...rest, entries: entries.map(storeEntry) });
  }
  if (inventory.pending !== undefined) {
    data["pending"] = encode({ ...inventory.pending, entries: inventory.pending.entries.map(storeEntry) });
  }
  const kinds = new Set(
    members.map(({ ref }) =>
      groupOf(ref.apiVersion) === "" ? ref.kind : `${ref.kind}.${groupOf(ref.apiVersion)}`,
    ),
  );
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: INVENTORY_TYPE,
    metadata: {
      name: inventoryName(release),
      namespace: release.namespace,
      labels: inventoryLabels(release),
      annotations: {
        [APPLYSET_TOOLING]: "opm/v0",
        [APPLYSET_GROUP_KINDS]: [...kinds].sort().join(","),
      },
      ...(inventory.resourceVersion === undefined ? {} : { resourceVersion: inventory.resourceVersion }),
    },
    data,
  };
}
