// Plain-IR builders for tests and benchmarks: components and modules made without dsl/ (which
// providers may not import), with definitions reduced to what matching and rendering read.
import {
  brand,
  fqnOf,
  moduleIdentity,
  moduleLabels,
  parseFqn,
  specKeyOf,
  type Component,
  type Labels,
  type Module,
  type ResourceDef,
  type TraitDef,
} from "../../../sdk/index.ts";
import {
  ResourceFqn,
  TraitFqn,
  WORKLOAD_TYPE_LABEL,
  type KubernetesComponentSpec,
  type WorkloadType,
} from "../spec.ts";

function definitionMetadata(fqn: string) {
  const parsed = parseFqn(fqn);
  if (parsed === undefined) throw new Error(`bad FQN ${fqn}`);
  const name = parsed.pascalName.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
  return { apiVersion: parsed.apiVersion, name, fqn, specKey: specKeyOf(name) };
}

export function resourceDef(fqn: string, labels?: Labels): ResourceDef {
  const { specKey, ...metadata } = definitionMetadata(fqn);
  return { kind: "Resource", metadata: labels === undefined ? metadata : { ...metadata, labels }, specKey };
}

export function traitDef(fqn: string): TraitDef {
  const { specKey, ...metadata } = definitionMetadata(fqn);
  return { kind: "Trait", metadata, specKey, appliesTo: [ResourceFqn.container] };
}

export interface ComponentInit {
  readonly workloadType?: WorkloadType;
  readonly labels?: Labels;
  readonly annotations?: Labels;
  readonly resources: readonly string[];
  readonly traits?: readonly string[];
  readonly spec: KubernetesComponentSpec;
}

export function component(name: string, init: ComponentInit): Component {
  const labels: Record<string, string | number | boolean> = { ...init.labels };
  if (init.workloadType !== undefined) labels[WORKLOAD_TYPE_LABEL] = init.workloadType;
  return brand("Component", {
    kind: "Component",
    metadata: { name, labels, annotations: init.annotations ?? {} },
    resources: Object.fromEntries(init.resources.map((fqn) => [fqn, resourceDef(fqn)])),
    traits: Object.fromEntries((init.traits ?? []).map((fqn) => [fqn, traitDef(fqn)])),
    blueprints: {},
    spec: init.spec as Record<string, unknown>,
  });
}

export function testModule(
  name: string,
  components: Readonly<Record<string, Component>>,
  extra: Partial<Pick<Module, "config" | "values">> & { defaultNamespace?: string } = {},
): Module {
  const apiVersion = "example.com/modules@v0";
  const version = "0.1.0";
  const fqn = fqnOf(apiVersion, name);
  const identity = moduleIdentity(fqn, version);
  return brand("Module", {
    kind: "Module",
    metadata: {
      apiVersion,
      name,
      version,
      fqn,
      identity,
      ...(extra.defaultNamespace === undefined ? {} : { defaultNamespace: extra.defaultNamespace }),
      labels: moduleLabels(name, version, identity),
      annotations: {},
    },
    components,
    policies: {},
    ...(extra.config === undefined ? {} : { config: extra.config }),
    values: extra.values ?? {},
  });
}

export const C = ResourceFqn;
export const T = TraitFqn;

/** A main container using every field of the schema. */
export const fullContainer = {
  name: "app",
  image: "ghcr.io/example/app:1.2.3",
  imagePullPolicy: "Always",
  command: ["/bin/app"],
  args: ["--serve", "--verbose"],
  ports: {
    metrics: { targetPort: 9090 },
    http: { targetPort: 8080, protocol: "TCP", hostPort: 80, hostIP: "0.0.0.0" },
  },
  env: { LOG_LEVEL: { value: "debug" }, APP_MODE: { name: "APP_MODE", value: "production" } },
  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "1", memory: "1Gi" } },
  volumeMounts: {
    data: { name: "data", mountPath: "/data" },
    cache: { name: "cache", mountPath: "/cache" },
    config: { name: "config", mountPath: "/etc/app", readOnly: true },
    creds: { name: "creds", mountPath: "/run/creds", subPath: "token", readOnly: true },
  },
} as const satisfies KubernetesComponentSpec["container"];

export const fullVolumes = {
  data: { persistentClaim: { size: "10Gi", accessMode: "ReadWriteOnce", storageClass: "fast" } },
  cache: { emptyDir: { medium: "memory", sizeLimit: "256Mi" } },
  config: { configMap: { data: { "app.yaml": "mode: production" } } },
  creds: { secret: { data: { token: "c2VjcmV0" } } },
} as const satisfies KubernetesComponentSpec["volumes"];

/** Every common pod trait with non-default values. */
export const fullPodTraits = {
  restartPolicy: "Always",
  healthCheck: {
    livenessProbe: { httpGet: { path: "/healthz", port: 8080 }, initialDelaySeconds: 10, periodSeconds: 20 },
    readinessProbe: { exec: { command: ["cat", "/tmp/ready"] }, failureThreshold: 5 },
  },
  sizing: { cpu: { request: "250m", limit: "500m" }, memory: { request: "256Mi", limit: "512Mi" } },
  sidecarContainers: [
    { name: "proxy", image: "envoyproxy/envoy:v1.30", ports: { admin: { targetPort: 9901 } } },
  ],
  initContainers: [
    {
      name: "migrate",
      image: "ghcr.io/example/app:1.2.3",
      command: ["/bin/app", "migrate"],
      env: { DB: { value: "postgres" } },
    },
  ],
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 1000,
    runAsGroup: 3000,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] },
  },
  workloadIdentity: { name: "app-identity", automountToken: true },
  gracefulShutdown: { terminationGracePeriodSeconds: 45, preStopCommand: ["/bin/app", "drain"] },
  placement: {
    spreadAcross: "hosts",
    requirements: { "kubernetes.io/os": "linux", "example.com/pool": "general" },
    platformOverrides: {
      tolerations: [{ key: "dedicated", operator: "Equal", value: "apps", effect: "NoSchedule" }],
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 50,
              preference: {
                matchExpressions: [{ key: "example.com/ssd", operator: "In", values: ["true"] }],
              },
            },
          ],
        },
      },
    },
  },
} as const satisfies KubernetesComponentSpec;

export const podTraitFqns = [
  T.restartPolicy,
  T.healthCheck,
  T.sizing,
  T.sidecarContainers,
  T.initContainers,
  T.securityContext,
  T.workloadIdentity,
  T.gracefulShutdown,
  T.placement,
];

/** The pod traits a Job or CronJob accepts (no HealthCheck). */
export const taskPodTraits = Object.fromEntries(
  Object.entries(fullPodTraits).filter(([key]) => key !== "healthCheck"),
) as Omit<typeof fullPodTraits, "healthCheck">;
