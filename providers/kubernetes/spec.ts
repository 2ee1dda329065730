// The component spec shapes the Kubernetes transformers read, after the v0 catalog.
// Providers may not import catalog/ or dsl/ (layering), so these are structural
// types; the catalog's generated types must be assignable to them, and golden tests tie the two.
// Fields the catalog gives a default for are optional here: transformers apply the same
// defaults themselves, so a component built without catalog defaults renders the same.

import { LabelKeys } from "../../sdk/identity/labels.ts";
import type { SecretValue } from "../../sdk/values/secrets.ts";

export const ResourceFqn = {
  container: "opmodel.dev/resources/workload@v0#Container",
  volumes: "opmodel.dev/resources/storage@v0#Volumes",
  configMaps: "opmodel.dev/resources/config@v0#ConfigMaps",
  secrets: "opmodel.dev/resources/config@v0#Secrets",
  rawObjects: "opmodel.dev/resources/extension@v0#RawObjects",
} as const;

const workload = "opmodel.dev/traits/workload@v0#";
const network = "opmodel.dev/traits/network@v0#";
const security = "opmodel.dev/traits/security@v0#";

export const TraitFqn = {
  scaling: `${workload}Scaling`,
  restartPolicy: `${workload}RestartPolicy`,
  updateStrategy: `${workload}UpdateStrategy`,
  healthCheck: `${workload}HealthCheck`,
  sidecarContainers: `${workload}SidecarContainers`,
  initContainers: `${workload}InitContainers`,
  jobConfig: `${workload}JobConfig`,
  cronJobConfig: `${workload}CronJobConfig`,
  sizing: `${workload}Sizing`,
  disruptionBudget: `${workload}DisruptionBudget`,
  gracefulShutdown: `${workload}GracefulShutdown`,
  placement: `${workload}Placement`,
  expose: `${network}Expose`,
  httpRoute: `${network}HttpRoute`,
  grpcRoute: `${network}GrpcRoute`,
  tcpRoute: `${network}TcpRoute`,
  securityContext: `${security}SecurityContext`,
  workloadIdentity: `${security}WorkloadIdentity`,
  encryption: `${security}Encryption`,
  patches: "opmodel.dev/traits/extension@v0#Patches",
} as const;

export const WORKLOAD_TYPE_LABEL = LabelKeys.workloadType;
export type WorkloadType = "stateless" | "stateful" | "daemon" | "task" | "scheduled-task";

export type Protocol = "TCP" | "UDP" | "SCTP";

export interface PortSpec {
  /** Defaults to the map key. */
  readonly name?: string;
  readonly targetPort: number;
  readonly protocol?: Protocol;
  readonly hostIP?: string;
  readonly hostPort?: number;
  readonly exposedPort?: number;
}

/** A key of a named ConfigMap or Secret. */
export interface KeySelectorSpec {
  readonly name: string;
  readonly key: string;
  readonly optional?: boolean;
}

/** An environment variable; exactly one source is set (the catalog schema checks it). */
export interface EnvVarSpec {
  readonly name?: string;
  readonly value?: string;
  /** A secret of the module's config: always a secretKeyRef, never a literal value. */
  readonly from?: SecretValue;
  /** A key of a ConfigMap (the component's own immutable ones are renamed to their hashed names). */
  readonly configMapKeyRef?: KeySelectorSpec;
  /** A key of an existing Secret. */
  readonly secretKeyRef?: KeySelectorSpec;
  /** A field of the pod, e.g. `metadata.name` or `status.podIP`. */
  readonly fieldRef?: { readonly fieldPath: string; readonly apiVersion?: string };
  /** A resource request or limit of a container, e.g. `limits.memory`. */
  readonly resourceFieldRef?: {
    readonly resource: string;
    readonly containerName?: string;
    readonly divisor?: string;
  };
}

export interface EnvFromSpec {
  readonly configMapRef?: { readonly name: string; readonly optional?: boolean };
  readonly secretRef?: { readonly name: string; readonly optional?: boolean };
  readonly prefix?: string;
}

export interface KeyToPathSpec {
  readonly key: string;
  readonly path: string;
  readonly mode?: number;
}

/** Which keys of a ConfigMap or Secret a volume mounts, and with which modes. */
export interface ProjectionSpec {
  readonly items?: readonly KeyToPathSpec[];
  readonly defaultMode?: number;
  readonly optional?: boolean;
}

export interface ResourceQuantities {
  readonly cpu?: string | number;
  readonly memory?: string;
}

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
  /** Keyed by port name. */
  readonly ports?: Readonly<Record<string, PortSpec>>;
  /** Keyed by variable name. */
  readonly env?: Readonly<Record<string, EnvVarSpec>>;
  /** Every key of a ConfigMap or Secret as environment variables. */
  readonly envFrom?: readonly EnvFromSpec[];
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly resources?: ContainerResourcesSpec;
  /** Keyed by mount name; a mount names the volume it mounts. */
  readonly volumeMounts?: Readonly<Record<string, VolumeMountSpec>>;
  /** A sidecar's or init container's own probes (the main container's come from HealthCheck). */
  readonly livenessProbe?: ProbeSpec;
  /** A sidecar's or init container's own readiness probe. */
  readonly readinessProbe?: ProbeSpec;
  /** A sidecar's or init container's own startup probe. */
  readonly startupProbe?: ProbeSpec;
}

/** A request and a limit of one resource (the later upstream v0 spelling). */
export interface RequestAndLimit {
  readonly request?: string | number;
  readonly limit?: string | number;
}

export interface ContainerResourcesSpec {
  readonly limits?: ResourceQuantities;
  readonly requests?: ResourceQuantities;
  /** Numbers count cores. Wins over `requests`/`limits` where both give a value. */
  readonly cpu?: RequestAndLimit;
  /** Numbers count GiB. Wins over `requests`/`limits` where both give a value. */
  readonly memory?: RequestAndLimit;
}

export interface PersistentClaimSpec {
  readonly size: string;
  readonly accessMode?: "ReadWriteOnce" | "ReadOnlyMany" | "ReadWriteMany";
  readonly storageClass?: string;
}

export interface ConfigMapSpec {
  readonly data?: Readonly<Record<string, string>>;
  readonly immutable?: boolean;
}

export interface SecretSpec {
  readonly type?: string;
  /** Base64-encoded values, or secrets of the module's config dispatched by variant. */
  readonly data?: Readonly<Record<string, string | SecretValue>>;
  readonly immutable?: boolean;
}

/**
 * One volume. A `configMap`/`secret` volume mounts the ConfigMap/Secret whose name is the
 * volume's name (declare it under `spec.configMaps`/`spec.secrets`); its inline data is not
 * emitted by the workload, which keeps the pod spec valid Kubernetes.
 */
export interface VolumeSpec {
  /** Defaults to the map key. */
  readonly name?: string;
  readonly emptyDir?: { readonly medium?: "node" | "memory"; readonly sizeLimit?: string };
  readonly persistentClaim?: PersistentClaimSpec;
  readonly configMap?: ConfigMapSpec & ProjectionSpec;
  /** With `from`, mounts the Secret holding that secret of the module's config. */
  readonly secret?: SecretSpec & ProjectionSpec & { readonly from?: SecretValue };
}

export interface VolumeMountSpec extends VolumeSpec {
  readonly mountPath: string;
  readonly subPath?: string;
  readonly readOnly?: boolean;
}

export interface MetricTarget {
  readonly averageUtilization?: number;
  readonly averageValue?: string | number;
}

export interface ScalingSpec {
  readonly count?: number;
  readonly auto?: {
    readonly min: number;
    readonly max: number;
    readonly metrics: readonly {
      readonly type: "cpu" | "memory" | "custom";
      readonly target: MetricTarget;
      readonly metricName?: string;
    }[];
    readonly behavior?: {
      readonly scaleUp?: { readonly stabilizationWindowSeconds?: number };
      readonly scaleDown?: { readonly stabilizationWindowSeconds?: number };
    };
  };
}

export type RestartPolicySpec = "Always" | "OnFailure" | "Never";

export interface UpdateStrategySpec {
  readonly type?: "RollingUpdate" | "Recreate" | "OnDelete";
  readonly rollingUpdate?: {
    readonly maxUnavailable?: number | string;
    readonly maxSurge?: number | string;
    readonly partition?: number;
  };
}

export interface ProbeSpec {
  readonly httpGet?: { readonly path: string; readonly port: number | string };
  readonly exec?: { readonly command: readonly string[] };
  readonly tcpSocket?: { readonly port: number | string };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly successThreshold?: number;
  readonly failureThreshold?: number;
}

export interface HealthCheckSpec {
  readonly livenessProbe?: ProbeSpec;
  readonly readinessProbe?: ProbeSpec;
  readonly startupProbe?: ProbeSpec;
}

export interface JobConfigSpec {
  readonly completions?: number;
  readonly parallelism?: number;
  readonly backoffLimit?: number;
  readonly activeDeadlineSeconds?: number;
  readonly ttlSecondsAfterFinished?: number;
}

export interface CronJobConfigSpec {
  readonly scheduleCron: string;
  readonly concurrencyPolicy?: "Allow" | "Forbid" | "Replace";
  readonly startingDeadlineSeconds?: number;
  readonly successfulJobsHistoryLimit?: number;
  readonly failedJobsHistoryLimit?: number;
  readonly suspend?: boolean;
}

export interface SizingSpec {
  readonly cpu?: { readonly request: string; readonly limit: string };
  readonly memory?: { readonly request: string; readonly limit: string };
  readonly auto?: {
    readonly updateMode?: "Auto" | "Initial" | "Off";
    readonly controlledResources?: readonly string[];
  };
}

export interface ExposeSpec {
  readonly ports?: Readonly<Record<string, PortSpec>>;
  readonly type?: "ClusterIP" | "NodePort" | "LoadBalancer";
}

export interface RouteAttachment {
  readonly gatewayRef?: { readonly name: string; readonly namespace?: string };
  readonly tls?: {
    readonly mode?: "Terminate" | "Passthrough";
    readonly certificateRef?: { readonly name: string; readonly namespace?: string };
  };
  readonly ingressClassName?: string;
}

export interface HttpRouteSpec extends RouteAttachment {
  readonly hostnames?: readonly string[];
  readonly rules: readonly {
    readonly backendPort: number;
    readonly matches?: readonly {
      readonly path?: { readonly type?: "Prefix" | "Exact" | "RegularExpression"; readonly value: string };
      readonly headers?: readonly { readonly name: string; readonly value: string }[];
      readonly method?: string;
    }[];
  }[];
}

/** The GrpcRoute trait: gRPC traffic from a Gateway, rendered as a Gateway API GRPCRoute. */
export interface GrpcRouteSpec extends RouteAttachment {
  /** Host names the route answers for. */
  readonly hostnames?: readonly string[];
  /** The catalog's default is one rule to port 9090; none gives a route without rules. */
  readonly rules?: readonly {
    readonly backendPort: number;
    /** Any one matches; each matches a gRPC service and/or method and headers. */
    readonly matches?: readonly {
      readonly service?: string;
      readonly method?: string;
      readonly headers?: readonly { readonly name: string; readonly value: string }[];
    }[];
  }[];
}

/** The TcpRoute trait: TCP traffic from a Gateway, rendered as a Gateway API TCPRoute. */
export interface TcpRouteSpec extends RouteAttachment {
  /** One backend port of the component's Service per rule. */
  readonly rules: readonly { readonly backendPort: number }[];
}

/** Exactly one of the two: a count or a percentage (`"50%"`). */
export type DisruptionBudgetSpec =
  { readonly minAvailable: number | string } | { readonly maxUnavailable: number | string };

/** The GracefulShutdown trait: how long and how the main container is given to stop. */
export interface GracefulShutdownSpec {
  /** The pod's grace period. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** Run in the main container before it is stopped (a preStop exec hook). */
  readonly preStopCommand?: readonly string[];
}

/** The Placement trait: where the component's pods run. */
export interface PlacementSpec {
  /** Spread the pods over these topology domains (one topology spread constraint). @default "zones" */
  readonly spreadAcross?: "zones" | "regions" | "hosts";
  /** Node labels every node must carry: a node selector. */
  readonly requirements?: Readonly<Record<string, string>>;
  /**
   * Platform-specific placement; the Kubernetes provider reads `nodeSelector`, `affinity`,
   * `tolerations` and `topologySpreadConstraints` in Kubernetes' own shapes (they win over
   * what `requirements` and `spreadAcross` derive).
   */
  readonly platformOverrides?: Readonly<Record<string, unknown>>;
}

export interface SecurityContextSpec {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly readOnlyRootFilesystem?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
}

export interface WorkloadIdentitySpec {
  readonly name: string;
  readonly automountToken?: boolean;
}

/** `component.spec` as the Kubernetes transformers see it; every key is optional. */
export interface KubernetesComponentSpec {
  readonly container?: ContainerSpec;
  readonly volumes?: Readonly<Record<string, VolumeSpec>>;
  readonly configMaps?: Readonly<Record<string, ConfigMapSpec>>;
  readonly secrets?: Readonly<Record<string, SecretSpec>>;
  readonly scaling?: ScalingSpec;
  readonly restartPolicy?: RestartPolicySpec;
  readonly updateStrategy?: UpdateStrategySpec;
  readonly healthCheck?: HealthCheckSpec;
  readonly sidecarContainers?: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly jobConfig?: JobConfigSpec;
  readonly cronJobConfig?: CronJobConfigSpec;
  readonly sizing?: SizingSpec;
  readonly expose?: ExposeSpec;
  readonly httpRoute?: HttpRouteSpec;
  /** A Gateway API GRPCRoute. */
  readonly grpcRoute?: GrpcRouteSpec;
  /** A Gateway API TCPRoute. */
  readonly tcpRoute?: TcpRouteSpec;
  /** A PodDisruptionBudget. */
  readonly disruptionBudget?: DisruptionBudgetSpec;
  /** The grace period and preStop hook of the pod. */
  readonly gracefulShutdown?: GracefulShutdownSpec;
  /** Node selector, affinity, tolerations and topology spread of the pod. */
  readonly placement?: PlacementSpec;
  readonly securityContext?: SecurityContextSpec;
  readonly workloadIdentity?: WorkloadIdentitySpec;
  /** Kubernetes objects as written, keyed by name. */
  readonly rawObjects?: Readonly<Record<string, RawObjectSpec>>;
  /** Patches over rendered objects, in order. */
  readonly patches?: readonly PatchSpec[];
}

/** A Kubernetes object of any kind, as the author wrote it. */
export interface RawObjectSpec {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly [field: string]: unknown;
  };
  readonly [field: string]: unknown;
}

/** A patch over one rendered object, found by kind and (base) name. */
export interface PatchSpec {
  readonly target: { readonly kind: string; readonly name: string; readonly apiVersion?: string };
  readonly type?: "strategic" | "merge" | "json";
  readonly patch: unknown;
}
