// Golden tests of the examples: each renders (module defaults + its values*.yaml) to exactly
// examples/<name>/expected.yaml. Regenerate with UPDATE_GOLDEN=1 and review the diff by hand.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { installExternalSecretsCrd } from "../testenv/external-secrets-crd.ts";
import { kubeRequest } from "../testenv/kube-client.ts";
import { expectGolden } from "../test/golden.ts";
import { EXAMPLES, renderExample, toYamlStream } from "./render-example.ts";

const here = dirname(fileURLToPath(import.meta.url));
let cacheDir: string;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), "opm-examples-"));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe("examples render to their golden YAML", () => {
  for (const name of EXAMPLES) {
    it(name, async () => {
      const dir = join(here, name);
      const result = await renderExample(dir, name, cacheDir);
      expect(result.errors.map((e) => e.message)).toEqual([]);
      expect(result.warnings.map((w) => w.message)).toEqual([]);
      const yaml = toYamlStream(result);
      expectGolden(yaml, join(dir, "expected.yaml"));
    });
  }

  it("renders byte-identically twice, the second time from the loader cache", async () => {
    const dir = join(here, "jellyfin");
    const first = toYamlStream(await renderExample(dir, "jellyfin", cacheDir));
    const second = toYamlStream(await renderExample(dir, "jellyfin", cacheDir));
    expect(second).toBe(first);
  });
});

/** REST resource names of the kinds the examples render. */
const PLURALS: Readonly<Record<string, string>> = {
  ConfigMap: "configmaps",
  CronJob: "cronjobs",
  DaemonSet: "daemonsets",
  Deployment: "deployments",
  ExternalSecret: "externalsecrets",
  HorizontalPodAutoscaler: "horizontalpodautoscalers",
  Ingress: "ingresses",
  Job: "jobs",
  PersistentVolumeClaim: "persistentvolumeclaims",
  Secret: "secrets",
  Service: "services",
  ServiceAccount: "serviceaccounts",
  StatefulSet: "statefulsets",
};

describe("every object of every example passes kube-apiserver's server-side dry run", () => {
  const kubeconfig = () => inject("kubeconfig");
  const namespace = `examples-${randomBytes(3).toString("hex")}`;
  beforeAll(async () => {
    await installExternalSecretsCrd(kubeconfig());
    const res = await kubeRequest(kubeconfig(), "POST", "/api/v1/namespaces", {
      metadata: { name: namespace },
    });
    expect(res.status).toBe(201);
  });

  for (const name of EXAMPLES) {
    it(name, async () => {
      const result = await renderExample(join(here, name), name, cacheDir, namespace);
      expect(result.errors.map((e) => e.message)).toEqual([]);
      for (const { object } of result.resources) {
        const base = object.apiVersion.includes("/")
          ? `/apis/${object.apiVersion}`
          : `/api/${object.apiVersion}`;
        const plural = PLURALS[object.kind];
        expect(plural, `no plural for ${object.kind}`).toBeDefined();
        const path = `${base}/namespaces/${namespace}/${plural}/${object.metadata?.name}`;
        const res = await kubeRequest<{ message?: string }>(
          kubeconfig(),
          "PATCH",
          `${path}?fieldManager=opm&dryRun=All&fieldValidation=Strict`,
          object,
          "application/apply-patch+yaml",
        );
        expect({
          object: `${object.kind}/${object.metadata?.name}`,
          status: res.status,
          message: res.body?.message,
        }).toEqual({
          object: `${object.kind}/${object.metadata?.name}`,
          status: 201,
          message: undefined,
        });
      }
    });
  }
});
