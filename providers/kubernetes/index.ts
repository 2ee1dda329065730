// Public entry of `@opm/sdk/providers/kubernetes`: the provider, its transformers and the
// component spec shapes they read. Named exports only.
export { kubernetesProvider, kubernetesTransformers } from "./provider.ts";
export { deploymentTransformer } from "./transformers/deployment.ts";
export { statefulSetTransformer } from "./transformers/statefulset.ts";
export { daemonSetTransformer } from "./transformers/daemonset.ts";
export { jobTransformer } from "./transformers/job.ts";
export { cronJobTransformer } from "./transformers/cronjob.ts";
export { serviceTransformer } from "./transformers/service.ts";
export { pvcTransformer } from "./transformers/pvc.ts";
export { configMapTransformer } from "./transformers/configmap.ts";
export { secretTransformer } from "./transformers/secret.ts";
export { serviceAccountTransformer } from "./transformers/serviceaccount.ts";
export { hpaTransformer } from "./transformers/hpa.ts";
export { ingressTransformer } from "./transformers/ingress.ts";
export { pdbTransformer } from "./transformers/pdb.ts";
export { httpRouteTransformer } from "./transformers/httproute.ts";
export { grpcRouteTransformer } from "./transformers/grpcroute.ts";
export { tcpRouteTransformer } from "./transformers/tcproute.ts";
export { TRANSFORMERS_API_VERSION } from "./define.ts";
export { kubernetesPolicyRules, PolicyRuleFqn } from "./policies/index.ts";
export {
  CrdShapeError,
  crdToTypeScript,
  crdVersionToCue,
  readCrd,
  type Crd,
  type CrdVersion,
  type JsonSchema,
} from "./crd/index.ts";
export {
  ResourceFqn,
  TraitFqn,
  WORKLOAD_TYPE_LABEL,
  type ConfigMapSpec,
  type ContainerSpec,
  type CronJobConfigSpec,
  type DisruptionBudgetSpec,
  type GracefulShutdownSpec,
  type GrpcRouteSpec,
  type EnvVarSpec,
  type ExposeSpec,
  type HealthCheckSpec,
  type HttpRouteSpec,
  type JobConfigSpec,
  type KubernetesComponentSpec,
  type MetricTarget,
  type PersistentClaimSpec,
  type PlacementSpec,
  type PortSpec,
  type ProbeSpec,
  type Protocol,
  type ResourceQuantities,
  type RestartPolicySpec,
  type RouteAttachment,
  type ScalingSpec,
  type SecretSpec,
  type SecurityContextSpec,
  type SizingSpec,
  type TcpRouteSpec,
  type UpdateStrategySpec,
  type VolumeMountSpec,
  type VolumeSpec,
  type WorkloadIdentitySpec,
  type WorkloadType,
} from "./spec.ts";
