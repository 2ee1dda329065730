// Every trait of the catalog rendered: a module authored the way users write it (dsl builders
// from the generated catalog, catalog defaults applied) whose components together carry every
// trait the catalog defines, rendered strictly (0 unhandled traits), and every object accepted
// by the real kube-apiserver's server-side dry run through the cluster side's own apply. The
// retired Encryption trait is the one exception, and attaching it is exactly one warning.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import catalogJson from "../../catalog/generated/catalog.json" with { type: "json" };
import {
  Container,
  CronJobConfig,
  DisruptionBudget,
  Encryption,
  Expose,
  GracefulShutdown,
  GrpcRoute,
  HealthCheck,
  HttpRoute,
  InitContainers,
  JobConfig,
  Patches,
  Placement,
  RestartPolicy,
  Scaling,
  SecurityContext,
  SidecarContainers,
  Sizing,
  TcpRoute,
  UpdateStrategy,
  Volumes,
  WorkloadIdentity,
} from "../../catalog/index.ts";
import { component, defineModule, workloadType } from "../../dsl/index.ts";
import { render } from "../../sdk/index.ts";
import { installGatewayApiCrds } from "./__tests__/gateway-crds.ts";
import { apply } from "./cluster/apply.ts";
import { freshNamespace, testClient } from "./cluster/__tests__/helpers.ts";
import { kubernetesProvider } from "./provider.ts";
import { TraitFqn } from "./spec.ts";

/** Traits the catalog keeps for upstream compatibility but no provider renders (see encryption.cue). */
const RETIRED = [TraitFqn.encryption];

const catalogTraits = catalogJson.packages
  .flatMap((p) => p.definitions as { kind: string; metadata: { fqn: string } }[])
  .filter((d) => d.kind === "Trait")
  .map((d) => d.metadata.fqn)
  .sort();

const app = { name: "app", image: "ghcr.io/example/app:1.2.3", ports: { http: { targetPort: 8080 } } };
// Each component its own identity: two components naming one ServiceAccount emit it twice (OPM3003).
const podTraits = (name: string, restart: "Always" | "OnFailure" = "Always") => [
  RestartPolicy(restart),
  Sizing({ cpu: { request: "100m", limit: "500m" }, memory: { request: "128Mi", limit: "256Mi" } }),
  SidecarContainers([{ name: "proxy", image: "envoyproxy/envoy:v1.30" }]),
  InitContainers([{ name: "init", image: "busybox:1.36", command: ["true"] }]),
  SecurityContext({ runAsNonRoot: true, runAsUser: 1000 }),
  WorkloadIdentity({ name: `${name}-identity` }),
  GracefulShutdown({ terminationGracePeriodSeconds: 20, preStopCommand: ["sleep", "5"] }),
  Placement({ spreadAcross: "zones", requirements: { "kubernetes.io/os": "linux" } }),
];

function allTraitsModule(extraWebParts: readonly unknown[] = []) {
  return defineModule({
    metadata: { apiVersion: "example.com/modules@v0", name: "everything", version: "1.0.0" },
    config: z.object({}),
    values: {},
    components: () => ({
      web: component(
        workloadType("stateless"),
        Container(app),
        Volumes({ cache: { name: "cache", emptyDir: {} } }),
        ...podTraits("web"),
        HealthCheck({ readinessProbe: { httpGet: { path: "/ready", port: 8080 } } }),
        Scaling({
          count: 2,
          auto: { min: 2, max: 5, metrics: [{ type: "cpu", target: { averageUtilization: 70 } }] },
        }),
        UpdateStrategy({ type: "RollingUpdate" }),
        DisruptionBudget({ minAvailable: 1 }),
        Expose({
          ports: { http: { targetPort: 8080 }, grpc: { targetPort: 9090 }, db: { targetPort: 5432 } },
        }),
        HttpRoute({ hostnames: ["web.example.com"], rules: [{ backendPort: 8080 }] }),
        GrpcRoute({ gatewayRef: { name: "internal" }, rules: [{ backendPort: 9090 }] }),
        TcpRoute({ gatewayRef: { name: "tcp" }, rules: [{ backendPort: 5432 }] }),
        Patches([{ target: { kind: "Deployment", name: "web" }, patch: { spec: { minReadySeconds: 5 } } }]),
        ...(extraWebParts as []),
      ),
      // An HTTP route that names a gateway becomes an HTTPRoute instead of an Ingress.
      edge: component(
        workloadType("stateless"),
        Container(app),
        Expose({ ports: { http: { targetPort: 8080 } } }),
        HttpRoute({
          gatewayRef: { name: "public" },
          rules: [{ backendPort: 8080, matches: [{ path: { value: "/" } }] }],
        }),
      ),
      migrate: component(
        workloadType("task"),
        Container(app),
        JobConfig({ backoffLimit: 2 }),
        ...podTraits("migrate", "OnFailure"),
      ),
      backup: component(
        workloadType("scheduled-task"),
        Container(app),
        CronJobConfig({ scheduleCron: "0 3 * * *" }),
        ...podTraits("backup", "OnFailure"),
      ),
    }),
  });
}

describe("every catalog trait", () => {
  it("is carried by the all-traits module, but the retired ones", async () => {
    const result = await render({
      module: allTraitsModule(),
      provider: kubernetesProvider,
      namespace: "apps",
    });
    expect(result.errors.map(String)).toEqual([]);
    const built = allTraitsModule().components;
    const components = typeof built === "function" ? await built({}) : built;
    const used = new Set(Object.values(components).flatMap((c) => Object.keys(c.traits)));
    expect([...used].sort()).toEqual(catalogTraits.filter((t) => !RETIRED.includes(t as never)));
    expect(catalogTraits).toEqual(expect.arrayContaining(RETIRED));
  });

  it("renders with 0 unhandled traits (strict) into every kind a trait maps to", async () => {
    const result = await render({
      module: allTraitsModule(),
      provider: kubernetesProvider,
      namespace: "apps",
      strict: true,
    });
    expect(result.errors.map(String)).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.matchPlan.components.flatMap((c) => c.unhandledTraits)).toEqual([]);
    const kinds = [...new Set(result.resources.map((r) => r.object.kind))].sort();
    expect(kinds).toEqual([
      "CronJob",
      "Deployment",
      "GRPCRoute",
      "HTTPRoute",
      "HorizontalPodAutoscaler",
      "Ingress",
      "Job",
      "PodDisruptionBudget",
      "Service",
      "ServiceAccount",
      "TCPRoute",
    ]);
    // A route naming a gateway is an HTTPRoute, and then not also an Ingress.
    expect(result.resources.filter((r) => r.component === "edge").map((r) => r.object.kind)).toEqual([
      "Service",
      "Deployment",
      "HTTPRoute",
    ]);
    const web = result.resources.find((r) => r.object.kind === "Deployment" && r.component === "web")!.object;
    const pod = (web["spec"] as { template: { spec: Record<string, unknown> } }).template.spec;
    expect(pod["terminationGracePeriodSeconds"]).toBe(20);
    expect(pod["nodeSelector"]).toEqual({ "kubernetes.io/os": "linux" });
    expect((pod["topologySpreadConstraints"] as { topologyKey: string }[])[0]!.topologyKey).toBe(
      "topology.kubernetes.io/zone",
    );
    expect((pod["containers"] as { lifecycle?: unknown }[])[0]!.lifecycle).toEqual({
      preStop: { exec: { command: ["sleep", "5"] } },
    });
  });

  it("warns once for the retired Encryption trait", async () => {
    const result = await render({
      module: allTraitsModule([Encryption({ atRest: true, inTransit: true })]),
      provider: kubernetesProvider,
      namespace: "apps",
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => [w.code, w.message])).toEqual([
      ["OPM3002", `component web: unhandled trait ${TraitFqn.encryption}`],
    ]);
  });
});

describe("every object of the all-traits module", () => {
  const client = testClient();
  beforeAll(() => installGatewayApiCrds(inject("kubeconfig")), 60_000);

  it("passes the real kube-apiserver's server-side dry run, and nothing is written", async () => {
    const namespace = await freshNamespace(client, "all-traits");
    const result = await render({
      module: allTraitsModule(),
      provider: kubernetesProvider,
      namespace,
      strict: true,
    });
    expect(result.errors.map(String)).toEqual([]);
    const applied = await apply(
      { release: result.release!, resources: result.resources },
      { client, dryRun: "server", wait: false },
    );
    expect(applied.objects.length).toBe(result.resources.length);
    const live = await client.json<{ items: unknown[] }>(
      "GET",
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      "deployments",
    );
    expect(live.items).toEqual([]);
  });
});
