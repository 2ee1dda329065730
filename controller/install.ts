// What `opm controller install` puts on a cluster: the CRD, a namespace, the controller's
// ServiceAccount, a ClusterRole of exactly what it reads and writes (ModuleReleases, events,
// the inventory and values Secrets, and the kinds the Kubernetes provider renders; no
// wildcards, no cluster-admin) bound to it, a Role on the leader-election Lease, and a
// Deployment of `opm controller run --leader-elect` (two replicas by default: one reconciles,
// the other waits to take over). The set is installed as an OPM release itself, so `opm mod status` shows it and an
// upgrade prunes what a newer version no longer needs.
import { fqnOf, releaseIdentity } from "../sdk/index.ts";
import { moduleReleaseCrd } from "./api/crd.ts";
import { GROUP, PLURAL } from "./api/types.ts";
import { LEASE_NAME } from "./leader.ts";

export interface InstallOptions {
  /** The controller's namespace; default `opm-system`. */
  readonly namespace: string;
  /** The image running `opm` (see the Dockerfile). */
  readonly image: string;
  readonly version: string;
  readonly concurrency: number;
  /** Replicas of the Deployment; default 2. One leads (a Lease), the others wait. */
  readonly replicas?: number;
  /**
   * Let the controller impersonate ServiceAccounts (ModuleReleases with serviceAccountName).
   * This lets it act as any ServiceAccount of the cluster, so it is off unless asked for.
   */
  readonly impersonation?: boolean;
}

export const INSTALL_RELEASE = "opm-controller";
const NAME = "opm-controller";
const METRICS_PORT = 8080;

type Rule = { apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] };
const READ = ["get", "list", "watch"];
const MANAGE = [...READ, "create", "update", "patch", "delete"];

/** The kinds the Kubernetes provider's transformers emit, which the controller applies and prunes. */
const RENDERED: readonly Rule[] = [
  {
    apiGroups: [""],
    resources: ["configmaps", "secrets", "services", "serviceaccounts", "persistentvolumeclaims"],
    verbs: MANAGE,
  },
  { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets"], verbs: MANAGE },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: MANAGE },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: MANAGE },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: MANAGE },
  { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: MANAGE },
  {
    apiGroups: ["gateway.networking.k8s.io"],
    resources: ["httproutes", "grpcroutes", "tcproutes"],
    verbs: MANAGE,
  },
];

/** The ClusterRole's rules: the controller's own resources, then what releases render. */
export function controllerRules(impersonation = false): Rule[] {
  return [
    ...(impersonation ? [{ apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] }] : []),
    { apiGroups: [GROUP], resources: [PLURAL], verbs: ["get", "list", "watch", "update", "patch"] },
    { apiGroups: [GROUP], resources: [`${PLURAL}/status`], verbs: ["get", "update", "patch"] },
    { apiGroups: [GROUP], resources: [`${PLURAL}/finalizers`], verbs: ["update"] },
    { apiGroups: [""], resources: ["events"], verbs: ["get", "create", "patch"] },
    // Namespaces a release targets are created when missing, never deleted.
    { apiGroups: [""], resources: ["namespaces"], verbs: ["get", "create", "patch"] },
    // Health of workloads is read from their pods and replica sets.
    { apiGroups: [""], resources: ["pods"], verbs: READ },
    { apiGroups: ["apps"], resources: ["replicasets"], verbs: READ },
    ...RENDERED,
  ];
}

/** What the replicas need of coordination.k8s.io: their Lease, in the controller's namespace. */
const LEASE_RULES: Rule[] = [
  // `create` cannot be limited to a name: the Lease does not exist before the first replica.
  { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
  {
    apiGroups: ["coordination.k8s.io"],
    resources: ["leases"],
    resourceNames: [LEASE_NAME],
    verbs: ["get", "update"],
  },
];

/** Every object of the installation, in apply order. */
export function installObjects(options: InstallOptions): object[] {
  const labels = {
    "app.kubernetes.io/name": NAME,
    "app.kubernetes.io/part-of": "opm",
    "app.kubernetes.io/version": options.version,
  };
  const selector = { "app.kubernetes.io/name": NAME };
  const meta = (name: string, namespaced = true) => ({
    name,
    ...(namespaced ? { namespace: options.namespace } : {}),
    labels,
  });
  return [
    moduleReleaseCrd(),
    { apiVersion: "v1", kind: "Namespace", metadata: meta(options.namespace, false) },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(NAME) },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: meta(NAME, false),
      rules: controllerRules(options.impersonation === true),
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: meta(NAME, false),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: NAME },
      subjects: [{ kind: "ServiceAccount", name: NAME, namespace: options.namespace }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: meta(`${NAME}-leader-election`),
      rules: LEASE_RULES,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta(`${NAME}-leader-election`),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: `${NAME}-leader-election` },
      subjects: [{ kind: "ServiceAccount", name: NAME, namespace: options.namespace }],
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(`${NAME}-metrics`),
      spec: { selector, ports: [{ name: "metrics", port: METRICS_PORT, targetPort: "metrics" }] },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(NAME),
      spec: {
        // Every replica elects a leader, so a rolling update (old and new pods at once) and a
        // second replica are safe: only the Lease's holder reconciles.
        replicas: options.replicas ?? 2,
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            // Replicas on different nodes where there are several: one node's loss is then a failover.
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      topologyKey: "kubernetes.io/hostname",
                      labelSelector: { matchLabels: selector },
                    },
                  },
                ],
              },
            },
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65532,
              runAsGroup: 65532,
              seccompProfile: { type: "RuntimeDefault" },
            },
            containers: [
              {
                name: "controller",
                image: options.image,
                args: [
                  "controller",
                  "run",
                  "--metrics-addr",
                  `:${METRICS_PORT}`,
                  "--concurrency",
                  String(options.concurrency),
                  "--leader-elect",
                  "--leader-elect-namespace",
                  options.namespace,
                ],
                env: [
                  { name: "HOME", value: "/cache" },
                  { name: "XDG_CACHE_HOME", value: "/cache" },
                ],
                ports: [{ name: "metrics", containerPort: METRICS_PORT }],
                livenessProbe: { httpGet: { path: "/healthz", port: "metrics" }, periodSeconds: 20 },
                readinessProbe: { httpGet: { path: "/readyz", port: "metrics" }, periodSeconds: 10 },
                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ["ALL"] },
                },
                volumeMounts: [{ name: "cache", mountPath: "/cache" }],
              },
            ],
            volumes: [{ name: "cache", emptyDir: {} }],
          },
        },
      },
    },
  ];
}

/** The installation as a release: its name, namespace and identity, for the cluster library's apply. */
export function installRelease(options: InstallOptions): {
  name: string;
  namespace: string;
  identity: string;
  fqn: string;
  version: string;
} {
  const fqn = fqnOf(`${GROUP}/controller@v0`, NAME);
  return {
    name: INSTALL_RELEASE,
    namespace: options.namespace,
    identity: releaseIdentity(fqn, INSTALL_RELEASE, options.namespace),
    fqn,
    version: options.version,
  };
}
