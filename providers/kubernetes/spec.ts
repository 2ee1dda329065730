// The component spec shapes the Kubernetes transformers read, after the v0 catalog.
// Providers may not import catalog/ or dsl/ (layering), so these are structural
// types; the catalog's generated types must be assignable to them, and golden tests tie the two.
// Fields the catalog gives a default for are optional here: transformers apply the same
// defaults themselves, so a component built without catalog defaults renders the same.

import { LabelKeys } from "../../sdk/identity/labels.ts";
import type { SecretValue } from "../../sdk/values/secrets.ts";

/** The FQNs of the catalog resources the Kubernetes transformers render, by spec key. */
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

/** The FQNs of the catalog traits the Kubernetes transformers read, by spec key. */
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

/** The label that picks a `Container` component's workload kind (`core.opmodel.dev/workload-type`). */
export const WORKLOAD_TYPE_LABEL = LabelKeys.workloadType;
/**
 * The workload kinds a `Container` component may ask for: Deployment (`stateless`), StatefulSet
 * (`stateful`), DaemonSet (`daemon`), Job (`task`) or CronJob (`scheduled-task`).
 */
export type WorkloadType = "stateless" | "stateful" | "daemon" | "task" | "scheduled-task";

/** A port's protocol. @default "TCP" */
export type Protocol = "TCP" | "UDP" | "SCTP";

/** A port a container listens on, and how a Service exposes it. */
export interface PortSpec {
  /** Defaults to the map key. */
  readonly name?: string;
  /** The port the container listens on. */
  readonly targetPort: number;
  /** The port's protocol. @default "TCP" */
  readonly protocol?: Protocol;
  /** The node address a host port binds to. */
  readonly hostIP?: string;
  /** Also exposes the port on the node's address at this port. */
  readonly hostPort?: number;
  /**
   * The port a Service exposes (also its node port when the Service is a `NodePort`); defaults to
   * `targetPort`.
   */
  readonly exposedPort?: number;
}

/** A key of a named ConfigMap or Secret. */
export interface KeySelectorSpec {
  /** The ConfigMap's or Secret's name. */
  readonly name: string;
  /** The key inside it. */
  readonly key: string;
  /** Start the container even when the key or object is missing. */
  readonly optional?: boolean;
}

/** An environment variable; exactly one source is set (the catalog schema checks it). */
export interface EnvVarSpec {
  /** The variable's name; defaults to its key in the map of variables. */
  readonly name?: string;
  /**
   * A literal value. Never put a credential here (the NoLiteralSecrets policy blocks it): use
   * `from`.
   */
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

/** Every key of a ConfigMap or Secret as environment variables. */
export interface EnvFromSpec {
  /** The ConfigMap whose keys become variables. */
  readonly configMapRef?: { readonly name: string; readonly optional?: boolean };
  /** The Secret whose keys become variables. */
  readonly secretRef?: { readonly name: string; readonly optional?: boolean };
  /** Prepended to every variable name. */
  readonly prefix?: string;
}

/** One key of a ConfigMap or Secret mounted as a file. */
export interface KeyToPathSpec {
  /** The key. */
  readonly key: string;
  /** The file's path relative to the mount path. */
  readonly path: string;
  /** The file's mode bits (e.g. `0o400`). */
  readonly mode?: number;
}

/** Which keys of a ConfigMap or Secret a volume mounts, and with which modes. */
export interface ProjectionSpec {
  /** Only these keys, at these paths; every key when absent. */
  readonly items?: readonly KeyToPathSpec[];
  /** Mode bits of the mounted files unless an item says otherwise. */
  readonly defaultMode?: number;
  /** Mount even when the ConfigMap or Secret is missing. */
  readonly optional?: boolean;
}

/** CPU and memory amounts of a container, as Kubernetes writes them. */
export interface ResourceQuantities {
  /** Cores: a Kubernetes quantity (`500m`) or a number of cores. */
  readonly cpu?: string | number;
  /** A Kubernetes quantity, e.g. `256Mi`. */
  readonly memory?: string;
}

/** A container: the Container resource's spec, and each sidecar's and init container's. */
export interface ContainerSpec {
  /** The container's name, unique in its workload (a DNS label). */
  readonly name: string;
  /** The image reference, e.g. `nginx:1.27` or `registry.example.com/app@sha256:...`. */
  readonly image: string;
  /**
   * When the node pulls the image: every start, only when missing, or never. @default
   * "IfNotPresent"
   */
  readonly imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
  /** Keyed by port name. */
  readonly ports?: Readonly<Record<string, PortSpec>>;
  /** Keyed by variable name. */
  readonly env?: Readonly<Record<string, EnvVarSpec>>;
  /** Every key of a ConfigMap or Secret as environment variables. */
  readonly envFrom?: readonly EnvFromSpec[];
  /** Replaces the image's entrypoint. */
  readonly command?: readonly string[];
  /** Replaces the image's default arguments. */
  readonly args?: readonly string[];
  /** CPU and memory requests and limits. */
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
  /** What the container is guaranteed (scheduling reserves it). */
  readonly request?: string | number;
  /** The most the container may use; over its memory limit it is killed. */
  readonly limit?: string | number;
}

/** A container's requests and limits, in Kubernetes' spelling and in the per-resource one. */
export interface ContainerResourcesSpec {
  /** At most this much; a container over its memory limit is killed. */
  readonly limits?: ResourceQuantities;
  /** Reserved for the container when it is scheduled. */
  readonly requests?: ResourceQuantities;
  /** Numbers count cores. Wins over `requests`/`limits` where both give a value. */
  readonly cpu?: RequestAndLimit;
  /** Numbers count GiB. Wins over `requests`/`limits` where both give a value. */
  readonly memory?: RequestAndLimit;
}

/** A volume backed by a PersistentVolumeClaim the component owns. */
export interface PersistentClaimSpec {
  /** The requested capacity, a Kubernetes quantity such as `10Gi`. */
  readonly size: string;
  /** How many nodes may mount it, and whether read-write. @default "ReadWriteOnce" */
  readonly accessMode?: "ReadWriteOnce" | "ReadOnlyMany" | "ReadWriteMany";
  /** The storage class; unset means the cluster's default. */
  readonly storageClass?: string;
}

/** A ConfigMap the component owns. */
export interface ConfigMapSpec {
  /** The ConfigMap's keys and values. */
  readonly data?: Readonly<Record<string, string>>;
  /**
   * Named `<name>-<hash of data>` and marked immutable: a change of data makes a new object (and
   * rolls the workloads that use it) instead of editing the old one.
   */
  readonly immutable?: boolean;
}

/** A Secret the component owns, or one it takes from the module's config secrets. */
export interface SecretSpec {
  /** The Secret's type. @default "Opaque" */
  readonly type?: string;
  /** Base64-encoded values, or secrets of the module's config dispatched by variant. */
  readonly data?: Readonly<Record<string, string | SecretValue>>;
  /** As for ConfigMaps: named `<name>-<hash>` and marked immutable. */
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
  /**
   * Scratch space that lives as long as the pod: on the node's disk, or in memory (tmpfs), at most
   * `sizeLimit`.
   */
  readonly emptyDir?: { readonly medium?: "node" | "memory"; readonly sizeLimit?: string };
  /** Storage that outlives the pod: a PersistentVolumeClaim rendered for the component. */
  readonly persistentClaim?: PersistentClaimSpec;
  /** Mounts the ConfigMap named like the volume. */
  readonly configMap?: ConfigMapSpec & ProjectionSpec;
  /** With `from`, mounts the Secret holding that secret of the module's config. */
  readonly secret?: SecretSpec & ProjectionSpec & { readonly from?: SecretValue };
}

/** Where a container mounts one of the component's volumes. */
export interface VolumeMountSpec extends VolumeSpec {
  /** The directory in the container. */
  readonly mountPath: string;
  /** A path inside the volume to mount instead of its root. */
  readonly subPath?: string;
  /** Mount read-only. @default false */
  readonly readOnly?: boolean;
}

/** The value an autoscaler aims for. */
export interface MetricTarget {
  /** Percent of the requested amount (cpu, memory), 1-100. */
  readonly averageUtilization?: number;
  /** An absolute amount, a Kubernetes quantity. */
  readonly averageValue?: string | number;
}

/** The Scaling trait: a fixed replica count, or a HorizontalPodAutoscaler. */
export interface ScalingSpec {
  /** The number of replicas, when no autoscaler decides it. @default 1 */
  readonly count?: number;
  /**
   * Autoscaling (a HorizontalPodAutoscaler), between `min` and `max` replicas on the given metrics;
   * the autoscaler then owns the replica count.
   */
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

/**
 * The RestartPolicy trait: when a pod's containers are restarted. @default "Always" for
 * long-running workloads, "OnFailure" for tasks
 */
export type RestartPolicySpec = "Always" | "OnFailure" | "Never";

/** The UpdateStrategy trait: how a workload replaces its pods on a change. */
export interface UpdateStrategySpec {
  /**
   * Replace pods a few at a time, all at once (Recreate), or only when deleted (OnDelete, stateful
   * and daemon workloads).
   */
  readonly type?: "RollingUpdate" | "Recreate" | "OnDelete";
  /**
   * How many pods may be down or extra during a rolling update (counts or percentages), and for
   * stateful workloads the ordinal partition below which pods are not updated.
   */
  readonly rollingUpdate?: {
    readonly maxUnavailable?: number | string;
    readonly maxSurge?: number | string;
    readonly partition?: number;
  };
}

/** A health check of a container: one of `httpGet`, `exec` and `tcpSocket`, with its timing. */
export interface ProbeSpec {
  /** Healthy when a GET of this path on this port answers 200-399. */
  readonly httpGet?: { readonly path: string; readonly port: number | string };
  /** Healthy when this command, run in the container, exits 0. */
  readonly exec?: { readonly command: readonly string[] };
  /** Healthy when a TCP connection to this port opens. */
  readonly tcpSocket?: { readonly port: number | string };
  /** Seconds after the container starts before the first check. @default 0 */
  readonly initialDelaySeconds?: number;
  /** Seconds between checks. @default 10 */
  readonly periodSeconds?: number;
  /** Seconds a check may take. @default 1 */
  readonly timeoutSeconds?: number;
  /** Consecutive successes that count as healthy again. @default 1 */
  readonly successThreshold?: number;
  /** Consecutive failures that count as unhealthy. @default 3 */
  readonly failureThreshold?: number;
}

/** The HealthCheck trait: the main container's probes. */
export interface HealthCheckSpec {
  /** Restarts the container when it fails. */
  readonly livenessProbe?: ProbeSpec;
  /** Takes the pod out of its Services while it fails. */
  readonly readinessProbe?: ProbeSpec;
  /** Holds the other probes back until it first succeeds, for slow starters. */
  readonly startupProbe?: ProbeSpec;
}

/** The JobConfig trait: how a task (a Job) runs. */
export interface JobConfigSpec {
  /** Successful runs needed for the task to be done. */
  readonly completions?: number;
  /** Runs at the same time. */
  readonly parallelism?: number;
  /** Retries before the task is marked failed. */
  readonly backoffLimit?: number;
  /** Seconds the task may run in all before it is stopped. */
  readonly activeDeadlineSeconds?: number;
  /** Seconds a finished task is kept before Kubernetes deletes it. */
  readonly ttlSecondsAfterFinished?: number;
}

/** The CronJobConfig trait: when a scheduled task (a CronJob) runs. */
export interface CronJobConfigSpec {
  /** When it runs, in cron syntax (`0 3 * * *`: daily at 03:00). */
  readonly scheduleCron: string;
  /** Whether a run may start while the previous one still runs, be skipped, or replace it. */
  readonly concurrencyPolicy?: "Allow" | "Forbid" | "Replace";
  /** Seconds after its scheduled time a missed run may still start. */
  readonly startingDeadlineSeconds?: number;
  /** Finished runs kept. */
  readonly successfulJobsHistoryLimit?: number;
  /** Failed runs kept. */
  readonly failedJobsHistoryLimit?: number;
  /** Stop scheduling new runs. @default false */
  readonly suspend?: boolean;
}

/**
 * The Sizing trait: the main container's CPU and memory; it wins over the container's own resources
 * where both give a value.
 */
export interface SizingSpec {
  /** CPU request and limit, Kubernetes quantities. */
  readonly cpu?: { readonly request: string; readonly limit: string };
  /** Memory request and limit, Kubernetes quantities. */
  readonly memory?: { readonly request: string; readonly limit: string };
  /**
   * Vertical autoscaling settings (upstream's); the Kubernetes provider renders no
   * VerticalPodAutoscaler for them.
   */
  readonly auto?: {
    readonly updateMode?: "Auto" | "Initial" | "Off";
    readonly controlledResources?: readonly string[];
  };
}

/** The Expose trait: a Service for the component's pods. */
export interface ExposeSpec {
  /** The ports the Service exposes, keyed by port name; each forwards to its `targetPort`. */
  readonly ports?: Readonly<Record<string, PortSpec>>;
  /** The Service type. @default "ClusterIP" */
  readonly type?: "ClusterIP" | "NodePort" | "LoadBalancer";
}

/** Where a route attaches: a Gateway (Gateway API), or else an Ingress of `ingressClassName`. */
export interface RouteAttachment {
  /** The Gateway the route attaches to; without one, the HttpRoute trait renders an Ingress. */
  readonly gatewayRef?: { readonly name: string; readonly namespace?: string };
  /**
   * TLS for the route: terminate with the certificate in `certificateRef` (a Secret), or pass
   * through.
   */
  readonly tls?: {
    readonly mode?: "Terminate" | "Passthrough";
    readonly certificateRef?: { readonly name: string; readonly namespace?: string };
  };
  /** The Ingress class, when the route renders an Ingress. */
  readonly ingressClassName?: string;
}

/** The HttpRoute trait: HTTP traffic to the component, as a Gateway API HTTPRoute or an Ingress. */
export interface HttpRouteSpec extends RouteAttachment {
  /** Host names the route answers for. */
  readonly hostnames?: readonly string[];
  /**
   * Where requests go: each rule sends the requests it matches (path, headers, method) to one port
   * of the component's Service.
   */
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

/** The SecurityContext trait: how the pod's containers run. Defaults are the safe ones. */
export interface SecurityContextSpec {
  /** Refuse to start a container whose user is root. @default true */
  readonly runAsNonRoot?: boolean;
  /** The UID the containers run as. */
  readonly runAsUser?: number;
  /** The primary GID the containers run as. */
  readonly runAsGroup?: number;
  /** Mount the container's root file system read-only. @default false */
  readonly readOnlyRootFilesystem?: boolean;
  /** Let a process gain more privileges than its parent (setuid). @default false */
  readonly allowPrivilegeEscalation?: boolean;
  /** Linux capabilities to add, and to drop. @default drop `["ALL"]` */
  readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
}

/** The WorkloadIdentity trait: a ServiceAccount the component's pods run as. */
export interface WorkloadIdentitySpec {
  /** The ServiceAccount's base name (release-prefixed like any object name when naming asks). */
  readonly name: string;
  /** Mount the account's API token into the pods. @default false */
  readonly automountToken?: boolean;
}

/** `component.spec` as the Kubernetes transformers see it; every key is optional. */
export interface KubernetesComponentSpec {
  /** The main container (the Container resource). */
  readonly container?: ContainerSpec;
  /** Volumes by name (the Volumes resource); containers mount them by name. */
  readonly volumes?: Readonly<Record<string, VolumeSpec>>;
  /** ConfigMaps the component owns, by name (the ConfigMaps resource). */
  readonly configMaps?: Readonly<Record<string, ConfigMapSpec>>;
  /** Secrets the component owns, by name (the Secrets resource). */
  readonly secrets?: Readonly<Record<string, SecretSpec>>;
  /** Replicas or an autoscaler. */
  readonly scaling?: ScalingSpec;
  /** When containers are restarted. */
  readonly restartPolicy?: RestartPolicySpec;
  /** How pods are replaced on a change. */
  readonly updateStrategy?: UpdateStrategySpec;
  /** The main container's probes. */
  readonly healthCheck?: HealthCheckSpec;
  /** Containers that run beside the main one. */
  readonly sidecarContainers?: readonly ContainerSpec[];
  /** Containers that run to completion, in order, before the others start. */
  readonly initContainers?: readonly ContainerSpec[];
  /** How a task runs. */
  readonly jobConfig?: JobConfigSpec;
  /** When a scheduled task runs. */
  readonly cronJobConfig?: CronJobConfigSpec;
  /** The main container's CPU and memory. */
  readonly sizing?: SizingSpec;
  /** A Service for the pods. */
  readonly expose?: ExposeSpec;
  /** HTTP traffic from a Gateway or an Ingress. */
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
  /** How the containers run (user, privileges, capabilities). */
  readonly securityContext?: SecurityContextSpec;
  /** The ServiceAccount the pods run as. */
  readonly workloadIdentity?: WorkloadIdentitySpec;
  /** Kubernetes objects as written, keyed by name. */
  readonly rawObjects?: Readonly<Record<string, RawObjectSpec>>;
  /** Patches over rendered objects, in order. */
  readonly patches?: readonly PatchSpec[];
}

/** A Kubernetes object of any kind, as the author wrote it. */
export interface RawObjectSpec {
  /** The object's API version. */
  readonly apiVersion: string;
  /** The object's kind. */
  readonly kind: string;
  /** The name defaults to the object's key; the namespace to the release's. */
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly [field: string]: unknown;
  };
  /** The rest of the object, emitted as written. */
  readonly [field: string]: unknown;
}

/** A patch over one rendered object, found by kind and (base) name. */
export interface PatchSpec {
  /** The object to patch, by kind and base name (before release prefixing). */
  readonly target: { readonly kind: string; readonly name: string; readonly apiVersion?: string };
  /**
   * `strategic`: Kubernetes' strategic merge (containers, volumes, env merge by name); `merge`: an
   * RFC 7386 merge patch; `json`: a list of RFC 6902 operations. @default "strategic"
   */
  readonly type?: "strategic" | "merge" | "json";
  /** The patch document, in the form `type` names. */
  readonly patch: unknown;
}
