// One model, two authoring languages: each example written in CUE (<name>/cue, for the
// upstream v0 catalog) and in TS (<name>.opm.ts) must render to the same objects. The CUE side
// is evaluated by our CUE engine with the TS side's validated values filled into `#config`; its
// components become IR with the catalog's definitions looked up by FQN. A blueprint is kept on
// the component, so the sdk re-expands it in TS and must agree with what CUE computed.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCueEngine, type CueEngine, type JsonValue } from "../bridge/index.ts";
import { catalogOverlay, OVERLAY_ROOT } from "../bridge/codegen/extract.ts";
import { readCatalogSources } from "../bridge/codegen/node-io.ts";
import * as catalog from "../catalog/index.ts";
import { kubernetesProvider } from "../providers/kubernetes/index.ts";
import {
  brand,
  render,
  type BlueprintDef,
  type Component,
  type Module,
  type ResourceDef,
  type TraitDef,
} from "../sdk/index.ts";
import { EXAMPLES, renderExample, toYamlStream } from "./render-example.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** The catalog's definitions by FQN, as a CUE-to-IR loader would find them. */
type Definition = ResourceDef | TraitDef | BlueprintDef;
const byFqn = new Map<string, Definition>(
  Object.values(catalog as Record<string, unknown>)
    .filter((x): x is Definition => {
      const kind = (x as { kind?: unknown } | undefined)?.kind;
      return kind === "Resource" || kind === "Trait" || kind === "Blueprint";
    })
    .map((d) => [d.metadata.fqn, d]),
);

describe("examples in CUE and in TS render the same objects", () => {
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

  for (const name of EXAMPLES) {
    it(name, async () => {
      const dir = join(here, name);
      const cueDir = join(dir, "cue");
      const cueFiles = (await readdir(cueDir).catch(() => [] as string[])).filter((f) => f.endsWith(".cue"));
      if (cueFiles.length === 0) return;
      const ts = await renderExample(dir, name, cacheDir);
      expect(ts.errors).toEqual([]);
      const rootFiles: Record<string, string> = {};
      for (const file of cueFiles) rootFiles[file] = await readFile(join(cueDir, file), "utf8");
      const cue = await render({
        module: await cueModule(engine, rootFiles, ts.values),
        provider: kubernetesProvider,
      });
      expect(cue.errors.map((e) => e.message)).toEqual([]);
      expect(toYamlStream(cue)).toBe(toYamlStream(ts));
    });
  }
});

/** Evaluates a CUE module with the values and turns it into the IR (a stand-in for the bridge's loader). */
async function cueModule(
  engine: CueEngine,
  rootFiles: Record<string, string>,
  values: unknown,
): Promise<Module> {
  const overlay = catalogOverlay(await readCatalogSources(), rootFiles);
  const loaded = await engine.load({ dir: OVERLAY_ROOT, overlay });
  const module = await engine.fill(loaded.value, "#config", { json: values as JsonValue });
  const components: Record<string, Component> = {};
  for (const field of await engine.fields(module, { path: "#components" })) {
    const at = `#components."${field.name}"`;
    const exported = (await engine.export(module, { path: at })) as {
      metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
      spec: Record<string, unknown>;
    };
    const defs = async (kind: "#resources" | "#traits" | "#blueprints") => {
      if ((await engine.lookup(module, `${at}.${kind}`)) === undefined) return {};
      const fields = await engine.fields(module, { path: `${at}.${kind}` });
      return Object.fromEntries(fields.map((f) => [f.name, byFqn.get(f.name)!]));
    };
    components[field.name] = brand("Component", {
      kind: "Component",
      metadata: exported.metadata,
      resources: (await defs("#resources")) as Record<string, ResourceDef>,
      traits: (await defs("#traits")) as Record<string, TraitDef>,
      blueprints: (await defs("#blueprints")) as Record<string, BlueprintDef>,
      spec: exported.spec,
    });
  }
  const metadata = (await engine.export(module, { path: "metadata" })) as unknown as Module["metadata"];
  return brand("Module", {
    kind: "Module",
    metadata: { ...metadata, annotations: {} },
    components,
    policies: {},
    values: {},
  });
}
