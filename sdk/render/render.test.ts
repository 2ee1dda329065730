// The pipeline end to end with small inline transformers: matching and its reasons, unmatched
// components, unhandled traits, output shapes, duplicates, ordering, naming, blueprints.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { Component } from "../ir/component.ts";
import type { BlueprintDef, ResourceDef } from "../ir/definitions.ts";
import {
  CONTAINER,
  comp,
  EXPOSE,
  EXTRA,
  mod,
  obj,
  provider,
  res,
  trait,
  transformer,
  WT,
} from "./__tests__/fixtures.ts";
import { plan, render } from "./render.ts";

describe("render", () => {
  it("matches, transforms and orders by weight, group, kind, namespace, name", async () => {
    const result = await render({
      module: mod({
        b: comp("b", { [WT]: "stateless" }, [EXPOSE]),
        a: comp("a", { [WT]: "stateless" }, [EXPOSE]),
      }),
      provider,
      namespace: "prod",
    });
    expect(result.errors).toEqual([]);
    expect(result.resources.map((r) => `${r.object.kind}/${r.object.metadata?.name}`)).toEqual([
      "Service/a",
      "Service/b",
      "Deployment/a",
      "Deployment/b",
    ]);
    expect(result.release?.namespace).toBe("prod");
    const plan = result.matchPlan.components.find((c) => c.component === "a")!;
    expect(plan.decisions.map((d) => d.reason)).toEqual([
      "Matched: requiredLabels[core.opmodel.dev/workload-type=stateless], requiredResources[example.com/res@v0#Container]",
      "Matched: requiredResources[example.com/res@v0#Container], requiredTraits[example.com/traits@v0#Expose]",
    ]);
    // Canonical key order: apiVersion, kind, metadata first; metadata name, namespace first.
    expect(Object.keys(result.resources[0]!.object)).toEqual(["apiVersion", "kind", "metadata"]);
    expect(Object.keys(result.resources[0]!.object.metadata!)).toEqual(["name", "namespace", "labels"]);
  });

  it("is byte-identical across runs", async () => {
    const run = async () =>
      stringify(
        (await render({ module: mod({ a: comp("a", { [WT]: "stateless" }, [EXPOSE]) }), provider }))
          .resources,
      );
    expect(await run()).toBe(await run());
  });

  it("reports an unmatched component with every transformer's requirements", async () => {
    const result = await render({ module: mod({ worker: comp("worker", { [WT]: "daemon" }) }), provider });
    expect(result.matchPlan.unmatched).toEqual(["worker"]);
    expect(result.errors.map((e) => e.code)).toEqual(["OPM3001"]);
    expect(result.errors[0]!.message).toBe(
      [
        "component worker: no matching transformer. Available transformers:",
        `  - example.com/t@v0#Deployment: requires requiredLabels[${WT}=stateless], requiredResources[${CONTAINER}] ` +
          `(Not matched: missing labels: ${WT} (expected "stateless", got "daemon"))`,
        `  - example.com/t@v0#Service: requires requiredResources[${CONTAINER}], requiredTraits[${EXPOSE}] ` +
          `(Not matched: missing traits: ${EXPOSE})`,
      ].join("\n"),
    );
  });

  it("warns about unhandled traits, and fails on them with strict", async () => {
    const module = mod({ a: comp("a", { [WT]: "stateless" }, [EXTRA]) });
    const loose = await render({ module, provider });
    expect(loose.errors).toEqual([]);
    expect(loose.warnings.map((w) => w.message)).toEqual([`component a: unhandled trait ${EXTRA}`]);
    const strict = await render({ module, provider, strict: true });
    expect(strict.errors.map((e) => e.code)).toEqual(["OPM3002"]);
  });

  it("reports a duplicate output object naming both sources", async () => {
    const twice = transformer("twice", {
      requiredResources: [CONTAINER],
      transform: (_c, ctx) => ({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "shared", namespace: ctx.release.namespace },
      }),
    });
    const result = await render({
      module: mod({ a: comp("a", {}), b: comp("b", {}) }),
      provider: { ...provider, transformers: { [twice.metadata.fqn]: twice } },
    });
    expect(result.errors.map((e) => e.code)).toEqual(["OPM3003"]);
    expect(result.errors[0]!.message).toBe(
      "ConfigMap shared in namespace default is emitted twice: by transformer example.com/t@v0#Twice for component a " +
        "and by transformer example.com/t@v0#Twice for component b",
    );
    expect(result.resources).toHaveLength(1);
  });

  it("rejects invalid names before rendering", async () => {
    const result = await render({
      module: mod({ Bad_Name: comp("Bad_Name", {}) }),
      provider,
      namespace: "Prod",
    });
    expect(result.errors.map((e) => [e.code, e.message])).toEqual([
      ["OPM1001", 'namespace "Prod" is not a valid name'],
      ["OPM1001", 'component name "Bad_Name" is not a valid name'],
    ]);
    expect(result.resources).toEqual([]);
  });

  it("rejects a module version that is not SemVer (fuzz: it was accepted)", async () => {
    for (const version of ["1.0", "v1.0.0", "latest", "01.0.0", ""]) {
      const base = mod({ web: comp("web", { [WT]: "stateless" }) });
      const module = { ...base, metadata: { ...base.metadata, version } };
      const result = await render({ module, provider });
      expect(result.errors.map((e) => [e.code, e.message])).toEqual([
        ["OPM1002", `module version ${JSON.stringify(version)} is not a SemVer 2.0 version`],
      ]);
      expect(result.resources).toEqual([]);
    }
  });

  it("refuses components() that returns anything but a map of components (fuzz: 42 rendered as an empty module)", async () => {
    const base = mod({ web: comp("web", { [WT]: "stateless" }) });
    for (const [returned, why] of [
      [42, "components must be a map of name to component, got number"],
      [null, "components must be a map of name to component, got null"],
      [[], "components must be a map of name to component, got a list"],
      [
        { web: { kind: "Component" } },
        'components.web is not a component (got object without kind "Component")',
      ],
      [{ web: 7 }, 'components.web is not a component (got number without kind "Component")'],
    ] as const) {
      const module = { ...base, components: () => returned as never };
      const result = await render({ module, provider });
      expect(result.errors.map((e) => [e.code, e.message])).toEqual([
        ["OPM3005", `module ${base.metadata.name}: building components from values failed: ${why}`],
      ]);
      expect(result.resources).toEqual([]);
    }
    // A module may have no components at all: that renders nothing, without an error.
    expect((await render({ module: { ...base, components: () => ({}) }, provider })).errors).toEqual([]);
  });

  it("reports a config check that throws or returns junk as OPM2005 (fuzz: it was an internal error)", async () => {
    const base = mod({ web: comp("web", { [WT]: "stateless" }) });
    for (const [validate, why] of [
      [
        () => {
          throw "a string";
        },
        "a string",
      ],
      [() => 42, "it returned no list of issues"],
    ] as const) {
      const module = { ...base, config: { validate: validate as never } };
      const result = await render({ module, provider });
      expect(result.errors.map((e) => [e.code, e.message])).toEqual([
        ["OPM2005", `checking the values against the module's config failed: ${why}`],
      ]);
    }
  });

  it("reports a thrown value whose message cannot be read (fuzz: it was an internal error)", async () => {
    const base = mod({ web: comp("web", { [WT]: "stateless" }) });
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("proxy");
        },
      },
    );
    const module = {
      ...base,
      components: () => {
        throw hostile;
      },
    };
    const result = await render({ module, provider });
    expect(result.errors.map((e) => e.message)).toEqual([
      `module ${base.metadata.name}: building components from values failed: a thrown value that cannot be shown`,
    ]);
  });

  it("accepts map output, uses a matches predicate, and records transform failures", async () => {
    const maps = transformer("maps", {
      matches: (c) => ({ matched: c.metadata.name.startsWith("cfg"), reason: "name starts with cfg" }),
      transform: (_c, ctx) => ({
        two: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "two", namespace: ctx.release.namespace },
        },
        one: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "one", namespace: ctx.release.namespace },
        },
      }),
    });
    const broken = transformer("broken", {
      requiredLabels: { broken: "yes" },
      handledResources: [CONTAINER],
      transform: () => {
        throw new Error("boom");
      },
    });
    const result = await render({
      module: mod({ cfg: comp("cfg", { broken: "yes" }) }),
      provider: { ...provider, transformers: { [maps.metadata.fqn]: maps, [broken.metadata.fqn]: broken } },
    });
    expect(result.resources.map((r) => r.object.metadata?.name)).toEqual(["one", "two"]);
    expect(result.matchPlan.components[0]!.decisions.map((d) => [d.rule, d.reason])).toEqual([
      ["requirements", "Matched: requiredLabels[broken=yes]"],
      ["predicate", "Matched: predicate: name starts with cfg"],
    ]);
    expect(result.errors.map((e) => e.message)).toEqual([
      "component cfg, transformer example.com/t@v0#Broken: boom",
    ]);
  });

  it("prefixes object names with the release name when asked", async () => {
    const result = await render({
      module: mod({ a: comp("a", { [WT]: "stateless" }) }),
      provider,
      name: "blue",
      naming: "release-prefixed",
    });
    expect(result.resources.map((r) => r.object.metadata?.name)).toEqual(["blue-a"]);
  });

  it("expands blueprints: composed definitions, labels and specs reach the component", async () => {
    const blueprint: BlueprintDef = {
      kind: "Blueprint",
      metadata: {
        apiVersion: "example.com/bp@v0",
        name: "stateless-workload",
        fqn: "example.com/bp@v0#StatelessWorkload",
        labels: { [WT]: "stateless" },
      },
      specKey: "statelessWorkload",
      composedResources: { [CONTAINER]: res(CONTAINER, "container") },
      composedTraits: { [EXPOSE]: trait(EXPOSE, "expose") },
    };
    const seen: Component[] = [];
    const spy = transformer("spy", {
      requiredLabels: { [WT]: "stateless" },
      requiredResources: [CONTAINER],
      requiredTraits: [EXPOSE],
      transform: (c, ctx) => {
        seen.push(c);
        return obj("Deployment", c.metadata.name, ctx);
      },
    });
    const component: Component = {
      kind: "Component",
      metadata: { name: "web", labels: {}, annotations: {} },
      resources: {},
      traits: {},
      blueprints: { [blueprint.metadata.fqn]: blueprint },
      spec: { statelessWorkload: { container: { image: "nginx" }, expose: { ports: {} } } },
    };
    const result = await render({
      module: mod(() => ({ web: component })),
      provider: { ...provider, transformers: { [spy.metadata.fqn]: spy } },
    });
    expect(result.errors).toEqual([]);
    expect(seen[0]!.metadata.labels).toEqual({ [WT]: "stateless", "component.opmodel.dev/name": "web" });
    expect(seen[0]!.spec["container"]).toEqual({ image: "nginx" });
    expect(Object.keys(seen[0]!.traits)).toEqual([EXPOSE]);
  });

  it("validates values before building components from them", async () => {
    const module = mod((values) => ({ a: comp("a", { [WT]: String((values as { wt: string }).wt) }) }), {
      values: { wt: "stateless" },
      config: {
        validate: (v) => ({
          issues:
            typeof (v as { wt: unknown }).wt === "string"
              ? []
              : [{ path: ["wt"], message: "expected string" }],
        }),
      },
    });
    const good = await render({ module, provider });
    expect(good.resources.map((r) => r.object.kind)).toEqual(["Deployment"]);
    const bad = await render({ module, provider, values: [{ name: "v.yaml", text: "wt: 3\n" }] });
    expect(bad.errors.map(String)).toEqual(["v.yaml:1:5: values.wt: expected string [OPM2001]"]);
  });
});

describe("component spec checks", () => {
  it("rejects spec fields no definition owns, and reports schema issues of a definition", async () => {
    const checked: ResourceDef = {
      ...res(CONTAINER, "container"),
      schema: {
        validate: (v) =>
          typeof (v as { image?: unknown }).image === "string"
            ? []
            : [{ path: ["image"], message: "expected string" }],
      },
    };
    const component: Component = {
      ...comp("a", { [WT]: "stateless" }),
      resources: { [CONTAINER]: checked },
      spec: { container: { image: 3 }, replicas: 2 },
    };
    const result = await render({ module: mod({ a: component }), provider });
    expect(result.errors.map((e) => [e.code, e.message])).toEqual([
      [
        "OPM3007",
        "component a: spec.replicas is not allowed: no resource, trait or blueprint of the component uses it",
      ],
      ["OPM3008", "component a: spec.container.image: expected string"],
    ]);
  });
});

describe("label checks", () => {
  it("rejects a label value Kubernetes would refuse, naming the component", async () => {
    const result = await render({
      module: mod({ a: comp("a", { [WT]: "stateless", team: "a team" }) }),
      provider,
    });
    expect(result.errors.map((e) => [e.code, e.message])).toEqual([
      ["OPM1005", 'component a: label team: value "a team" is not a valid label value'],
    ]);
  });
});

describe("plan", () => {
  it("matches without running transformers", async () => {
    let ran = false;
    const watched = transformer("watched", {
      requiredResources: [CONTAINER],
      transform: () => {
        ran = true;
        return undefined;
      },
    });
    const result = await plan({
      module: mod({ a: comp("a", {}, [EXTRA]) }),
      provider: { ...provider, transformers: { [watched.metadata.fqn]: watched } },
    });
    expect(ran).toBe(false);
    expect(result.matchPlan.components.map((c) => [c.component, c.matched])).toEqual([
      ["a", [watched.metadata.fqn]],
    ]);
    expect(result.warnings.map((w) => w.code)).toEqual(["OPM3002"]);
    expect(result.release?.name).toBe("shop");
    expect("resources" in result).toBe(false);
  });
});
