// Upstream compatibility: modules written for the upstream v0 catalog (bridge/testdata/upstream:
// a jellyfin-like stateful module, a two-tier stateless shop, a multi-workload platform) load
// unchanged against our catalog from the registry and render, through the TS provider and
// through the CUE provider alike, to the golden `expected.yaml` beside each module.
// Update with: UPDATE_GOLDEN=1 npx vitest run bridge/module/upstream
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { kubernetesProvider } from "../../providers/kubernetes/index.ts";
import { formatManifests, render, type Provider, type ValuesSource } from "../../sdk/index.ts";
import { ensureEngineBuilt } from "../__tests__/support.ts";
import { createCueEngine } from "../create.ts";
import type { CueEngine } from "../engine.ts";
import { loadCueProvider } from "../transformers/provider.ts";
import { CATALOG_CUE_DIR, catalogRegistry, publishCatalog } from "./__tests__/catalog-registry.ts";
import { loadCueModule } from "./load.ts";

const UPSTREAM = fileURLToPath(new URL("../testdata/upstream/", import.meta.url));
const MODULES = ["jellyfin", "shop", "platform"] as const;
const update = process.env["UPDATE_GOLDEN"] === "1";

let engine: CueEngine;
let cacheDir: string;
let cueProvider: Provider;

beforeAll(async () => {
  ensureEngineBuilt();
  await publishCatalog(`http://${inject("registry")}`);
  // A fresh module cache: the catalog is republished as v0.1.0 whenever it changes, and a
  // shared cache would keep serving an older copy of that version.
  cacheDir = mkdtempSync(join(tmpdir(), "opm-cue-upstream-cache-"));
  engine = createCueEngine({ cueRegistry: catalogRegistry(inject("registry")), cacheDir });
  ({ provider: cueProvider } = await loadCueProvider({
    engine,
    dir: join(CATALOG_CUE_DIR, "providers", "kubernetes"),
  }));
}, 120_000);

afterAll(async () => {
  await engine?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

function valuesFiles(dir: string): ValuesSource[] {
  return readdirSync(dir)
    .filter((f) => /^values.*\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") }));
}

describe.each(MODULES)("upstream-style module %s", (name) => {
  it("renders unchanged through both providers to its golden file", async () => {
    const dir = join(UPSTREAM, name);
    const { module, close } = await loadCueModule(dir, { engine });
    try {
      const values = valuesFiles(dir);
      const viaTs = await render({ module, provider: kubernetesProvider, values });
      const viaCue = await render({ module, provider: cueProvider, values });
      expect(viaTs.errors.map(String)).toEqual([]);
      expect(viaCue.errors.map(String)).toEqual([]);
      expect(viaTs.warnings).toEqual([]);
      const yaml = formatManifests(viaTs.resources);
      expect(formatManifests(viaCue.resources)).toBe(yaml);
      const golden = join(dir, "expected.yaml");
      if (update || !existsSync(golden)) writeFileSync(golden, yaml);
      expect(yaml).toBe(readFileSync(golden, "utf8"));
    } finally {
      await close();
    }
  });
});

describe("the wasm engine", () => {
  it("loads and renders jellyfin to the same golden file", async () => {
    const wasmCache = mkdtempSync(join(tmpdir(), "opm-cue-wasm-cache-"));
    // The wasm build fetches the catalog through the host's fetch.
    const wasm = createCueEngine({
      engine: "wasm",
      cueRegistry: catalogRegistry(inject("registry")),
      cacheDir: wasmCache,
    });
    try {
      const dir = join(UPSTREAM, "jellyfin");
      const { module } = await loadCueModule(dir, { engine: wasm });
      const { provider } = await loadCueProvider({
        engine: wasm,
        dir: join(CATALOG_CUE_DIR, "providers", "kubernetes"),
      });
      const result = await render({ module, provider, values: valuesFiles(dir) });
      expect(result.errors.map(String)).toEqual([]);
      expect(formatManifests(result.resources)).toBe(readFileSync(join(dir, "expected.yaml"), "utf8"));
    } finally {
      await wasm.close();
      rmSync(wasmCache, { recursive: true, force: true });
    }
  }, 120_000);
});
