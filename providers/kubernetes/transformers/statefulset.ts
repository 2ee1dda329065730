// StatefulSet for stateful workloads (docs/upstream-compatibility.md). No volumeClaimTemplates: claims
// come from the PVC transformer, so data survives the StatefulSet.
import { defineKubernetesTransformer, compact, objectMetadata } from "../define.ts";
import { podTemplate, replicas } from "../pod.ts";
import { ResourceFqn, WORKLOAD_TYPE_LABEL, type UpdateStrategySpec } from "../spec.ts";
import { COMMON_POD_TRAITS } from "../traits.ts";

/** StatefulSet `spec.updateStrategy`: OnDelete, or RollingUpdate with the fields it accepts. */
export function statefulSetUpdateStrategy(
  trait: UpdateStrategySpec | undefined,
): Record<string, unknown> | undefined {
  if (trait === undefined) return undefined;
  const type = trait.type === "OnDelete" ? "OnDelete" : "RollingUpdate";
  if (type === "OnDelete") return { type };
  // A StatefulSet has no surge; `Recreate` does not exist for it and falls back to RollingUpdate.
  const rollingUpdate = compact({
    partition: trait.rollingUpdate?.partition,
    maxUnavailable: trait.rollingUpdate?.maxUnavailable,
  });
  return compact({ type, rollingUpdate: Object.keys(rollingUpdate).length > 0 ? rollingUpdate : undefined });
}

/**
 * A StatefulSet for a `stateful` component with a Container; its claims come from the PVC
 * transformer, so data outlives the StatefulSet.
 */
export const statefulSetTransformer = defineKubernetesTransformer({
  name: "statefulset-transformer",
  description: "Converts stateful workload components to Kubernetes StatefulSets",
  labels: { "core.opmodel.dev/resource-type": "statefulset", [WORKLOAD_TYPE_LABEL]: "stateful" },
  requiredLabels: { [WORKLOAD_TYPE_LABEL]: "stateful" },
  requiredResources: [ResourceFqn.container],
  optionalResources: [ResourceFqn.volumes],
  optionalTraits: COMMON_POD_TRAITS,
  transform: (spec, component, context) => {
    const name = context.objectName(component.metadata.name);
    return {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: objectMetadata(context, name, true),
      spec: compact({
        replicas: replicas(spec),
        serviceName: name,
        selector: { matchLabels: { ...context.componentLabels } },
        updateStrategy: statefulSetUpdateStrategy(spec.updateStrategy),
        template: podTemplate(spec, context, "Always"),
      }),
    };
  },
});
