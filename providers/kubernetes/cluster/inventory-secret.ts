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

const decode = (value: string | undefined): unknown =>
  value === undefined ? undefined : JSON.parse(Buffer.from(value, "base64").toString("utf8"));
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

type Stored<T extends { entries: readonly InventoryEntry[] }> = Omit<T, "entries" | "id"> & {
  entries: StoredEntry[];
};

export function fromSecret(secret: SecretObject): Inventory {
  const data = secret.data ?? {};
  const meta = decode(data["releaseMetadata"]) as {
    name: string;
    namespace: string;
    uuid: string;
    createdBy?: string;
    managedBy?: ReleaseManager;
  };
  const moduleMeta = decode(data["moduleMetadata"]) as { name: string; version: string };
  const index = (decode(data["index"]) as string[] | undefined) ?? [];
  const changes: Record<string, ChangeRecord> = {};
  for (const id of index) {
    const change = decode(data[id]) as Stored<ChangeRecord> | undefined;
    if (change !== undefined) changes[id] = { ...change, id, entries: change.entries.map(loadEntry) };
  }
  const pending = decode(data["pending"]) as Stored<PendingRecord> | undefined;
  return {
    release: { name: meta.name, namespace: meta.namespace, identity: meta.uuid },
    module: { fqn: moduleMeta.name, version: moduleMeta.version },
    createdBy: meta.createdBy ?? "cli",
    ...(meta.managedBy === undefined ? {} : { managedBy: meta.managedBy }),
    index,
    changes,
    pending: pending === undefined ? undefined : { ...pending, entries: pending.entries.map(loadEntry) },
    resourceVersion: secret.metadata.resourceVersion,
  };
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
      apiVersion: "core.opmodel.dev/v1alpha1",
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
