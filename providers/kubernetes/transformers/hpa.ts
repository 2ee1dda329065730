// HorizontalPodAutoscaler (autoscaling/v2) when `scaling.auto` is set (docs/upstream-compatibility.md).
// Targets are real v2 MetricTargets (`type: Utilization|AverageValue`), unlike upstream's
// pass-through of the OPM shape.
import { compact, defineKubernetesTransformer, objectMetadata, requireSpec } from "../define.ts";
import { TraitFqn, WORKLOAD_TYPE_LABEL, type MetricTarget, type ScalingSpec } from "../spec.ts";

const SCALABLE_KINDS: Readonly<Record<string, string>> = { stateless: "Deployment", stateful: "StatefulSet" };

function metricTarget(target: MetricTarget, what: string): Record<string, unknown> {
  if (target.averageUtilization !== undefined)
    return { type: "Utilization", averageUtilization: target.averageUtilization };
  if (target.averageValue !== undefined)
    return { type: "AverageValue", averageValue: String(target.averageValue) };
  throw new Error(`${what}: target needs averageUtilization or averageValue`);
}

type Metric = NonNullable<ScalingSpec["auto"]>["metrics"][number];

function metric(source: Metric, index: number): Record<string, unknown> {
  const what = `scaling.auto.metrics[${index}]`;
  if (source.type === "custom") {
    if (source.metricName === undefined) throw new Error(`${what}: a custom metric needs metricName`);
    if (source.target.averageValue === undefined)
      throw new Error(`${what}: a custom (Pods) metric target must be an averageValue`);
    return {
      type: "Pods",
      pods: { metric: { name: source.metricName }, target: metricTarget(source.target, what) },
    };
  }
  return { type: "Resource", resource: { name: source.type, target: metricTarget(source.target, what) } };
}

/** A HorizontalPodAutoscaler (autoscaling/v2) for a component whose Scaling trait sets `auto`. */
export const hpaTransformer = defineKubernetesTransformer({
  name: "hpa-transformer",
  description: "Creates a HorizontalPodAutoscaler for components with automatic scaling",
  labels: { "core.opmodel.dev/resource-type": "hpa" },
  requiredTraits: [TraitFqn.scaling],
  transform: (spec, component, context) => {
    const auto = requireSpec(spec.scaling, "scaling").auto;
    if (auto === undefined) return undefined;
    const workloadType = String(component.metadata.labels[WORKLOAD_TYPE_LABEL] ?? "");
    const kind = SCALABLE_KINDS[workloadType];
    if (kind === undefined)
      throw new Error(`automatic scaling needs a stateless or stateful workload, not "${workloadType}"`);
    const name = context.objectName(component.metadata.name);
    const behavior =
      auto.behavior === undefined
        ? undefined
        : compact({
            scaleUp: auto.behavior.scaleUp === undefined ? undefined : { ...auto.behavior.scaleUp },
            scaleDown: auto.behavior.scaleDown === undefined ? undefined : { ...auto.behavior.scaleDown },
          });
    return {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: objectMetadata(context, name, false),
      spec: compact({
        scaleTargetRef: { apiVersion: "apps/v1", kind, name },
        minReplicas: auto.min,
        maxReplicas: auto.max,
        metrics: auto.metrics.map(metric),
        behavior,
      }),
    };
  },
});
