// DaemonSet for daemon workloads (docs/upstream-compatibility.md); no Scaling.
import { defineKubernetesTransformer, compact, objectMetadata } from "../define.ts";
import { podTemplate } from "../pod.ts";
import { ResourceFqn, WORKLOAD_TYPE_LABEL, type UpdateStrategySpec } from "../spec.ts";
import { DAEMON_POD_TRAITS } from "../traits.ts";

/** DaemonSet `spec.updateStrategy`: OnDelete, or RollingUpdate with unavailable/surge. */
export function daemonSetUpdateStrategy(
  trait: UpdateStrategySpec | undefined,
): Record<string, unknown> | undefined {
  if (trait === undefined) return undefined;
  if (trait.type === "OnDelete") return { type: "OnDelete" };
  // A DaemonSet cannot Recreate; RollingUpdate is the closest valid strategy.
  const rollingUpdate = compact({
    maxUnavailable: trait.rollingUpdate?.maxUnavailable ?? 1,
    maxSurge: trait.rollingUpdate?.maxSurge,
  });
  return { type: "RollingUpdate", rollingUpdate };
}

/** A DaemonSet for a `daemon` component with a Container (one pod per node; no Scaling). */
export const daemonSetTransformer = defineKubernetesTransformer({
  name: "daemonset-transformer",
  description: "Converts daemon workload components to Kubernetes DaemonSets",
  labels: { "core.opmodel.dev/resource-type": "daemonset", [WORKLOAD_TYPE_LABEL]: "daemon" },
  requiredLabels: { [WORKLOAD_TYPE_LABEL]: "daemon" },
  requiredResources: [ResourceFqn.container],
  optionalResources: [ResourceFqn.volumes],
  optionalTraits: DAEMON_POD_TRAITS,
  transform: (spec, component, context) => ({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: objectMetadata(context, context.objectName(component.metadata.name), true),
    spec: compact({
      selector: { matchLabels: { ...context.componentLabels } },
      updateStrategy: daemonSetUpdateStrategy(spec.updateStrategy),
      template: podTemplate(spec, context, "Always"),
    }),
  }),
});
