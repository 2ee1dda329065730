// Upstream compatibility, library side: every module in bridge/testdata/upstream is written the
// way modules for the upstream v0 catalog are (blueprints, values_*.cue variants, a module in
// several packages, init and sidecar containers, config maps and secrets, ingress and
// autoscaling, layered values; some pin upstream's catalog versions). Each loads unchanged from
// the built-in catalog and renders, without and with each of its values files, through the TS
// provider and through the CUE provider alike, to the same golden file. The goldens are written
// by the CLI test of the same modules (cli/commands/mod/upstream.test.ts).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubernetesProvider } from "../../providers/kubernetes/index.ts";
import { formatManifests, render, type Provider, type ValuesSource } from "../../sdk/index.ts";
import { ensureEngineBuilt } from "../__tests__/support.ts";
import { createCueEngine } from "../create.ts";
import type { CueEngine } from "../engine.ts";
import { loadCueProvider } from "../transformers/provider.ts";
import { CATALOG_CUE_DIR } from "./__tests__/catalog-registry.ts";
import { goldenFile, UPSTREAM_MODULES, upstreamModuleDir, valuesVariants } from "./__tests__/upstream.ts";
import { loadCueModule } from "./load.ts";
import { cueValuesSource } from "./values.ts";

let engine: CueEngine;
let cueProvider: Provider;

beforeAll(async () => {
  ensureEngineBuilt();
  engine = createCueEngine();
  const loaded = await loadCueProvider({ engine, dir: join(CATALOG_CUE_DIR, "providers", "kubernetes") });
  // The CUE provider ports the transformers; policy rules (NetworkRules -> NetworkPolicy) are
  // implemented once, in TS (providers/kubernetes/policies), and shared by both.
  cueProvider = { ...loaded.provider, policyRules: kubernetesProvider.policyRules ?? {} };
}, 120_000);

afterAll(async () => {
  await engine?.close();
});

async function valuesSource(dir: string, file: string): Promise<ValuesSource> {
  const text = readFileSync(join(dir, file), "utf8");
  return file.endsWith(".cue") ? cueValuesSource(engine, { name: file, text }) : { name: file, text };
}

describe.each(UPSTREAM_MODULES)("upstream-style module %s", (name) => {
  const dir = upstreamModuleDir(name);
  it.each(valuesVariants(dir))("renders through both providers to its golden file (%s)", async (variant) => {
    const { module, close } = await loadCueModule(dir, { engine });
    try {
      const values = variant === "no -f" ? [] : [await valuesSource(dir, variant)];
      const viaTs = await render({ module, provider: kubernetesProvider, values });
      const viaCue = await render({ module, provider: cueProvider, values });
      expect(viaTs.errors.map(String)).toEqual([]);
      expect(viaCue.errors.map(String)).toEqual([]);
      expect(viaTs.warnings).toEqual([]);
      const yaml = formatManifests(viaTs.resources);
      expect(formatManifests(viaCue.resources)).toBe(yaml);
      expect(yaml).toBe(readFileSync(goldenFile(dir, variant), "utf8"));
    } finally {
      await close();
    }
  });
});

describe("the wasm engine", () => {
  it("loads and renders jellyfin to the same golden file", async () => {
    const wasm = createCueEngine({ engine: "wasm" });
    try {
      const dir = upstreamModuleDir("jellyfin");
      const { module } = await loadCueModule(dir, { engine: wasm });
      const { provider } = await loadCueProvider({
        engine: wasm,
        dir: join(CATALOG_CUE_DIR, "providers", "kubernetes"),
      });
      const result = await render({ module, provider });
      expect(result.errors.map(String)).toEqual([]);
      expect(formatManifests(result.resources)).toBe(readFileSync(goldenFile(dir, "no -f"), "utf8"));
    } finally {
      await wasm.close();
    }
  }, 120_000);
});

it("covers at least eight modules", () => {
  expect(UPSTREAM_MODULES.length).toBeGreaterThanOrEqual(8);
  expect(readdirSync(upstreamModuleDir("")).sort()).toEqual([...UPSTREAM_MODULES]);
});
