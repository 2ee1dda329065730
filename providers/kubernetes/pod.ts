// The pod template shared by Deployment, StatefulSet, DaemonSet, Job and CronJob,
// emitting valid Kubernetes shapes: ports, env and mounts as lists sorted by key,
// sidecars and init containers converted like the main container, volumes mapped to real
// volume sources, probes field by field.
import type { TransformerContext } from "../../sdk/index.ts";
import { configObjectNames, type ConfigObjectNames } from "./config-objects.ts";
import { compact, sortedEntries } from "./define.ts";
import type {
  ContainerSpec,
  EnvVarSpec,
  ProjectionSpec,
  KubernetesComponentSpec,
  ProbeSpec,
  RequestAndLimit,
  RestartPolicySpec,
  SecurityContextSpec,
  VolumeSpec,
} from "./spec.ts";

type Json = Record<string, unknown>;

export function containerPorts(container: ContainerSpec): Json[] | undefined {
  const ports = sortedEntries(container.ports).map(([key, port]) =>
    compact({
      name: port.name ?? key,
      containerPort: port.targetPort,
      protocol: port.protocol ?? "TCP",
      hostIP: port.hostIP,
      hostPort: port.hostPort,
    }),
  );
  return ports.length > 0 ? ports : undefined;
}

/**
 * An env var from its one source. A secret of the module's config always becomes a
 * secretKeyRef (never a literal value); names of the component's own ConfigMaps and Secrets
 * become their emitted names.
 */
function envVar(key: string, variable: EnvVarSpec, names: ConfigObjectNames): Json {
  const name = variable.name ?? key;
  if (variable.from !== undefined)
    return { name, valueFrom: { secretKeyRef: names.secretKey(variable.from) } };
  const keyRef = (
    ref: { name: string; key: string; optional?: boolean },
    rename: (n: string) => string,
  ): Json => compact({ name: rename(ref.name), key: ref.key, optional: ref.optional });
  if (variable.configMapKeyRef !== undefined) {
    return { name, valueFrom: { configMapKeyRef: keyRef(variable.configMapKeyRef, names.configMap) } };
  }
  if (variable.secretKeyRef !== undefined) {
    return { name, valueFrom: { secretKeyRef: keyRef(variable.secretKeyRef, names.secret) } };
  }
  if (variable.fieldRef !== undefined) {
    const ref = variable.fieldRef;
    return {
      name,
      valueFrom: { fieldRef: { apiVersion: ref.apiVersion ?? "v1", fieldPath: ref.fieldPath } },
    };
  }
  if (variable.resourceFieldRef !== undefined) {
    const ref = variable.resourceFieldRef;
    return {
      name,
      valueFrom: {
        resourceFieldRef: compact({
          containerName: ref.containerName,
          resource: ref.resource,
          divisor: ref.divisor,
        }),
      },
    };
  }
  return { name, value: variable.value };
}

function containerEnv(container: ContainerSpec, names: ConfigObjectNames): Json[] | undefined {
  const env = sortedEntries(container.env).map(([key, variable]) => envVar(key, variable, names));
  return env.length > 0 ? env : undefined;
}

function containerEnvFrom(container: ContainerSpec, names: ConfigObjectNames): Json[] | undefined {
  const envFrom = (container.envFrom ?? []).map((source) =>
    compact({
      prefix: source.prefix,
      configMapRef:
        source.configMapRef === undefined
          ? undefined
          : compact({
              name: names.configMap(source.configMapRef.name),
              optional: source.configMapRef.optional,
            }),
      secretRef:
        source.secretRef === undefined
          ? undefined
          : compact({ name: names.secret(source.secretRef.name), optional: source.secretRef.optional }),
    }),
  );
  return envFrom.length > 0 ? envFrom : undefined;
}

function volumeMounts(container: ContainerSpec): Json[] | undefined {
  const mounts = sortedEntries(container.volumeMounts).map(([key, mount]) =>
    compact({
      name: mount.name ?? key,
      mountPath: mount.mountPath,
      subPath: mount.subPath,
      readOnly: mount.readOnly,
    }),
  );
  return mounts.length > 0 ? mounts : undefined;
}

function quantities(source: { cpu?: string | number; memory?: string } | undefined): Json | undefined {
  if (source === undefined) return undefined;
  const out = compact({
    cpu: source.cpu === undefined ? undefined : String(source.cpu),
    memory: source.memory,
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Cores as Kubernetes writes them: 2 is "2", 0.5 is "500m" (rounded to millicores). */
function cpuQuantity(value: string | number): string {
  if (typeof value === "string") return value;
  const milli = Math.round(value * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** A number counts GiB: 4 is "4Gi", 0.5 is "512Mi". */
function memoryQuantity(value: string | number): string {
  if (typeof value === "string") return value;
  return Number.isInteger(value) ? `${value}Gi` : `${Math.round(value * 1024)}Mi`;
}

/**
 * Container resources: requests and limits as written, then the per-resource spelling
 * (`cpu: {request, limit}`), then the Sizing trait, each overriding what it names.
 */
function containerResources(
  container: ContainerSpec,
  spec: KubernetesComponentSpec | undefined,
): Json | undefined {
  const resources = container.resources;
  const requests: Json = { ...quantities(resources?.requests) };
  const limits: Json = { ...quantities(resources?.limits) };
  const apply = (
    name: "cpu" | "memory",
    source: RequestAndLimit | undefined,
    format: (v: string | number) => string,
  ): void => {
    if (source?.request !== undefined) requests[name] = format(source.request);
    if (source?.limit !== undefined) limits[name] = format(source.limit);
  };
  apply("cpu", resources?.cpu, cpuQuantity);
  apply("memory", resources?.memory, memoryQuantity);
  const sizing = spec?.sizing;
  if (sizing?.cpu !== undefined) {
    requests["cpu"] = sizing.cpu.request;
    limits["cpu"] = sizing.cpu.limit;
  }
  if (sizing?.memory !== undefined) {
    requests["memory"] = sizing.memory.request;
    limits["memory"] = sizing.memory.limit;
  }
  const out = compact({
    requests: Object.keys(requests).length > 0 ? requests : undefined,
    limits: Object.keys(limits).length > 0 ? limits : undefined,
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

export function probe(source: ProbeSpec | undefined): Json | undefined {
  if (source === undefined) return undefined;
  return compact({
    httpGet:
      source.httpGet === undefined ? undefined : { path: source.httpGet.path, port: source.httpGet.port },
    exec: source.exec === undefined ? undefined : { command: [...source.exec.command] },
    tcpSocket: source.tcpSocket === undefined ? undefined : { port: source.tcpSocket.port },
    initialDelaySeconds: source.initialDelaySeconds ?? 0,
    periodSeconds: source.periodSeconds ?? 10,
    timeoutSeconds: source.timeoutSeconds ?? 1,
    successThreshold: source.successThreshold ?? 1,
    failureThreshold: source.failureThreshold ?? 3,
  });
}

function containerSecurityContext(trait: SecurityContextSpec | undefined): Json | undefined {
  if (trait === undefined) return undefined;
  return compact({
    readOnlyRootFilesystem: trait.readOnlyRootFilesystem ?? false,
    allowPrivilegeEscalation: trait.allowPrivilegeEscalation ?? false,
    capabilities: compact({
      add: trait.capabilities?.add === undefined ? undefined : [...trait.capabilities.add],
      drop: [...(trait.capabilities?.drop ?? ["ALL"])],
    }),
  });
}

/**
 * One container. The main container also receives the component's probes (HealthCheck wins over
 * the container's own), sizing and container security context; sidecars and init containers
 * get only their own fields (init containers no probes).
 */
export function container(
  source: ContainerSpec,
  names: ConfigObjectNames,
  main?: KubernetesComponentSpec,
  options: { readonly probes?: boolean } = {},
): Json {
  const probes = options.probes ?? true;
  return compact({
    name: source.name,
    image: source.image,
    imagePullPolicy: source.imagePullPolicy ?? "IfNotPresent",
    command: source.command === undefined ? undefined : [...source.command],
    args: source.args === undefined ? undefined : [...source.args],
    ports: containerPorts(source),
    env: containerEnv(source, names),
    envFrom: containerEnvFrom(source, names),
    resources: containerResources(source, main),
    volumeMounts: volumeMounts(source),
    livenessProbe: probes ? probe(main?.healthCheck?.livenessProbe ?? source.livenessProbe) : undefined,
    readinessProbe: probes ? probe(main?.healthCheck?.readinessProbe ?? source.readinessProbe) : undefined,
    startupProbe: probes ? probe(main?.healthCheck?.startupProbe ?? source.startupProbe) : undefined,
    securityContext: containerSecurityContext(main?.securityContext),
    lifecycle: preStop(main),
  });
}

/** GracefulShutdown's `preStopCommand` as the main container's preStop exec hook. */
function preStop(main: KubernetesComponentSpec | undefined): Json | undefined {
  const command = main?.gracefulShutdown?.preStopCommand;
  return command === undefined ? undefined : { preStop: { exec: { command: [...command] } } };
}

const TOPOLOGY_KEYS: Readonly<Record<string, string>> = {
  zones: "topology.kubernetes.io/zone",
  regions: "topology.kubernetes.io/region",
  hosts: "kubernetes.io/hostname",
};

/**
 * The Placement trait on the pod spec: `requirements` become the node selector, `spreadAcross`
 * one topology spread constraint over the component's pods (skew 1, scheduled anyway, so a
 * single-zone cluster still runs them); `platformOverrides` may give any of the four fields in
 * Kubernetes' own shape and wins.
 */
function placement(spec: KubernetesComponentSpec, context: TransformerContext): Json {
  const trait = spec.placement;
  if (trait === undefined) return {};
  const overrides = trait.platformOverrides ?? {};
  const requirements = sortedEntries(trait.requirements);
  const derived: Json = compact({
    nodeSelector: requirements.length > 0 ? Object.fromEntries(requirements) : undefined,
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: TOPOLOGY_KEYS[trait.spreadAcross ?? "zones"],
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: { ...context.componentLabels } },
      },
    ],
  });
  for (const key of ["nodeSelector", "affinity", "tolerations", "topologySpreadConstraints"])
    if (overrides[key] !== undefined) derived[key] = overrides[key];
  return derived;
}

function projection(source: ProjectionSpec): Json {
  return {
    items: source.items?.map((item) => compact({ key: item.key, path: item.path, mode: item.mode })),
    defaultMode: source.defaultMode,
    optional: source.optional,
  };
}

function volumeSource(
  key: string,
  volume: VolumeSpec,
  context: TransformerContext,
  names: ConfigObjectNames,
): Json {
  const name = volume.name ?? key;
  const objectName = context.objectName(name);
  if (volume.persistentClaim !== undefined) return { name, persistentVolumeClaim: { claimName: objectName } };
  if (volume.configMap !== undefined) {
    const own = names.configMap(name);
    return {
      name,
      configMap: compact({ name: own === name ? objectName : own, ...projection(volume.configMap) }),
    };
  }
  if (volume.secret !== undefined) {
    const from = volume.secret.from;
    if (from !== undefined) {
      // The Secret holding a secret of the config: its one key, unless items say more.
      const at = names.secretKey(from);
      const items = volume.secret.items ?? [{ key: at.key, path: at.key }];
      return { name, secret: compact({ secretName: at.name, ...projection({ ...volume.secret, items }) }) };
    }
    const own = names.secret(name);
    return {
      name,
      secret: compact({ secretName: own === name ? objectName : own, ...projection(volume.secret) }),
    };
  }
  const emptyDir = compact({
    medium: volume.emptyDir?.medium === "memory" ? "Memory" : undefined,
    sizeLimit: volume.emptyDir?.sizeLimit,
  });
  return { name, emptyDir };
}

export function podVolumes(spec: KubernetesComponentSpec, context: TransformerContext): Json[] | undefined {
  const names = configObjectNames(spec, context);
  const volumes = sortedEntries(spec.volumes).map(([key, volume]) =>
    volumeSource(key, volume, context, names),
  );
  return volumes.length > 0 ? volumes : undefined;
}

function podSecurityContext(trait: SecurityContextSpec | undefined): Json | undefined {
  if (trait === undefined) return undefined;
  return compact({
    runAsNonRoot: trait.runAsNonRoot ?? true,
    runAsUser: trait.runAsUser,
    runAsGroup: trait.runAsGroup,
  });
}

/** The pod template: `{metadata: {labels}, spec}` with the given default restart policy. */
export function podTemplate(
  spec: KubernetesComponentSpec,
  context: TransformerContext,
  defaultRestartPolicy: RestartPolicySpec,
): Json {
  const main = spec.container;
  if (main === undefined) throw new Error("spec.container is required");
  // Kubernetes rejects probes on init containers that run to completion (upstream emitted them).
  const names = configObjectNames(spec, context);
  const initContainers = (spec.initContainers ?? []).map((c) =>
    container(c, names, undefined, { probes: false }),
  );
  return {
    metadata: { labels: { ...context.componentLabels } },
    spec: compact({
      serviceAccountName:
        spec.workloadIdentity === undefined ? undefined : context.objectName(spec.workloadIdentity.name),
      securityContext: podSecurityContext(spec.securityContext),
      restartPolicy: spec.restartPolicy ?? defaultRestartPolicy,
      initContainers: initContainers.length > 0 ? initContainers : undefined,
      containers: [
        container(main, names, spec),
        ...(spec.sidecarContainers ?? []).map((c) => container(c, names)),
      ],
      volumes: podVolumes(spec, context),
      terminationGracePeriodSeconds:
        spec.gracefulShutdown === undefined
          ? undefined
          : (spec.gracefulShutdown.terminationGracePeriodSeconds ?? 30),
      ...placement(spec, context),
    }),
  };
}

/**
 * Replicas for Deployment/StatefulSet: the count, else 1. An autoscaled workload has none: the
 * HorizontalPodAutoscaler owns the field, and a value here would make every apply fight it (the
 * server starts the workload at 1 and the autoscaler raises it to its minimum).
 */
export function replicas(spec: KubernetesComponentSpec): number | undefined {
  if (spec.scaling?.auto !== undefined) return undefined;
  return spec.scaling?.count ?? 1;
}
