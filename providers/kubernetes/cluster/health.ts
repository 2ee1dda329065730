// Health per kind (docs/upstream-compatibility.md): workloads by their rollout, Jobs by
// completion, PVCs by binding, passive kinds by existence, and anything else (custom resources)
// by a `Ready` condition when it has one.
import type { KubeObject } from "./objects.ts";

/**
 * An object's health by kind: `Ready`/`NotReady` (workloads, custom resources, kinds ready by
 * existing), Jobs `Complete`/`Failed`, PVCs `Bound`/`Pending`, `Missing` when it does not exist.
 */
export type HealthStatus = "Ready" | "NotReady" | "Complete" | "Failed" | "Bound" | "Pending" | "Missing";

/** One object's health, as `status`, `tree` and the waits report it. */
export interface Health {
  /** The state in one word. */
  readonly status: HealthStatus;
  /** True when this object counts as healthy for the release's aggregate. */
  readonly ready: boolean;
  /** Why it is not ready, in words a user can act on. */
  readonly message?: string;
}

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

const PASSIVE_KINDS = new Set([
  "ConfigMap",
  "Secret",
  "Service",
  "ServiceAccount",
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
  "Ingress",
  "NetworkPolicy",
  "PodDisruptionBudget",
  "ResourceQuota",
  "LimitRange",
  "StorageClass",
  "PriorityClass",
  "HorizontalPodAutoscaler",
  "Endpoints",
  "EndpointSlice",
]);

/** Kinds whose readiness depends on something outside the release (a consumer pod, a provisioner). */
export const NOT_AWAITED_KINDS: ReadonlySet<string> = new Set(["PersistentVolumeClaim", "CronJob"]);

type Fields = Record<string, unknown>;
const num = (value: unknown, fallback: number): number => (typeof value === "number" ? value : fallback);

function conditions(object: KubeObject): Condition[] {
  const status = object["status"] as { conditions?: Condition[] } | undefined;
  return Array.isArray(status?.conditions) ? status.conditions : [];
}

const ready = (status: HealthStatus = "Ready"): Health => ({ status, ready: true });
const notReady = (message: string, status: HealthStatus = "NotReady"): Health => ({
  status,
  ready: false,
  message,
});

function generationSeen(object: KubeObject): boolean {
  const status = (object["status"] ?? {}) as Fields;
  return num(status["observedGeneration"], 0) >= num(object.metadata.generation, 0);
}

function deploymentHealth(object: KubeObject): Health {
  const spec = (object["spec"] ?? {}) as Fields;
  const status = (object["status"] ?? {}) as Fields;
  const want = num(spec["replicas"], 1);
  if (!generationSeen(object)) return notReady("the controller has not seen the latest spec yet");
  const progressing = conditions(object).find((c) => c.type === "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") {
    return notReady(`rollout stalled: ${progressing.message ?? "progress deadline exceeded"}`);
  }
  const updated = num(status["updatedReplicas"], 0);
  const available = num(status["availableReplicas"], 0);
  const total = num(status["replicas"], 0);
  if (updated < want) return notReady(`${updated}/${want} replicas updated`);
  if (total > updated) return notReady(`${total - updated} old replicas pending termination`);
  if (available < want) {
    const cond = conditions(object).find((c) => c.type === "Available" && c.status !== "True");
    return notReady(`${available}/${want} replicas available${cond?.message ? ` (${cond.message})` : ""}`);
  }
  return ready();
}

function statefulSetHealth(object: KubeObject): Health {
  const spec = (object["spec"] ?? {}) as Fields;
  const status = (object["status"] ?? {}) as Fields;
  const want = num(spec["replicas"], 1);
  if (!generationSeen(object)) return notReady("the controller has not seen the latest spec yet");
  const readyCount = num(status["readyReplicas"], 0);
  if (readyCount < want) return notReady(`${readyCount}/${want} replicas ready`);
  if (
    want > 0 &&
    status["updateRevision"] !== undefined &&
    status["currentRevision"] !== status["updateRevision"]
  ) {
    const updated = num(status["updatedReplicas"], 0);
    if (updated < want) return notReady(`${updated}/${want} replicas updated`);
  }
  return ready();
}

function daemonSetHealth(object: KubeObject): Health {
  const status = (object["status"] ?? {}) as Fields;
  if (!generationSeen(object)) return notReady("the controller has not seen the latest spec yet");
  const want = num(status["desiredNumberScheduled"], 0);
  const readyCount = num(status["numberReady"], 0);
  const updated = num(status["updatedNumberScheduled"], 0);
  if (updated < want) return notReady(`${updated}/${want} pods updated`);
  if (readyCount < want) return notReady(`${readyCount}/${want} pods ready`);
  return ready();
}

function jobHealth(object: KubeObject): Health {
  const all = conditions(object);
  if (all.some((c) => c.type === "Complete" && c.status === "True")) return ready("Complete");
  const failed = all.find((c) => c.type === "Failed" && c.status === "True");
  if (failed !== undefined) return notReady(`failed: ${failed.message ?? failed.reason ?? ""}`, "Failed");
  return notReady("not complete yet");
}

/** A CRD is ready once the server serves its kind: `Established`, as `kubectl wait` checks. */
function crdHealth(object: KubeObject): Health {
  const established = conditions(object).find((c) => c.type === "Established");
  if (established?.status === "True") return ready();
  const refused = conditions(object).find((c) => c.type === "NamesAccepted" && c.status === "False");
  if (refused !== undefined)
    return notReady(`names not accepted: ${refused.message ?? refused.reason ?? ""}`);
  return notReady("not established yet");
}

function pvcHealth(object: KubeObject): Health {
  const phase = ((object["status"] ?? {}) as Fields)["phase"];
  if (phase === "Bound") return ready("Bound");
  return notReady(`phase ${typeof phase === "string" ? phase : "unknown"}`, "Pending");
}

/** The health of one live object; `undefined` means it does not exist. */
export function healthOf(object: KubeObject | undefined): Health {
  if (object === undefined) return notReady("does not exist", "Missing");
  if (object.metadata.deletionTimestamp !== undefined) return notReady("is being deleted");
  switch (object.kind) {
    case "Deployment":
      return deploymentHealth(object);
    case "StatefulSet":
      return statefulSetHealth(object);
    case "DaemonSet":
      return daemonSetHealth(object);
    case "Job":
      return jobHealth(object);
    case "CronJob":
      return ready();
    case "PersistentVolumeClaim":
      return pvcHealth(object);
    case "CustomResourceDefinition":
      return crdHealth(object);
  }
  if (PASSIVE_KINDS.has(object.kind)) return ready();
  const readyCondition = conditions(object).find((c) => c.type === "Ready");
  if (readyCondition === undefined || readyCondition.status === "True") return ready();
  return notReady(readyCondition.message ?? readyCondition.reason ?? "Ready is not True");
}
