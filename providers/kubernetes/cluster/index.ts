// Public surface of the cluster side: connect, apply, diff, status, list, tree, events, remove.
// Named exports only; everything else in this folder is internal.
export {
  ClusterClient,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ClientOptions,
  type KubeResponse,
} from "./client.ts";
export { isTransient } from "./http-errors.ts";
export {
  kubeconfigPaths,
  loadKubeconfig,
  type KubeconfigSource,
  type LoadedKubeconfig,
} from "./kubeconfig.ts";
export { apply, type ApplyOptions, type ApplyResult, type ObjectResult } from "./apply.ts";
export { diff, type DiffOptions, type DiffResult, type DiffState, type ObjectDiff } from "./diff.ts";
export { HIDDEN, type FieldChange } from "./field-diff.ts";
export {
  status,
  listReleases,
  type AggregateStatus,
  type ObjectStatus,
  type ReleaseStatus,
} from "./status.ts";
export { remove, type RemoveOptions, type RemoveResult } from "./remove.ts";
export { tree, type ReleaseTree, type TreeNode } from "./tree.ts";
export { releaseEvents, type EventsOptions, type ReleaseEvent } from "./release-events.ts";
export { findInventory, requireInventory, type ReleaseSelector } from "./lookup.ts";
export { healthOf, type Health, type HealthStatus } from "./health.ts";
export { waitForHealth, DEFAULT_TIMEOUT_MS } from "./wait.ts";
export type { ClusterEvent, EventSink, ObjectAction, Phase } from "./events.ts";
export { valuesDigestOf, type ReleaseInput, type ReleaseSource } from "./desired.ts";
export type { KubeObject } from "./objects.ts";
export { describeObject, objectKey, type ObjectRef } from "../../../sdk/identity/objects.ts";
export {
  listInventories,
  readInventory,
  recordedNaming,
  type ChangeRecord,
  type Inventory,
  type InventoryEntry,
  type ReleaseManager,
} from "./inventory.ts";
export { moveFieldManager } from "./move-field-manager.ts";
export { checkManager, describeManager, managerOf, sameManager, setReleaseManager } from "./manager.ts";
export { inventoryName, type ReleaseRef } from "./labels.ts";
export { sha256, stableJson } from "./digest.ts";
