// Job for task workloads (docs/upstream-compatibility.md): JobConfig fields always emitted with their
// defaults; pods restart OnFailure unless the RestartPolicy trait says otherwise.
import { defineKubernetesTransformer, objectMetadata } from "../define.ts";
import { podTemplate } from "../pod.ts";
import { ResourceFqn, TraitFqn, WORKLOAD_TYPE_LABEL, type JobConfigSpec } from "../spec.ts";
import { TASK_POD_TRAITS } from "../traits.ts";

export function jobSettings(config: JobConfigSpec | undefined): Record<string, number> {
  return {
    completions: config?.completions ?? 1,
    parallelism: config?.parallelism ?? 1,
    backoffLimit: config?.backoffLimit ?? 6,
    activeDeadlineSeconds: config?.activeDeadlineSeconds ?? 300,
    ttlSecondsAfterFinished: config?.ttlSecondsAfterFinished ?? 100,
  };
}

/** A Job for a `task` component with a Container and the JobConfig trait. */
export const jobTransformer = defineKubernetesTransformer({
  name: "job-transformer",
  description: "Converts task workload components to Kubernetes Jobs",
  labels: { "core.opmodel.dev/resource-type": "job", [WORKLOAD_TYPE_LABEL]: "task" },
  requiredLabels: { [WORKLOAD_TYPE_LABEL]: "task" },
  requiredResources: [ResourceFqn.container],
  requiredTraits: [TraitFqn.jobConfig],
  optionalResources: [ResourceFqn.volumes],
  optionalTraits: TASK_POD_TRAITS,
  transform: (spec, component, context) => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: objectMetadata(context, context.objectName(component.metadata.name), true),
    spec: { ...jobSettings(spec.jobConfig), template: podTemplate(spec, context, "OnFailure") },
  }),
});
