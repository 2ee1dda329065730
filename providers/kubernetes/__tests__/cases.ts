// The golden cases: for each transformer a minimal and an all-traits component.
import type { Component, SecretESORef, SecretValue, Transformer } from "../../../sdk/index.ts";
import {
  C,
  component,
  fullContainer,
  fullPodTraits,
  fullVolumes,
  podTraitFqns,
  T,
  taskPodTraits,
} from "./fixtures.ts";
import { configMapTransformer } from "../transformers/configmap.ts";
import { cronJobTransformer } from "../transformers/cronjob.ts";
import { daemonSetTransformer } from "../transformers/daemonset.ts";
import { deploymentTransformer } from "../transformers/deployment.ts";
import { hpaTransformer } from "../transformers/hpa.ts";
import { ingressTransformer } from "../transformers/ingress.ts";
import { jobTransformer } from "../transformers/job.ts";
import { pvcTransformer } from "../transformers/pvc.ts";
import { secretTransformer } from "../transformers/secret.ts";
import { serviceTransformer } from "../transformers/service.ts";
import { serviceAccountTransformer } from "../transformers/serviceaccount.ts";
import { statefulSetTransformer } from "../transformers/statefulset.ts";
import { pdbTransformer } from "../transformers/pdb.ts";
import { httpRouteTransformer } from "../transformers/httproute.ts";
import { grpcRouteTransformer } from "../transformers/grpcroute.ts";
import { tcpRouteTransformer } from "../transformers/tcproute.ts";
import { rawObjectsTransformer } from "../transformers/raw-objects.ts";
import { patchesTransformer } from "../transformers/patches.ts";

const minimalContainer = { name: "app", image: "nginx:1.27" };

/** A secret of the module's config in each variant, as the checked config holds it. */
function literal(secretName: string, dataKey: string, value: string): SecretValue {
  return { $opm: "secret", $secretName: secretName, $dataKey: dataKey, value };
}
function existing(secretName: string, dataKey: string, name: string, remoteKey: string): SecretValue {
  return { $opm: "secret", $secretName: secretName, $dataKey: dataKey, secretName: name, remoteKey };
}
function eso(
  secretName: string,
  dataKey: string,
  externalSecret: SecretESORef["externalSecret"],
): SecretValue {
  return { $opm: "secret", $secretName: secretName, $dataKey: dataKey, externalSecret };
}

export interface Case {
  readonly golden: string;
  readonly transformer: Transformer;
  readonly component: Component;
}

export const cases: Case[] = [
  {
    golden: "deployment-minimal",
    transformer: deploymentTransformer,
    component: component("web", {
      workloadType: "stateless",
      resources: [C.container],
      spec: { container: minimalContainer },
    }),
  },
  {
    golden: "deployment-all-traits",
    transformer: deploymentTransformer,
    component: component("web", {
      workloadType: "stateless",
      annotations: { "example.com/owner": "team-a", "transformer.opmodel.dev/list-output": true },
      resources: [C.container, C.volumes],
      traits: [...podTraitFqns, T.scaling, T.updateStrategy],
      spec: {
        container: fullContainer,
        volumes: fullVolumes,
        ...fullPodTraits,
        scaling: { count: 3 },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
      },
    }),
  },
  {
    golden: "statefulset-minimal",
    transformer: statefulSetTransformer,
    component: component("db", {
      workloadType: "stateful",
      resources: [C.container],
      spec: { container: minimalContainer },
    }),
  },
  {
    golden: "statefulset-all-traits",
    transformer: statefulSetTransformer,
    component: component("db", {
      workloadType: "stateful",
      resources: [C.container, C.volumes],
      traits: [...podTraitFqns, T.scaling, T.updateStrategy],
      spec: {
        container: fullContainer,
        volumes: fullVolumes,
        ...fullPodTraits,
        scaling: {
          count: 2,
          auto: { min: 2, max: 4, metrics: [{ type: "cpu", target: { averageUtilization: 70 } }] },
        },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } },
      },
    }),
  },
  {
    // What later upstream v0 modules write: resources per resource (numbers count cores and
    // GiB), a startup probe, and sidecar and init containers with probes of their own.
    golden: "deployment-upstream-v0-shapes",
    transformer: deploymentTransformer,
    component: component("api", {
      workloadType: "stateless",
      resources: [C.container],
      traits: [T.healthCheck, T.sidecarContainers, T.initContainers],
      spec: {
        container: {
          ...minimalContainer,
          resources: {
            requests: { cpu: "100m", memory: "64Mi" },
            cpu: { request: 0.5, limit: 2 },
            memory: { limit: 1.5 },
          },
          livenessProbe: { tcpSocket: { port: 9999 } },
        },
        healthCheck: {
          startupProbe: { httpGet: { path: "/started", port: 8080 }, failureThreshold: 30 },
          livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
        },
        sidecarContainers: [
          {
            name: "metrics",
            image: "prom/statsd-exporter:v0.26.0",
            resources: { cpu: { request: "50m" }, memory: { request: 0.25, limit: "512Mi" } },
            readinessProbe: { httpGet: { path: "/metrics", port: 9102 } },
          },
        ],
        initContainers: [
          { name: "wait", image: "busybox:1.36", startupProbe: { exec: { command: ["true"] } } },
        ],
      },
    }),
  },
  {
    golden: "daemonset-minimal",
    transformer: daemonSetTransformer,
    component: component("agent", {
      workloadType: "daemon",
      resources: [C.container],
      spec: { container: minimalContainer },
    }),
  },
  {
    golden: "daemonset-all-traits",
    transformer: daemonSetTransformer,
    component: component("agent", {
      workloadType: "daemon",
      resources: [C.container, C.volumes],
      traits: [...podTraitFqns, T.updateStrategy],
      spec: {
        container: fullContainer,
        volumes: fullVolumes,
        ...fullPodTraits,
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 2 } },
      },
    }),
  },
  {
    golden: "job-minimal",
    transformer: jobTransformer,
    component: component("migrate", {
      workloadType: "task",
      resources: [C.container],
      traits: [T.jobConfig],
      spec: { container: minimalContainer, jobConfig: {} },
    }),
  },
  {
    golden: "job-all-traits",
    transformer: jobTransformer,
    component: component("migrate", {
      workloadType: "task",
      resources: [C.container, C.volumes],
      traits: [T.jobConfig, ...podTraitFqns.filter((t) => t !== T.healthCheck)],
      spec: {
        container: fullContainer,
        volumes: fullVolumes,
        ...taskPodTraits,
        restartPolicy: "Never",
        jobConfig: {
          completions: 3,
          parallelism: 2,
          backoffLimit: 1,
          activeDeadlineSeconds: 600,
          ttlSecondsAfterFinished: 30,
        },
      },
    }),
  },
  {
    golden: "cronjob-minimal",
    transformer: cronJobTransformer,
    component: component("backup", {
      workloadType: "scheduled-task",
      resources: [C.container],
      traits: [T.cronJobConfig],
      spec: { container: minimalContainer, cronJobConfig: { scheduleCron: "0 3 * * *" } },
    }),
  },
  {
    golden: "cronjob-all-traits",
    transformer: cronJobTransformer,
    component: component("backup", {
      workloadType: "scheduled-task",
      resources: [C.container, C.volumes],
      traits: [T.cronJobConfig, ...podTraitFqns.filter((t) => t !== T.healthCheck)],
      spec: {
        container: fullContainer,
        volumes: fullVolumes,
        ...taskPodTraits,
        restartPolicy: "Never",
        cronJobConfig: {
          scheduleCron: "*/15 * * * *",
          concurrencyPolicy: "Forbid",
          startingDeadlineSeconds: 120,
          successfulJobsHistoryLimit: 5,
          failedJobsHistoryLimit: 2,
        },
      },
    }),
  },
  {
    golden: "service-minimal",
    transformer: serviceTransformer,
    // A Service needs a workload to select: without one the container would be dropped (OPM3009).
    component: component("web", {
      workloadType: "stateless",
      resources: [C.container],
      traits: [T.expose],
      spec: { container: minimalContainer, expose: { ports: { http: { targetPort: 8080 } } } },
    }),
  },
  {
    golden: "service-all-traits",
    transformer: serviceTransformer,
    component: component("web", {
      workloadType: "stateless",
      annotations: { "example.com/owner": "team-a" },
      resources: [C.container],
      traits: [T.expose],
      spec: {
        container: minimalContainer,
        expose: {
          type: "NodePort",
          ports: {
            http: { targetPort: 8080, exposedPort: 30080 },
            dns: { targetPort: 5353, protocol: "UDP" },
          },
        },
      },
    }),
  },
  {
    golden: "pvc-minimal",
    transformer: pvcTransformer,
    component: component("store", {
      resources: [C.volumes],
      spec: { volumes: { data: { persistentClaim: { size: "1Gi" } } } },
    }),
  },
  {
    golden: "pvc-all-traits",
    transformer: pvcTransformer,
    component: component("store", {
      resources: [C.volumes],
      spec: {
        volumes: {
          ...fullVolumes,
          logs: { name: "app-logs", persistentClaim: { size: "5Gi", accessMode: "ReadWriteMany" } },
        },
      },
    }),
  },
  {
    golden: "configmap-minimal",
    transformer: configMapTransformer,
    component: component("settings", {
      resources: [C.configMaps],
      spec: { configMaps: { settings: { data: { key: "value" } } } },
    }),
  },
  {
    golden: "configmap-all-traits",
    transformer: configMapTransformer,
    component: component("settings", {
      resources: [C.configMaps],
      spec: {
        configMaps: {
          "app-config": { data: { "app.yaml": "mode: production\nport: 8080\n" } },
          "feature-flags": { immutable: true, data: { beta: "true" } },
        },
      },
    }),
  },
  {
    golden: "secret-minimal",
    transformer: secretTransformer,
    component: component("creds", {
      resources: [C.secrets],
      spec: { secrets: { creds: { data: { password: "aHVudGVyMg==" } } } },
    }),
  },
  {
    golden: "secret-all-traits",
    transformer: secretTransformer,
    component: component("creds", {
      resources: [C.secrets],
      spec: {
        secrets: {
          "db-credentials": {
            type: "kubernetes.io/basic-auth",
            data: { username: "YWRtaW4=", password: "aHVudGVyMg==" },
          },
          "api-token": { immutable: true, data: { token: "dG9rZW4=" } },
        },
      },
    }),
  },
  {
    // Every variant of a secret of the module's config (as the pipeline's opm-secrets component
    // carries them): literals encoded into the Secret, a Secret of references only renders
    // nothing, literals beside a reference keep the literals, External Secrets references become
    // an ExternalSecret; immutable ones hash each variant as it is written.
    golden: "secret-variants",
    transformer: secretTransformer,
    component: component("opm-secrets", {
      resources: [C.secrets],
      spec: {
        secrets: {
          db: {
            data: { user: literal("db", "user", "shop"), password: literal("db", "password", "hunter2") },
          },
          payment: { data: { "api-key": existing("payment", "api-key", "payment-provider", "key") } },
          mixed: {
            data: {
              token: literal("mixed", "token", "t0ken"),
              cert: existing("mixed", "cert", "tls", "tls.crt"),
            },
          },
          license: {
            data: {
              token: eso("license", "token", {
                store: "vault",
                remoteKey: "shop/license",
                property: "token",
              }),
              owner: eso("license", "owner", { store: "vault", remoteKey: "shop/owner" }),
            },
          },
          "sealed-license": {
            immutable: true,
            data: {
              token: eso("sealed-license", "token", {
                store: "team-store",
                storeKind: "SecretStore",
                remoteKey: "license",
                refreshInterval: "15m",
              }),
            },
          },
          "sealed-db": {
            immutable: true,
            type: "kubernetes.io/basic-auth",
            data: {
              username: "YWRtaW4=",
              password: literal("sealed-db", "password", "s3cret"),
              replica: existing("sealed-db", "replica", "replica-creds", "password"),
            },
          },
        },
      },
    }),
  },
  {
    // Env from every source, envFrom with prefixes, and projected ConfigMap and Secret volumes
    // (items, modes, optional), in the main container, a sidecar and an init container. Names of
    // the component's own ConfigMaps and Secrets become their emitted (hashed) names, others stay.
    golden: "deployment-env-sources",
    transformer: deploymentTransformer,
    component: component("api", {
      workloadType: "stateless",
      resources: [C.container, C.volumes, C.configMaps, C.secrets],
      traits: [T.sidecarContainers, T.initContainers],
      spec: {
        container: {
          ...minimalContainer,
          env: {
            PLAIN: { value: "text" },
            DB_PASSWORD: { from: literal("db", "password", "hunter2") },
            PAYMENT_KEY: { from: existing("payment", "api-key", "payment-provider", "key") },
            LICENSE: { from: eso("license", "token", { store: "vault", remoteKey: "shop/license" }) },
            LOG_LEVEL: { configMapKeyRef: { name: "settings", key: "log_level" } },
            SHARED_MODE: { configMapKeyRef: { name: "platform-settings", key: "mode", optional: true } },
            API_TOKEN: { secretKeyRef: { name: "tokens", key: "api" } },
            OTHER_TOKEN: { name: "OTHER", secretKeyRef: { name: "foreign", key: "token", optional: false } },
            POD_NAME: { fieldRef: { fieldPath: "metadata.name" } },
            POD_IP: { fieldRef: { fieldPath: "status.podIP", apiVersion: "v1" } },
            MEMORY: { resourceFieldRef: { resource: "limits.memory", containerName: "app", divisor: "1Mi" } },
            CPU: { resourceFieldRef: { resource: "requests.cpu" } },
          },
          envFrom: [
            { configMapRef: { name: "settings" }, prefix: "APP_" },
            { secretRef: { name: "tokens", optional: true } },
            { configMapRef: { name: "platform-settings", optional: false } },
            { secretRef: { name: "foreign" }, prefix: "X_" },
          ],
          volumeMounts: {
            settings: { name: "settings", mountPath: "/etc/app", readOnly: true },
            tokens: { name: "tokens", mountPath: "/run/tokens", readOnly: true },
            tls: { name: "tls", mountPath: "/etc/tls", readOnly: true },
            ca: { name: "ca", mountPath: "/etc/ca", readOnly: true },
            shared: { name: "shared", mountPath: "/etc/shared" },
          },
        },
        sidecarContainers: [
          {
            name: "proxy",
            image: "envoyproxy/envoy:v1.30",
            env: { TOKEN: { from: literal("db", "password", "hunter2") } },
            envFrom: [{ configMapRef: { name: "settings" } }],
          },
        ],
        initContainers: [
          {
            name: "migrate",
            image: "ghcr.io/example/app:1.2.3",
            env: {
              LICENSE: { from: eso("license", "token", { store: "vault", remoteKey: "shop/license" }) },
            },
          },
        ],
        volumes: {
          settings: {
            configMap: {
              data: {},
              items: [
                { key: "log_level", path: "log-level" },
                { key: "app.yaml", path: "config/app.yaml", mode: 0o440 },
              ],
              defaultMode: 0o444,
              optional: false,
            },
          },
          tokens: { secret: { data: {}, defaultMode: 0o400 } },
          tls: { secret: { from: literal("tls", "tls.key", "not-a-key"), defaultMode: 0o400 } },
          ca: {
            secret: {
              from: existing("ca", "ca.crt", "cluster-ca", "ca.crt"),
              items: [{ key: "ca.crt", path: "root.pem", mode: 0o444 }],
              optional: true,
            },
          },
          shared: { configMap: { data: {}, optional: true } },
        },
        configMaps: {
          settings: { immutable: true, data: { log_level: "info", "app.yaml": "mode: production" } },
        },
        secrets: { tokens: { immutable: true, data: { api: "dG9rZW4=" } } },
      },
    }),
  },
  {
    golden: "serviceaccount-minimal",
    transformer: serviceAccountTransformer,
    component: component("identity", {
      resources: [],
      traits: [T.workloadIdentity],
      spec: { workloadIdentity: { name: "robot" } },
    }),
  },
  {
    golden: "serviceaccount-all-traits",
    transformer: serviceAccountTransformer,
    component: component("identity", {
      resources: [],
      traits: [T.workloadIdentity],
      spec: { workloadIdentity: { name: "robot", automountToken: true } },
    }),
  },
  {
    golden: "hpa-minimal",
    transformer: hpaTransformer,
    component: component("web", {
      workloadType: "stateless",
      resources: [C.container],
      traits: [T.scaling],
      spec: {
        container: minimalContainer,
        scaling: { auto: { min: 1, max: 3, metrics: [{ type: "cpu", target: { averageUtilization: 80 } }] } },
      },
    }),
  },
  {
    golden: "hpa-all-traits",
    transformer: hpaTransformer,
    component: component("db", {
      workloadType: "stateful",
      resources: [C.container],
      traits: [T.scaling],
      spec: {
        container: minimalContainer,
        scaling: {
          count: 2,
          auto: {
            min: 2,
            max: 10,
            metrics: [
              { type: "cpu", target: { averageUtilization: 75 } },
              { type: "memory", target: { averageValue: "512Mi" } },
              { type: "custom", metricName: "requests_per_second", target: { averageValue: 100 } },
            ],
            behavior: {
              scaleUp: { stabilizationWindowSeconds: 0 },
              scaleDown: { stabilizationWindowSeconds: 300 },
            },
          },
        },
      },
    }),
  },
  {
    golden: "ingress-minimal",
    transformer: ingressTransformer,
    component: component("web", {
      resources: [],
      traits: [T.httpRoute],
      spec: { httpRoute: { rules: [{ backendPort: 8080 }] } },
    }),
  },
  {
    golden: "ingress-all-traits",
    transformer: ingressTransformer,
    component: component("web", {
      resources: [],
      traits: [T.httpRoute],
      spec: {
        httpRoute: {
          ingressClassName: "nginx",
          tls: { mode: "Terminate", certificateRef: { name: "web-tls" } },
          hostnames: ["example.com", "www.example.com"],
          rules: [
            {
              backendPort: 8080,
              matches: [
                { path: { type: "Prefix", value: "/api" } },
                { path: { type: "Exact", value: "/login" } },
                { path: { type: "RegularExpression", value: "/v[0-9]+/.*" } },
              ],
            },
            { backendPort: 9090, matches: [{ headers: [{ name: "x-debug", value: "1" }] }] },
          ],
        },
      },
    }),
  },
  {
    golden: "pdb-minimal",
    transformer: pdbTransformer,
    component: component("web", {
      resources: [],
      traits: [T.disruptionBudget],
      spec: { disruptionBudget: { maxUnavailable: 1 } },
    }),
  },
  {
    golden: "pdb-all-traits",
    transformer: pdbTransformer,
    component: component("web", {
      workloadType: "stateless",
      resources: [C.container],
      traits: [T.disruptionBudget],
      spec: { container: minimalContainer, disruptionBudget: { minAvailable: "50%" } },
    }),
  },
  {
    golden: "httproute-minimal",
    transformer: httpRouteTransformer,
    component: component("web", {
      resources: [],
      traits: [T.httpRoute],
      spec: { httpRoute: { gatewayRef: { name: "public" }, rules: [{ backendPort: 8080 }] } },
    }),
  },
  {
    golden: "httproute-all-traits",
    transformer: httpRouteTransformer,
    component: component("web", {
      resources: [],
      traits: [T.httpRoute],
      spec: {
        httpRoute: {
          gatewayRef: { name: "public", namespace: "gateways" },
          hostnames: ["example.com", "www.example.com"],
          rules: [
            {
              backendPort: 8080,
              matches: [
                { path: { type: "Prefix", value: "/api" }, method: "GET" },
                { path: { type: "Exact", value: "/login" } },
                { path: { type: "RegularExpression", value: "/v[0-9]+/.*" } },
              ],
            },
            { backendPort: 9090, matches: [{ headers: [{ name: "x-debug", value: "1" }] }] },
          ],
        },
      },
    }),
  },
  {
    golden: "grpcroute-minimal",
    transformer: grpcRouteTransformer,
    component: component("api", {
      resources: [],
      traits: [T.grpcRoute],
      spec: { grpcRoute: { rules: [{ backendPort: 9090 }] } },
    }),
  },
  {
    golden: "grpcroute-all-traits",
    transformer: grpcRouteTransformer,
    component: component("api", {
      resources: [],
      traits: [T.grpcRoute],
      spec: {
        grpcRoute: {
          gatewayRef: { name: "internal", namespace: "gateways" },
          hostnames: ["grpc.example.com"],
          rules: [
            {
              backendPort: 9090,
              matches: [
                { service: "shop.v1.Cart", method: "Add" },
                { service: "shop.v1.Orders" },
                { headers: [{ name: "x-tenant", value: "a" }] },
              ],
            },
            { backendPort: 9091 },
          ],
        },
      },
    }),
  },
  {
    golden: "tcproute-minimal",
    transformer: tcpRouteTransformer,
    component: component("db", {
      resources: [],
      traits: [T.tcpRoute],
      spec: { tcpRoute: { rules: [{ backendPort: 5432 }] } },
    }),
  },
  {
    golden: "tcproute-all-traits",
    transformer: tcpRouteTransformer,
    component: component("db", {
      resources: [],
      traits: [T.tcpRoute],
      spec: {
        tcpRoute: {
          gatewayRef: { name: "tcp", namespace: "gateways" },
          rules: [{ backendPort: 5432 }, { backendPort: 5433 }],
        },
      },
    }),
  },
  {
    golden: "raw-objects-minimal",
    transformer: rawObjectsTransformer,
    component: component("extras", {
      resources: [C.rawObjects],
      spec: {
        rawObjects: { "app-settings": { apiVersion: "v1", kind: "ConfigMap", data: { mode: "fast" } } },
      },
    }),
  },
  {
    golden: "raw-objects-all-traits",
    transformer: rawObjectsTransformer,
    component: component("extras", {
      resources: [C.rawObjects],
      spec: {
        rawObjects: {
          // The key names the object unless metadata.name does; the release's labels win.
          reader: {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "Role",
            metadata: {
              name: "config-reader",
              labels: { team: "platform", "app.kubernetes.io/managed-by": "someone-else" },
              annotations: { "example.com/owner": "platform" },
            },
            rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }],
          },
          "deny-all": {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            spec: { podSelector: {}, policyTypes: ["Ingress"] },
          },
        },
      },
    }),
  },
  {
    golden: "patches-minimal",
    transformer: patchesTransformer,
    component: component("web", {
      resources: [C.container],
      traits: [T.patches],
      workloadType: "stateless",
      spec: {
        container: minimalContainer,
        patches: [
          { target: { kind: "Deployment", name: "web" }, patch: { spec: { revisionHistoryLimit: 3 } } },
        ],
      },
    }),
  },
  {
    golden: "patches-all-traits",
    transformer: patchesTransformer,
    component: component("web", {
      resources: [C.container, C.volumes],
      traits: [T.patches, T.expose],
      workloadType: "stateless",
      spec: {
        container: {
          ...minimalContainer,
          ports: { http: { targetPort: 8080 } },
          env: { MODE: { value: "a" } },
        },
        volumes: { cache: { emptyDir: {} }, scratch: { emptyDir: {} } },
        expose: { ports: { http: { targetPort: 8080, exposedPort: 80 } } },
        patches: [
          {
            // Strategic: containers and env merge by name, a volume is deleted, a sidecar added.
            target: { kind: "Deployment", name: "web", apiVersion: "apps/v1" },
            type: "strategic",
            patch: {
              spec: {
                template: {
                  spec: {
                    containers: [
                      { name: "app", env: [{ name: "EXTRA", value: "1" }] },
                      { name: "proxy", image: "envoyproxy/envoy:v1.31.0" },
                    ],
                    volumes: [{ name: "scratch", $patch: "delete" }],
                    dnsPolicy: "ClusterFirst",
                  },
                },
              },
            },
          },
          {
            target: { kind: "Service", name: "web" },
            type: "merge",
            patch: {
              metadata: { annotations: { "example.com/lb": "internal" } },
              spec: { sessionAffinity: "ClientIP" },
            },
          },
          {
            target: { kind: "Deployment", name: "web" },
            type: "json",
            patch: [
              { op: "add", path: "/spec/minReadySeconds", value: 5 },
              { op: "replace", path: "/spec/template/spec/containers/0/imagePullPolicy", value: "Always" },
            ],
          },
        ],
      },
    }),
  },
];
