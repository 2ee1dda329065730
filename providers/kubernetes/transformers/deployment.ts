// Deployment for stateless workloads (docs/upstream-compatibility.md).
import { defineKubernetesTransformer, compact, objectMetadata } from "../define.ts";
import { podTemplate, replicas } from "../pod.ts";
import { ResourceFqn, WORKLOAD_TYPE_LABEL, type UpdateStrategySpec } from "../spec.ts";
import { COMMON_POD_TRAITS } from "../traits.ts";

/** Deployment `spec.strategy`: Recreate, or RollingUpdate with surge/unavailable (default 1/1). */
export function deploymentStrategy(
  trait: UpdateStrategySpec | undefined,
): Record<string, unknown> | undefined {
  if (trait === undefined) return undefined;
  const type = trait.type ?? "RollingUpdate";
  if (type !== "RollingUpdate") return { type };
  return {
    type,
    rollingUpdate: {
      maxUnavailable: trait.rollingUpdate?.maxUnavailable ?? 1,
      maxSurge: trait.rollingUpdate?.maxSurge ?? 1,
    },
  };
}

/** A Deployment for a `stateless` component with a Container. */
export const deploymentTransformer = defineKubernetesTransformer({
  name: "deployment-transformer",
  description: "Converts stateless workload components to Kubernetes Deployments",
  labels: { "core.opmodel.dev/resource-type": "deployment", [WORKLOAD_TYPE_LABEL]: "stateless" },
  requiredLabels: { [WORKLOAD_TYPE_LABEL]: "stateless" },
  requiredResources: [ResourceFqn.container],
  optionalResources: [ResourceFqn.volumes],
  optionalTraits: COMMON_POD_TRAITS,
  transform: (spec, component, context) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: objectMetadata(context, context.objectName(component.metadata.name), true),
    spec: compact({
      replicas: replicas(spec),
      selector: { matchLabels: { ...context.componentLabels } },
      strategy: deploymentStrategy(spec.updateStrategy),
      template: podTemplate(spec, context, "Always"),
    }),
  }),
});
