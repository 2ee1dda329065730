// Type tests: every catalog builder accepts exactly the fields of its CUE schema, so an editor
// completes every catalog field. Checked by `npx tsc -p tsconfig.json` (and `vitest --typecheck`).
import { describe, expectTypeOf, it } from "vitest";
import {
  type ConfigMaps,
  Container,
  type CronJobConfig,
  type DaemonWorkload,
  type DisruptionBudget,
  type Encryption,
  type Expose,
  type GracefulShutdown,
  type GrpcRoute,
  type HealthCheck,
  type HttpRoute,
  type InitContainers,
  type JobConfig,
  type Placement,
  RestartPolicy,
  Scaling,
  type ScheduledTaskWorkload,
  type Secrets,
  type SecurityContext,
  type SidecarContainers,
  type SimpleDatabase,
  type Sizing,
  type StandaloneWorkloadIdentity,
  type StatefulWorkload,
  type StatelessWorkload,
  type TaskWorkload,
  type TcpRoute,
  type UpdateStrategy,
  type Volumes,
  type WorkloadIdentity,
  type ContainerSchema,
  type ContainerSpec,
  type ScalingSpec,
} from "./index.ts";

/** The spec a builder takes. */
type Input<B> = B extends (spec: infer S) => unknown ? S : never;
/** Keys of every member of a union (for specs that are unions of shapes). */
type AllKeys<T> = T extends unknown ? keyof T : never;

describe("catalog builders accept exactly their CUE fields", () => {
  it("resources", () => {
    expectTypeOf<keyof Input<typeof Container>>().toEqualTypeOf<
      | "args"
      | "command"
      | "env"
      | "envFrom"
      | "image"
      | "imagePullPolicy"
      | "livenessProbe"
      | "name"
      | "ports"
      | "readinessProbe"
      | "resources"
      | "startupProbe"
      | "volumeMounts"
    >();
    expectTypeOf<keyof Input<typeof StandaloneWorkloadIdentity>>().toEqualTypeOf<"automountToken" | "name">();
    type Volume = Input<typeof Volumes>[string];
    expectTypeOf<keyof Volume>().toEqualTypeOf<
      "configMap" | "emptyDir" | "name" | "persistentClaim" | "secret"
    >();
    expectTypeOf<keyof Input<typeof ConfigMaps>[string]>().toEqualTypeOf<"data" | "immutable">();
    expectTypeOf<keyof Input<typeof Secrets>[string]>().toEqualTypeOf<"data" | "immutable" | "type">();
  });

  it("workload traits", () => {
    expectTypeOf<keyof Input<typeof Scaling>>().toEqualTypeOf<"auto" | "count">();
    expectTypeOf<Input<typeof RestartPolicy>>().toEqualTypeOf<"Always" | "OnFailure" | "Never">();
    expectTypeOf<keyof Input<typeof UpdateStrategy>>().toEqualTypeOf<"rollingUpdate" | "type">();
    expectTypeOf<keyof Input<typeof HealthCheck>>().toEqualTypeOf<
      "livenessProbe" | "readinessProbe" | "startupProbe"
    >();
    expectTypeOf<Input<typeof SidecarContainers>>().toEqualTypeOf<readonly ContainerSchema[]>();
    expectTypeOf<Input<typeof InitContainers>>().toEqualTypeOf<readonly ContainerSchema[]>();
    expectTypeOf<keyof Input<typeof JobConfig>>().toEqualTypeOf<
      "activeDeadlineSeconds" | "backoffLimit" | "completions" | "parallelism" | "ttlSecondsAfterFinished"
    >();
    expectTypeOf<keyof Input<typeof CronJobConfig>>().toEqualTypeOf<
      | "concurrencyPolicy"
      | "failedJobsHistoryLimit"
      | "scheduleCron"
      | "startingDeadlineSeconds"
      | "successfulJobsHistoryLimit"
    >();
    expectTypeOf<keyof Input<typeof Sizing>>().toEqualTypeOf<"auto" | "cpu" | "memory">();
    expectTypeOf<AllKeys<Input<typeof DisruptionBudget>>>().toEqualTypeOf<
      "maxUnavailable" | "minAvailable"
    >();
    expectTypeOf<keyof Input<typeof GracefulShutdown>>().toEqualTypeOf<
      "preStopCommand" | "terminationGracePeriodSeconds"
    >();
    expectTypeOf<keyof Input<typeof Placement>>().toEqualTypeOf<
      "platformOverrides" | "requirements" | "spreadAcross"
    >();
  });

  it("network and security traits", () => {
    expectTypeOf<keyof Input<typeof Expose>>().toEqualTypeOf<"ports" | "type">();
    expectTypeOf<keyof Input<typeof HttpRoute>>().toEqualTypeOf<
      "gatewayRef" | "hostnames" | "ingressClassName" | "rules" | "tls"
    >();
    expectTypeOf<keyof Input<typeof GrpcRoute>>().toEqualTypeOf<
      "gatewayRef" | "hostnames" | "ingressClassName" | "rules" | "tls"
    >();
    expectTypeOf<keyof Input<typeof TcpRoute>>().toEqualTypeOf<
      "gatewayRef" | "ingressClassName" | "rules" | "tls"
    >();
    expectTypeOf<keyof Input<typeof SecurityContext>>().toEqualTypeOf<
      | "allowPrivilegeEscalation"
      | "capabilities"
      | "readOnlyRootFilesystem"
      | "runAsGroup"
      | "runAsNonRoot"
      | "runAsUser"
    >();
    expectTypeOf<keyof Input<typeof WorkloadIdentity>>().toEqualTypeOf<"automountToken" | "name">();
    expectTypeOf<keyof Input<typeof Encryption>>().toEqualTypeOf<"atRest" | "inTransit">();
  });

  it("blueprints", () => {
    expectTypeOf<keyof Input<typeof StatelessWorkload>>().toEqualTypeOf<
      | "container"
      | "healthCheck"
      | "initContainers"
      | "restartPolicy"
      | "scaling"
      | "sidecarContainers"
      | "updateStrategy"
    >();
    expectTypeOf<keyof Input<typeof StatefulWorkload>>().toEqualTypeOf<
      | "container"
      | "healthCheck"
      | "initContainers"
      | "restartPolicy"
      | "scaling"
      | "serviceName"
      | "sidecarContainers"
      | "updateStrategy"
      | "volumes"
    >();
    expectTypeOf<keyof Input<typeof DaemonWorkload>>().toEqualTypeOf<
      | "container"
      | "healthCheck"
      | "initContainers"
      | "restartPolicy"
      | "sidecarContainers"
      | "updateStrategy"
    >();
    expectTypeOf<keyof Input<typeof TaskWorkload>>().toEqualTypeOf<
      "container" | "initContainers" | "jobConfig" | "restartPolicy" | "sidecarContainers"
    >();
    expectTypeOf<keyof Input<typeof ScheduledTaskWorkload>>().toEqualTypeOf<
      "container" | "cronJobConfig" | "initContainers" | "restartPolicy" | "sidecarContainers"
    >();
    expectTypeOf<keyof Input<typeof SimpleDatabase>>().toEqualTypeOf<
      "dbName" | "engine" | "password" | "persistence" | "username" | "version"
    >();
  });
});

describe("catalog builders check values", () => {
  it("narrow enums and literal shapes", () => {
    expectTypeOf<Input<typeof Container>["imagePullPolicy"]>().toEqualTypeOf<
      "IfNotPresent" | "Always" | "Never" | undefined
    >();
    expectTypeOf<Input<typeof Expose>["type"]>().toEqualTypeOf<
      "ClusterIP" | "NodePort" | "LoadBalancer" | undefined
    >();
    expectTypeOf<Input<typeof SimpleDatabase>["engine"]>().toEqualTypeOf<
      "postgres" | "mysql" | "mongodb" | "redis"
    >();
  });

  it("let map entries take their name from the key, and reject unknown fields and wrong types", () => {
    Container({
      name: "web",
      image: "nginx",
      ports: { http: { targetPort: 80 } },
      env: { A: { value: "1" } },
    });
    // @ts-expect-error image is required
    Container({ name: "web" });
    // @ts-expect-error no such field
    Container({ name: "web", image: "nginx", replicas: 2 });
    // @ts-expect-error count is a number
    Scaling({ count: "2" });
    // @ts-expect-error not a restart policy
    RestartPolicy("Sometimes");
  });

  it("type each part's spec under its key", () => {
    expectTypeOf(Container({ name: "a", image: "b" }).spec).toEqualTypeOf<{ container: ContainerSpec }>();
    expectTypeOf(Scaling({ count: 1 }).spec).toEqualTypeOf<{ scaling: ScalingSpec }>();
  });
});
