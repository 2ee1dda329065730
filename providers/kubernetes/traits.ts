// Which optional traits each workload transformer handles (docs/upstream-compatibility.md): a trait a matched
// transformer lists counts as handled; any other trait is reported as unhandled.
import { TraitFqn } from "./spec.ts";

/**
 * Scaling, RestartPolicy, UpdateStrategy, HealthCheck, Sizing, sidecars, init, security, identity,
 * GracefulShutdown, Placement.
 */
export const COMMON_POD_TRAITS: readonly string[] = [
  TraitFqn.scaling,
  TraitFqn.restartPolicy,
  TraitFqn.updateStrategy,
  TraitFqn.healthCheck,
  TraitFqn.sizing,
  TraitFqn.sidecarContainers,
  TraitFqn.initContainers,
  TraitFqn.securityContext,
  TraitFqn.workloadIdentity,
  TraitFqn.gracefulShutdown,
  TraitFqn.placement,
];

export const DAEMON_POD_TRAITS: readonly string[] = COMMON_POD_TRAITS.filter(
  (fqn) => fqn !== TraitFqn.scaling,
);

export const TASK_POD_TRAITS: readonly string[] = [
  TraitFqn.restartPolicy,
  TraitFqn.sizing,
  TraitFqn.sidecarContainers,
  TraitFqn.initContainers,
  TraitFqn.securityContext,
  TraitFqn.workloadIdentity,
  TraitFqn.gracefulShutdown,
  TraitFqn.placement,
];
