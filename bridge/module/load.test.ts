// Loading CUE modules into the IR: modules importing our catalog from a real OCI registry (the
// shared test registry, catalog published in CUE's layout), values layered as on the TS path
// and checked by `#config` with positioned errors, and components made concrete or reported.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { kubernetesProvider } from "../../providers/kubernetes/index.ts";
import { moduleIdentity, releaseIdentity, render, type Component } from "../../sdk/index.ts";
import { ensureEngineBuilt } from "../__tests__/support.ts";
import { createCueEngine } from "../create.ts";
import type { CueEngine } from "../engine.ts";
import { catalogRegistry, publishCatalog } from "./__tests__/catalog-registry.ts";
import { loadCueModule } from "./load.ts";
import { cueValuesSource } from "./values.ts";

const UPSTREAM = fileURLToPath(new URL("../testdata/upstream/", import.meta.url));
const TESTDATA = fileURLToPath(new URL("./testdata/", import.meta.url));

let engine: CueEngine;
let registry: string;
let cacheDir: string;

beforeAll(async () => {
  ensureEngineBuilt();
  registry = catalogRegistry(inject("registry"));
  await publishCatalog(`http://${inject("registry")}`);
  cacheDir = mkdtempSync(join(tmpdir(), "opm-cue-module-cache-"));
  engine = createCueEngine({ cacheDir });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

const load = (dir: string) => loadCueModule(dir, { engine, registry });

describe("loadCueModule", () => {
  it("reads metadata and identities, and components with their definitions", async () => {
    const { module, close } = await load(join(UPSTREAM, "jellyfin"));
    try {
      const fqn = "example.com/modules@v0#Jellyfin";
      expect(module.metadata).toEqual({
        apiVersion: "example.com/modules@v0",
        name: "jellyfin",
        version: "1.0.0",
        fqn,
        identity: moduleIdentity(fqn, "1.0.0"),
        defaultNamespace: "media",
        description: "Jellyfin media server",
        labels: {
          "module.opmodel.dev/name": "jellyfin",
          "module.opmodel.dev/version": "1.0.0",
          "module.opmodel.dev/uuid": moduleIdentity(fqn, "1.0.0"),
        },
        annotations: {},
      });
      expect(module.values).toMatchObject({ port: 8096, config: { size: "10Gi" } });
      const checked = await module.config!.validate(module.values);
      expect(checked.issues).toEqual([]);
      const components = (await (module.components as (v: unknown) => Promise<Record<string, Component>>)(
        checked.value,
      )) as Record<string, Component>;
      const jellyfin = components["jellyfin"]!;
      expect(Object.keys(jellyfin.resources).sort()).toEqual([
        "opmodel.dev/resources/storage@v0#Volumes",
        "opmodel.dev/resources/workload@v0#Container",
      ]);
      expect(Object.keys(jellyfin.traits).sort()).toEqual([
        "opmodel.dev/traits/network@v0#Expose",
        "opmodel.dev/traits/workload@v0#HealthCheck",
        "opmodel.dev/traits/workload@v0#RestartPolicy",
        "opmodel.dev/traits/workload@v0#Scaling",
      ]);
      expect(jellyfin.traits["opmodel.dev/traits/network@v0#Expose"]).toMatchObject({
        kind: "Trait",
        specKey: "expose",
        appliesTo: ["opmodel.dev/resources/workload@v0#Container"],
      });
      expect(jellyfin.metadata.labels).toEqual({
        "component.opmodel.dev/name": "jellyfin",
        "core.opmodel.dev/workload-type": "stateful",
        "core.opmodel.dev/category": "workload",
      });
      expect(jellyfin.spec["container"]).toMatchObject({
        image: "jellyfin/jellyfin:10.10.3",
        imagePullPolicy: "IfNotPresent",
      });
    } finally {
      await close();
    }
  });

  it("reads blueprints and policies, and finds a module that lives under a field", async () => {
    const shop = await load(join(UPSTREAM, "shop"));
    const platform = await load(join(UPSTREAM, "platform"));
    try {
      const result = await render({ module: shop.module, provider: kubernetesProvider });
      expect(result.errors.map(String)).toEqual([]);
      const api = result.matchPlan.components.find((c) => c.component === "api")!;
      expect(api.matched.map((f) => f.split("#")[1])).toEqual([
        "ConfigmapTransformer",
        "DeploymentTransformer",
        "HpaTransformer",
        "SecretTransformer",
        "ServiceTransformer",
      ]);
      expect(platform.module.metadata.name).toBe("platform");
      expect(platform.module.values).toMatchObject({ worker: { replicas: 2 } });
      // CUE policies are read with the values, as components are.
      const policies = platform.module.policies;
      if (typeof policies !== "function") throw new Error("CUE policies are not read with values");
      expect((await policies(platform.module.values))["isolation"]).toMatchObject({
        kind: "Policy",
        metadata: { name: "isolation" },
        appliesTo: { components: ["queue"] },
        spec: { networkRules: { "queue-only-from-worker": { denyAll: true } } },
        rules: {
          "opmodel.dev/policies/connectivity@v0#NetworkRules": {
            kind: "PolicyRule",
            specKey: "networkRules",
            enforcement: { mode: "deployment", onViolation: "block" },
          },
        },
      });
    } finally {
      await shop.close();
      await platform.close();
    }
  });

  it("layers values as the TS path does: module values, -f files in order, then --set", async () => {
    const dir = join(UPSTREAM, "jellyfin");
    const { module, close } = await load(dir);
    try {
      const result = await render({
        module,
        provider: kubernetesProvider,
        values: [
          { name: "values.yaml", text: readFileSync(join(dir, "values.yaml"), "utf8") },
          { name: "second.yaml", text: "timezone: UTC\nconfig:\n  size: 30Gi\n" },
        ],
        set: ["port=9000"],
        namespace: "tv",
      });
      expect(result.errors.map(String)).toEqual([]);
      expect(result.release?.identity).toBe(releaseIdentity(module.metadata.fqn, "jellyfin", "tv"));
      expect(result.values).toMatchObject({
        port: 9000,
        timezone: "UTC",
        config: { size: "30Gi", storageClass: "fast-ssd" },
        media: { movies: {}, shows: {}, music: { size: "200Gi" } },
      });
      const names = result.resources.map((r) => `${r.object.kind}/${r.object.metadata?.name}`);
      expect(names).toContain("PersistentVolumeClaim/media-music");
      const service = result.resources.find((r) => r.object.kind === "Service")!.object as unknown as {
        spec: { ports: { targetPort: number }[] };
      };
      expect(service.spec.ports[0]?.targetPort).toBe(9000);
    } finally {
      await close();
    }
  });

  it("reports a wrong type, an unknown key and a missing value, each at the values file and #config", async () => {
    const dir = join(TESTDATA, "bad-values");
    const { module, close } = await load(dir);
    try {
      const result = await render({
        module,
        provider: kubernetesProvider,
        values: [{ name: "bad.yaml", text: readFileSync(join(dir, "bad.yaml"), "utf8") }],
      });
      expect(result.resources).toEqual([]);
      expect(result.errors.map((e) => e.toJSON())).toEqual([
        {
          code: "OPM2001",
          message:
            'values.port: conflicting values int and "eighty" (mismatched types int and string) (constrained by #config at module.cue:18:12)',
          locations: [{ file: "bad.yaml", line: 2, column: 7 }],
          details: { path: ["port"] },
        },
        {
          code: "OPM2001",
          message: "values.colour: field not allowed (constrained by #config at module.cue:16:10)",
          locations: [{ file: "bad.yaml", line: 4, column: 9 }],
          details: { path: ["colour"] },
        },
        {
          code: "OPM2001",
          message:
            "values.image: field is required but not present (constrained by #config at module.cue:17:2)",
          locations: [{ file: "bad.yaml", line: 2, column: 1 }],
          details: { path: ["image"] },
        },
      ]);
    } finally {
      await close();
    }
  });

  it("layers CUE values files too, with errors at their line and column", async () => {
    const dir = join(TESTDATA, "bad-values");
    const { module, close } = await load(dir);
    try {
      const bad = await cueValuesSource(engine, {
        name: "bad.cue",
        text: readFileSync(join(TESTDATA, "bad-values.cue"), "utf8"),
      });
      const result = await render({ module, provider: kubernetesProvider, values: [bad] });
      expect(result.errors.map((e) => [e.message.split(" (")[0], e.location])).toEqual([
        ['values.port: conflicting values int and "eighty"', { file: "bad.cue", line: 5, column: 10 }],
        ["values.colour: field not allowed", { file: "bad.cue", line: 6, column: 10 }],
        ["values.image: field is required but not present", { file: "bad.cue" }],
      ]);
      const good = await cueValuesSource(engine, {
        name: "good.cue",
        text: 'values: {image: "app:2", port: 8443}\n',
      });
      const fixed = await render({ module, provider: kubernetesProvider, values: [bad, good] });
      // good.cue wins for port and gives the image; the unknown key of bad.cue stays an error.
      expect(fixed.errors.map(String)).toEqual([
        "bad.cue:6:10: values.colour: field not allowed (constrained by #config at module.cue:16:10) [OPM2001]",
      ]);
    } finally {
      await close();
    }
  });

  it("names the component value that stays incomplete, at the author's line", async () => {
    const { module, close } = await load(join(TESTDATA, "incomplete"));
    try {
      const result = await render({ module, provider: kubernetesProvider });
      expect(result.errors.map((e) => e.code)).toEqual(["OPM3005"]);
      expect(result.errors[0]?.message).toContain(
        "module.cue:25:10: component app: spec.container.image: invalid interpolation: cannot reference optional field: tag",
      );
      const fixed = await render({ module, provider: kubernetesProvider, set: ["tag=v1"] });
      expect(fixed.errors.map(String)).toEqual([]);
      expect(JSON.stringify(fixed.resources[0]?.object)).toContain("registry.example.com/app:v1");
    } finally {
      await close();
    }
  });

  it("takes of values written as #config & {...} what the author wrote; #config adds its defaults at the check", async () => {
    const moduleCue = readFileSync(join(TESTDATA, "bad-values", "module.cue"), "utf8").replace(
      "values: port: 8080",
      "values: #config & {port: 8080}",
    );
    const { module, close } = await loadCueModule("/virtual/opm-partial-values", {
      engine,
      registry,
      overlay: {
        "cue.mod/module.cue": readFileSync(join(TESTDATA, "bad-values", "cue.mod", "module.cue"), "utf8"),
        "module.cue": moduleCue,
      },
    });
    try {
      expect(module.values).toEqual({ port: 8080 });
      const missing = await render({ module, provider: kubernetesProvider });
      expect(missing.errors.map((e) => e.message)).toEqual([
        "values.image: field is required but not present (constrained by #config at module.cue:17:2)",
      ]);
      const given = await render({ module, provider: kubernetesProvider, set: ["image=app:3"] });
      expect(given.errors.map(String)).toEqual([]);
    } finally {
      await close();
    }
  });

  it("leaves values_*.cue beside the module out of the package; values.cue stays", async () => {
    const read = (f: string) => readFileSync(join(TESTDATA, "bad-values", f), "utf8");
    const { module, excluded, close } = await loadCueModule("/virtual/opm-values-variants", {
      engine,
      registry,
      overlay: {
        "cue.mod/module.cue": read("cue.mod/module.cue"),
        "module.cue": read("module.cue").replace("values: port: 8080\n", ""),
        "values.cue": 'package badvalues\n\nvalues: {port: 8080, image: "app:1"}\n',
        // Alternative value sets: each alone conflicts with values.cue, one is not even CUE.
        "values_prod.cue": "package badvalues\n\nvalues: port: 443\n",
        "values-broken.cue": "package badvalues\n\nvalues: port: \n",
      },
    });
    try {
      expect(excluded).toEqual(["values-broken.cue", "values_prod.cue"]);
      expect(module.values).toEqual({ port: 8080, image: "app:1" });
      const result = await render({ module, provider: kubernetesProvider });
      expect(result.errors.map(String)).toEqual([]);
    } finally {
      await close();
    }
  });

  it("fails to load a package that is not a module, saying why", async () => {
    await expect(
      loadCueModule("/virtual/not-a-module", {
        engine,
        overlay: {
          "cue.mod/module.cue": 'module: "example.com/x@v0"\nlanguage: version: "v0.15.0"\n',
          "x.cue": "package x\n\nname: 1\n",
        },
      }),
    ).rejects.toThrow(/not a module: it has no metadata and #components/);
  });
});
