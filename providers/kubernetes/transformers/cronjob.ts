// CronJob for scheduled tasks (docs/upstream-compatibility.md). Unlike upstream it keeps
// `startingDeadlineSeconds` and mounts every volume, not only claims.
import { compact, defineKubernetesTransformer, objectMetadata, requireSpec } from "../define.ts";
import { podTemplate } from "../pod.ts";
import { ResourceFqn, TraitFqn, WORKLOAD_TYPE_LABEL } from "../spec.ts";
import { TASK_POD_TRAITS } from "../traits.ts";

/** A CronJob for a `scheduled-task` component with a Container and the CronJobConfig trait. */
export const cronJobTransformer = defineKubernetesTransformer({
  name: "cronjob-transformer",
  description: "Converts scheduled task components to Kubernetes CronJobs",
  labels: { "core.opmodel.dev/resource-type": "cronjob", [WORKLOAD_TYPE_LABEL]: "scheduled-task" },
  requiredLabels: { [WORKLOAD_TYPE_LABEL]: "scheduled-task" },
  requiredResources: [ResourceFqn.container],
  requiredTraits: [TraitFqn.cronJobConfig],
  optionalResources: [ResourceFqn.volumes],
  optionalTraits: TASK_POD_TRAITS,
  transform: (spec, component, context) => {
    const config = requireSpec(spec.cronJobConfig, "cronJobConfig");
    return {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: objectMetadata(context, context.objectName(component.metadata.name), true),
      spec: compact({
        schedule: config.scheduleCron,
        concurrencyPolicy: config.concurrencyPolicy ?? "Allow",
        startingDeadlineSeconds: config.startingDeadlineSeconds,
        successfulJobsHistoryLimit: config.successfulJobsHistoryLimit ?? 3,
        failedJobsHistoryLimit: config.failedJobsHistoryLimit ?? 1,
        suspend: config.suspend,
        jobTemplate: {
          metadata: { labels: { ...context.componentLabels } },
          spec: { template: podTemplate(spec, context, "OnFailure") },
        },
      }),
    };
  },
});
