// Golden tests: every transformer renders a minimal and an all-traits component through the
// real pipeline; the output must equal testdata/golden/<case>.yaml byte for byte. Every object
// must also pass the real kube-apiserver's server-side dry run.
// Update with: UPDATE_GOLDEN=1 npx vitest run providers/kubernetes
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { formatManifests, render, type PlatformObject } from "../../sdk/index.ts";
import { installExternalSecretsCrd } from "../../testenv/external-secrets-crd.ts";
import { kubeRequest } from "../../testenv/kube-client.ts";
import { expectGolden } from "../../test/golden.ts";
import { cases, type Case } from "./__tests__/cases.ts";
import { testModule } from "./__tests__/fixtures.ts";
import { kubernetesProvider } from "./provider.ts";
import { installGatewayApiCrds } from "./__tests__/gateway-crds.ts";
import { PREFIXED_GOLDEN, renderPrefixed } from "./__tests__/prefixed.ts";

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), "testdata", "golden");

async function renderObjects(c: Case, namespace: string): Promise<PlatformObject[]> {
  const module = testModule("demo", { [c.component.metadata.name]: c.component });
  const result = await render({ module, provider: kubernetesProvider, namespace });
  expect(result.errors.map(String)).toEqual([]);
  // A patch's work shows in the objects it patched.
  const objects = result.resources
    .filter((r) => r.transformer === c.transformer.metadata.fqn || r.patches !== undefined)
    .map((r) => r.object);
  expect(objects.length).toBeGreaterThan(0);
  return objects;
}

/** The output of one transformer for one component, as a YAML stream. */
async function renderCase(c: Case): Promise<string> {
  return formatManifests(await renderObjects(c, "apps"));
}

describe("kubernetes transformers (golden)", () => {
  it("covers all 18 transformers with a minimal and an all-traits case", () => {
    const covered = new Set(cases.map((c) => c.transformer.metadata.fqn));
    expect([...covered].sort()).toEqual(Object.keys(kubernetesProvider.transformers).sort());
    expect(covered.size).toBe(18);
    for (const kind of ["minimal", "all-traits"]) {
      expect(cases.filter((c) => c.golden.endsWith(`-${kind}`))).toHaveLength(18);
    }
  });

  for (const c of cases) {
    it(c.golden, async () => {
      const actual = await renderCase(c);
      const file = join(GOLDEN_DIR, `${c.golden}.yaml`);
      expectGolden(actual, file);
      // Byte-identical across runs.
      expect(await renderCase(c)).toBe(actual);
    });
  }

  it("reports no unhandled traits for the all-traits workloads", async () => {
    for (const c of cases.filter((x) => x.golden.endsWith("all-traits"))) {
      const module = testModule("demo", { [c.component.metadata.name]: c.component });
      const result = await render({ module, provider: kubernetesProvider, namespace: "apps", strict: true });
      expect(result.errors.map(String)).toEqual([]);
    }
  });
});

const PLURALS: Readonly<Record<string, string>> = {
  Deployment: "deployments",
  StatefulSet: "statefulsets",
  DaemonSet: "daemonsets",
  Job: "jobs",
  CronJob: "cronjobs",
  Service: "services",
  PersistentVolumeClaim: "persistentvolumeclaims",
  ConfigMap: "configmaps",
  Secret: "secrets",
  ServiceAccount: "serviceaccounts",
  HorizontalPodAutoscaler: "horizontalpodautoscalers",
  Ingress: "ingresses",
  PodDisruptionBudget: "poddisruptionbudgets",
  HTTPRoute: "httproutes",
  GRPCRoute: "grpcroutes",
  TCPRoute: "tcproutes",
  Role: "roles",
  NetworkPolicy: "networkpolicies",
  ExternalSecret: "externalsecrets",
};

describe("kubernetes transformers (server-side dry run)", () => {
  const kubeconfig = () => inject("kubeconfig");
  const namespace = `golden-${randomBytes(3).toString("hex")}`;
  beforeAll(async () => {
    const res = await kubeRequest(kubeconfig(), "POST", "/api/v1/namespaces", {
      metadata: { name: namespace },
    });
    expect(res.status).toBe(201);
    await installGatewayApiCrds(kubeconfig());
    await installExternalSecretsCrd(kubeconfig());
  }, 60_000);

  for (const c of cases) {
    it(`${c.golden} is accepted by kube-apiserver`, async () => {
      for (const object of await renderObjects(c, namespace)) {
        const base = object.apiVersion.includes("/")
          ? `/apis/${object.apiVersion}`
          : `/api/${object.apiVersion}`;
        const path = `${base}/namespaces/${namespace}/${PLURALS[object.kind]}/${object.metadata?.name}`;
        const res = await kubeRequest<{ message?: string }>(
          kubeconfig(),
          "PATCH",
          `${path}?fieldManager=opm&dryRun=All&fieldValidation=Strict`,
          object,
          "application/apply-patch+yaml",
        );
        expect({ kind: object.kind, status: res.status, message: res.body?.message }).toEqual({
          kind: object.kind,
          status: 201,
          message: undefined,
        });
      }
    });
  }
});

describe("release-prefixed naming", () => {
  it("renders every all-traits case as testdata/golden/release-prefixed.yaml", async () => {
    const actual = await renderPrefixed(kubernetesProvider);
    const file = join(GOLDEN_DIR, `${PREFIXED_GOLDEN}.yaml`);
    expectGolden(actual, file);
    // Every object name is the release's, and so is the instance label.
    for (const [, name] of actual.matchAll(/^ {2}name: (\S+)$/gm)) expect(name).toMatch(/^blue-/);
    expect(actual).not.toMatch(/app\.kubernetes\.io\/instance: (?!blue$)/m);
  });

  it("prefixes every object name and every reference between objects", async () => {
    const web = cases.find((c) => c.golden === "deployment-all-traits")!.component;
    const module = testModule("demo", { web });
    const result = await render({
      module,
      provider: kubernetesProvider,
      name: "blue",
      naming: "release-prefixed",
    });
    expect(result.errors.map(String)).toEqual([]);
    const names = result.resources.map((r) => `${r.object.kind}/${r.object.metadata?.name}`);
    expect(names).toEqual([
      "ServiceAccount/blue-app-identity",
      "PersistentVolumeClaim/blue-data",
      "Deployment/blue-web",
    ]);
    const pod = (result.resources[2]!.object["spec"] as { template: { spec: Record<string, unknown> } })
      .template.spec;
    expect(pod["serviceAccountName"]).toBe("blue-app-identity");
    expect(pod["volumes"]).toEqual([
      { name: "cache", emptyDir: { medium: "Memory", sizeLimit: "256Mi" } },
      { name: "config", configMap: { name: "blue-config" } },
      { name: "creds", secret: { secretName: "blue-creds" } },
      { name: "data", persistentVolumeClaim: { claimName: "blue-data" } },
    ]);
  });
});
