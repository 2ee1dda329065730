// The Kubernetes provider: a transformer for every resource and trait of the v0 catalog (but
// the retired Encryption trait), keyed by FQN.
import { brand, type Provider, type Transformer } from "../../sdk/index.ts";
import { kubernetesPolicyRules } from "./policies/index.ts";
import { configMapTransformer } from "./transformers/configmap.ts";
import { cronJobTransformer } from "./transformers/cronjob.ts";
import { daemonSetTransformer } from "./transformers/daemonset.ts";
import { deploymentTransformer } from "./transformers/deployment.ts";
import { hpaTransformer } from "./transformers/hpa.ts";
import { ingressTransformer } from "./transformers/ingress.ts";
import { grpcRouteTransformer } from "./transformers/grpcroute.ts";
import { httpRouteTransformer } from "./transformers/httproute.ts";
import { jobTransformer } from "./transformers/job.ts";
import { pdbTransformer } from "./transformers/pdb.ts";
import { pvcTransformer } from "./transformers/pvc.ts";
import { secretTransformer } from "./transformers/secret.ts";
import { serviceTransformer } from "./transformers/service.ts";
import { serviceAccountTransformer } from "./transformers/serviceaccount.ts";
import { statefulSetTransformer } from "./transformers/statefulset.ts";
import { tcpRouteTransformer } from "./transformers/tcproute.ts";
import { rawObjectsTransformer } from "./transformers/raw-objects.ts";
import { patchesTransformer } from "./transformers/patches.ts";

/**
 * Every transformer of the Kubernetes provider, in the order it lists them; spread them into
 * `defineProvider` to extend the provider with transformers of your own.
 */
export const kubernetesTransformers: readonly Transformer[] = [
  deploymentTransformer,
  statefulSetTransformer,
  daemonSetTransformer,
  jobTransformer,
  cronJobTransformer,
  serviceTransformer,
  pvcTransformer,
  configMapTransformer,
  secretTransformer,
  serviceAccountTransformer,
  hpaTransformer,
  ingressTransformer,
  pdbTransformer,
  httpRouteTransformer,
  grpcRouteTransformer,
  tcpRouteTransformer,
  rawObjectsTransformer,
  patchesTransformer,
];

/**
 * The built-in Kubernetes provider: the transformers that turn components into Deployments,
 * StatefulSets, DaemonSets, Jobs, CronJobs, Services, claims, config maps, secrets, service
 * accounts, autoscalers and ingresses. Pass it to `render`, or as the base of a platform's own
 * provider.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kubernetesProvider } from "@opm/sdk/providers/kubernetes";
 *
 * assert.equal(kubernetesProvider.metadata.name, "kubernetes");
 * assert.ok(Object.keys(kubernetesProvider.transformers).length >= 12);
 * ```
 */
export const kubernetesProvider: Provider = brand("Provider", {
  kind: "Provider",
  metadata: {
    name: "kubernetes",
    description: "Transforms OPM components into Kubernetes objects",
    version: "1.0.0",
    minVersion: "1.0.0",
    labels: {
      "core.opmodel.dev/format": "kubernetes",
      "core.opmodel.dev/platform": "container-orchestrator",
    },
  },
  transformers: Object.fromEntries(kubernetesTransformers.map((t) => [t.metadata.fqn, t])),
  policyRules: kubernetesPolicyRules,
});
