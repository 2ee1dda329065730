// One model, two authoring languages: the jellyfin example written in CUE (jellyfin/cue, for
// the upstream v0 catalog) and in TS (jellyfin.opm.ts) must render to the same objects. The CUE
// side is evaluated by our CUE engine with the TS side's validated values filled into
// `#config`; its components become IR with the catalog's definitions looked up by FQN.
import { readFile } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCueEngine, type CueEngine, type JsonValue } from "../bridge/index.ts";
import { catalogOverlay, OVERLAY_ROOT } from "../bridge/codegen/extract.ts";
import { readCatalogSources } from "../bridge/codegen/node-io.ts";
import * as catalog from "../catalog/index.ts";
import { kubernetesProvider } from "../providers/kubernetes/index.ts";
import { brand, render, type Component, type Module, type ResourceDef, type TraitDef } from "../sdk/index.ts";
import { renderExample, toYamlStream } from "./render-example.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** The catalog's definitions by FQN, as a CUE-to-IR loader would find them. */
const byFqn = new Map<string, ResourceDef | TraitDef>(
  Object.values(catalog as Record<string, unknown>)
    .filter((x): x is ResourceDef | TraitDef => {
      const kind = (x as { kind?: unknown } | undefined)?.kind;
      return kind === "Resource" || kind === "Trait";
    })
    .map((d) => [d.metadata.fqn, d]),
);

describe("jellyfin in CUE and in TS render the same objects", () => {
  let engine: CueEngine;
  let cacheDir: string;

  beforeAll(async () => {
    engine = createCueEngine();
    cacheDir = await mkdtemp(join(tmpdir(), "opm-parity-"));
  });
  afterAll(async () => {
    await engine.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("with the example's values", async () => {
    const ts = await renderExample(join(here, "jellyfin"), "jellyfin", cacheDir);
    expect(ts.errors).toEqual([]);

    const source = await readFile(join(here, "jellyfin", "cue", "jellyfin.cue"), "utf8");
    const overlay = catalogOverlay(await readCatalogSources(), { "jellyfin.cue": source });
    const loaded = await engine.load({ dir: OVERLAY_ROOT, overlay });
    const module = await engine.fill(loaded.value, "#config", { json: ts.values as JsonValue });
    const components: Record<string, Component> = {};
    for (const field of await engine.fields(module, { path: "#components" })) {
      const at = `#components."${field.name}"`;
      const exported = (await engine.export(module, { path: at })) as {
        metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
        spec: Record<string, unknown>;
      };
      const defs = async (kind: "#resources" | "#traits") =>
        Object.fromEntries(
          (await engine.fields(module, { path: `${at}.${kind}` })).map((f) => [f.name, byFqn.get(f.name)!]),
        );
      components[field.name] = brand("Component", {
        kind: "Component",
        metadata: exported.metadata,
        resources: (await defs("#resources")) as Record<string, ResourceDef>,
        traits: (await defs("#traits")) as Record<string, TraitDef>,
        blueprints: {},
        spec: exported.spec,
      });
    }
    const metadata = (await engine.export(module, { path: "metadata" })) as unknown as Module["metadata"];
    const cueModule: Module = brand("Module", {
      kind: "Module",
      metadata: { ...metadata, annotations: {} },
      components,
      policies: {},
      values: {},
    });
    const cue = await render({ module: cueModule, provider: kubernetesProvider });
    expect(cue.errors).toEqual([]);
    expect(toYamlStream(cue)).toBe(toYamlStream(ts));
  });
});
