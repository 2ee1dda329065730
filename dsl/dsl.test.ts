// The dsl builds the sdk IR the way the CUE core would: names, FQNs, identities, labels, merged
// specs; custom definitions, transformers and providers render end to end through sdk.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Container, Expose, Scaling, StatelessWorkload } from "../catalog/index.ts";
import { isComponent, isModule, moduleIdentity, OpmError, render, type Component } from "../sdk/index.ts";
import {
  component,
  defineModule,
  defineProvider,
  defineResource,
  defineTrait,
  defineTransformer,
  policy,
  rule,
  definePolicyRule,
  partOf,
  workloadType,
} from "./index.ts";

const web = () =>
  component(
    workloadType("stateless"),
    Container({ name: "web", image: "nginx:1.27", ports: { http: { targetPort: 80 } } }),
    Scaling({ count: 2 }),
    Expose({ type: "ClusterIP", ports: { http: { targetPort: 80 } } }),
  );

describe("component", () => {
  it("merges parts into one spec with definitions keyed by FQN", () => {
    const draft = web();
    expect(Object.keys(draft.spec).sort()).toEqual(["container", "expose", "scaling"]);
    expect(draft.parts).toHaveLength(4);
  });

  it("rejects a definition given twice", () => {
    expect(() => component(Scaling({ count: 1 }), Scaling({ count: 2 }))).toThrow(
      expect.objectContaining({ code: "OPM8001" }),
    );
    expect(() => component(Scaling({ count: 1 }), Scaling({ count: 2 }))).toThrow(OpmError);
  });
});

describe("defineModule", () => {
  const module = defineModule({
    metadata: {
      apiVersion: "example.com/modules@v0",
      name: "demo-app",
      version: "1.2.3",
      labels: { team: "a" },
    },
    config: z.object({ replicas: z.int().min(1) }),
    values: { replicas: 1 },
    components: (cfg) => ({
      web: component(
        { labels: { tier: "front" } },
        workloadType("stateless"),
        Container({ name: "web", image: "nginx" }),
        Scaling({ count: cfg.replicas }),
      ),
      api: component({ name: "backend" }, StatelessWorkload({ container: { name: "api", image: "api:1" } })),
    }),
    policies: {
      "web-only": policy(
        { appliesTo: { components: ["web"] } },
        rule(
          definePolicyRule({
            metadata: { apiVersion: "example.com/policies@v0", name: "max-replicas" },
            enforcement: { mode: "deployment", onViolation: "warn" },
            schema: z.object({ max: z.int() }),
          }),
          { max: 3 },
        ),
      ),
    },
  });

  it("computes the FQN, identity and module labels as the CUE core does", () => {
    expect(isModule(module)).toBe(true);
    expect(module.metadata.fqn).toBe("example.com/modules@v0#DemoApp");
    expect(module.metadata.identity).toBe(moduleIdentity("example.com/modules@v0#DemoApp", "1.2.3"));
    expect(module.metadata.labels).toEqual({
      team: "a",
      "module.opmodel.dev/name": "demo-app",
      "module.opmodel.dev/version": "1.2.3",
      "module.opmodel.dev/uuid": module.metadata.identity,
    });
  });

  it("names components after their key unless they name themselves", async () => {
    const factory = module.components as (v: unknown) => Record<string, Component>;
    const components = await factory({ replicas: 3 });
    expect(Object.keys(components).sort()).toEqual(["api", "web"]);
    expect(components["api"]!.metadata.name).toBe("backend");
    expect(isComponent(components["web"])).toBe(true);
    expect(components["web"]!.metadata.labels).toEqual({
      tier: "front",
      "core.opmodel.dev/workload-type": "stateless",
    });
    expect(components["web"]!.spec["scaling"]).toEqual({ count: 3 });
  });

  it("validates values with the zod config, reporting every issue", async () => {
    const check = await module.config!.validate({ replicas: 0, extra: true });
    // Values are closed like CUE's `values: close(#config)`: the unknown key is reported too.
    expect(check.issues.map((i) => [i.path.join("."), i.expected])).toEqual([
      ["replicas", ">= 1"],
      ["extra", "no such key in #config"],
    ]);
  });

  it("turns policies into the IR keyed by rule FQN", () => {
    // Static policies stay a map: only a function of the config is built with values.
    if (typeof module.policies === "function") throw new Error("static policies became a factory");
    const p = module.policies["web-only"]!;
    expect(p.metadata.name).toBe("web-only");
    expect(Object.keys(p.rules)).toEqual(["example.com/policies@v0#MaxReplicas"]);
    expect(p.spec).toEqual({ maxReplicas: { max: 3 } });
  });
});

describe("custom definitions, transformers and providers", () => {
  const Bucket = defineResource({
    metadata: { apiVersion: "example.com/resources/storage@v0", name: "object-bucket" },
    schema: z.object({ size: z.string(), public: z.boolean().optional() }),
  });
  const Versioning = defineTrait({
    metadata: { apiVersion: "example.com/traits@v0", name: "bucket-versioning" },
    appliesTo: [Bucket],
    schema: z.object({ enabled: z.boolean() }),
  });
  const bucketTransformer = defineTransformer({
    metadata: {
      apiVersion: "example.com/transformers@v0",
      name: "bucket-transformer",
      description: "a bucket claim",
    },
    requiredResources: [Bucket],
    optionalTraits: [Versioning],
    transform: (c, ctx) => ({
      apiVersion: "storage.example.com/v1",
      kind: "Bucket",
      metadata: {
        name: ctx.objectName(c.metadata.name),
        namespace: ctx.release.namespace,
        labels: ctx.labels,
      },
      spec: {
        ...(c.spec["objectBucket"] as object),
        versioning: c.spec["bucketVersioning"] ?? { enabled: false },
      },
    }),
  });
  const provider = defineProvider({
    metadata: { name: "example", description: "buckets", version: "0.1.0" },
    transformers: [bucketTransformer],
  });

  it("derive FQNs and spec keys from kebab-case names", () => {
    expect(Bucket.metadata.fqn).toBe("example.com/resources/storage@v0#ObjectBucket");
    expect(Bucket.specKey).toBe("objectBucket");
    expect(Versioning.appliesTo).toEqual(["example.com/resources/storage@v0#ObjectBucket"]);
    expect(Object.keys(provider.transformers)).toEqual(["example.com/transformers@v0#BucketTransformer"]);
  });

  it("render end to end through the sdk pipeline", async () => {
    const module = defineModule({
      metadata: { apiVersion: "example.com/modules@v0", name: "files", version: "0.1.0" },
      config: z.object({ size: z.string() }),
      values: { size: "10Gi" },
      components: (cfg) => ({
        media: component(
          { name: "media" },
          partOf(Bucket, { size: cfg.size }),
          partOf(Versioning, { enabled: true }),
        ),
      }),
    });
    const result = await render({ module, provider, namespace: "files" });
    expect(result.errors).toEqual([]);
    expect(result.resources.map((r) => r.object)).toEqual([
      {
        apiVersion: "storage.example.com/v1",
        kind: "Bucket",
        metadata: expect.objectContaining({ name: "media", namespace: "files" }),
        spec: { size: "10Gi", versioning: { enabled: true } },
      },
    ]);
  });
});
