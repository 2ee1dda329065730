// Conditions with Kubernetes' (and Flux's) meaning: Ready says whether the release is where its
// spec wants it; Reconciling is True while the controller works towards a new generation;
// Stalled is True when retrying cannot help until the spec (or something it names) changes;
// Drifted says whether the last check found objects changed behind the controller's back.
// lastTransitionTime moves only when a condition's status changes.
import type { Condition, ConditionType } from "./api/types.ts";

/** The reasons the controller writes, stable for programs and alerts. */
export const Reasons = {
  Succeeded: "ReconciliationSucceeded",
  Progressing: "Progressing",
  Suspended: "Suspended",
  InvalidSpec: "InvalidSpec",
  ValuesRefMissing: "ValuesRefMissing",
  RenderFailed: "RenderFailed",
  ApplyFailed: "ApplyFailed",
  ImpersonationFailed: "ImpersonationFailed",
  PruneFailed: "PruneFailed",
  HealthCheckFailed: "HealthCheckFailed",
  DependencyNotReady: "DependencyNotReady",
  DriftDetected: "DriftDetected",
  NoDrift: "NoDrift",
  Deleting: "Deleting",
  ManagedExternally: "ManagedExternally",
  KubeConfigRefMissing: "KubeConfigRefMissing",
  KubeConfigInvalid: "KubeConfigInvalid",
} as const;

export type Reason = (typeof Reasons)[keyof typeof Reasons];

export interface ConditionUpdate {
  readonly type: ConditionType;
  readonly status: "True" | "False" | "Unknown";
  readonly reason: Reason;
  readonly message: string;
}

const ORDER: readonly ConditionType[] = ["Ready", "Reconciling", "Stalled", "Drifted"];

/** `current` with `updates` applied, in a fixed order; unchanged statuses keep their transition time. */
export function setConditions(
  current: readonly Condition[] | undefined,
  updates: readonly ConditionUpdate[],
  generation: number | undefined,
  now: string,
): Condition[] {
  const byType = new Map((current ?? []).map((c) => [c.type, c] as const));
  for (const update of updates) {
    const before = byType.get(update.type);
    byType.set(update.type, {
      ...update,
      message: update.message.length > 2000 ? `${update.message.slice(0, 1997)}...` : update.message,
      lastTransitionTime:
        before !== undefined && before.status === update.status ? before.lastTransitionTime : now,
      ...(generation === undefined ? {} : { observedGeneration: generation }),
    });
  }
  return ORDER.map((t) => byType.get(t)).filter((c): c is Condition => c !== undefined);
}

export function conditionOf(
  conditions: readonly Condition[] | undefined,
  type: ConditionType,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
