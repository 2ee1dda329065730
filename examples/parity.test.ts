// One model, two authoring languages: each example written in CUE (<name>/cue, for the
// upstream v0 catalog) and in TS (<name>.opm.ts) must render to the same YAML. Both sides go
// through what users run: the TS module through the dsl loader, the CUE module through the
// bridge's real loader (`loadCueModule`, the catalog resolved from the shared test registry into
// a fresh module cache), and both through sdk `render()` with the same `-f` values files. The CUE
// module is rendered once more by our Kubernetes provider written in CUE (catalog/cue/providers):
// the same bytes again, so every wiring an example uses (env sources, envFrom, projected volumes,
// each secret variant) is held to parity in both providers.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureEngineBuilt } from "../bridge/__tests__/support.ts";
import { createCueEngine, loadCueModule, type CueEngine } from "../bridge/index.ts";
import {
  CATALOG_CUE_DIR,
  catalogRegistry,
  publishCatalog,
} from "../bridge/module/__tests__/catalog-registry.ts";
import { loadCueProvider } from "../bridge/transformers/provider.ts";
import { loadModule } from "../dsl/index.ts";
import { createNodeModuleHost } from "../dsl/node-host.ts";
import { kubernetesProvider } from "../providers/kubernetes/index.ts";
import { render, type Module, type Provider, type ValuesSource } from "../sdk/index.ts";
import { EXAMPLES, toYamlStream } from "./render-example.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** The values cases of an example: each values file alone, then all of them in order (as the golden test). */
async function valuesCases(dir: string): Promise<{ label: string; values: ValuesSource[] }[]> {
  const files = (await readdir(dir)).filter((f) => /^values.*\.ya?ml$/.test(f)).sort();
  const sources = await Promise.all(
    files.map(async (file) => ({ name: join(dir, file), text: await readFile(join(dir, file), "utf8") })),
  );
  const cases = sources.map((source, i) => ({ label: `-f ${files[i]!}`, values: [source] }));
  if (sources.length > 1) cases.push({ label: `-f ${files.join(" -f ")}`, values: sources });
  return cases;
}

describe("examples in CUE and in TS render the same YAML", () => {
  let engine: CueEngine;
  let workDir: string;
  let cueProvider: Provider;
  let closeProvider: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ensureEngineBuilt();
    await publishCatalog(`http://${inject("registry")}`);
    workDir = await mkdtemp(join(tmpdir(), "opm-parity-"));
    // A module cache of its own: the catalog is republished as v0.1.0 whenever it changes, and a
    // shared cache would keep serving an older copy of that version.
    engine = createCueEngine({ cacheDir: join(workDir, "cue-cache") });
    ({ provider: cueProvider, close: closeProvider } = await loadCueProvider({
      engine,
      dir: join(CATALOG_CUE_DIR, "providers", "kubernetes"),
      registry: catalogRegistry(inject("registry")),
    }));
  }, 120_000);
  afterAll(async () => {
    await closeProvider?.();
    await engine?.close();
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  for (const name of EXAMPLES) {
    it(`${name}: for every values file in its folder`, async () => {
      const dir = join(here, name);
      const host = createNodeModuleHost({ cacheDir: join(workDir, "ts-cache"), sourceConditions: true });
      const tsModule: Module = (await loadModule(join(dir, `${name}.opm.ts`), host)).module;
      const { module: cueModule, close } = await loadCueModule(join(dir, "cue"), {
        engine,
        registry: catalogRegistry(inject("registry")),
      });
      try {
        expect(cueModule.metadata).toEqual(tsModule.metadata);
        const cases = await valuesCases(dir);
        expect(cases.length).toBeGreaterThan(0);
        for (const { label, values } of cases) {
          const viaTs = await render({ module: tsModule, provider: kubernetesProvider, values });
          const viaCue = await render({ module: cueModule, provider: kubernetesProvider, values });
          expect(viaTs.errors.map(String), label).toEqual([]);
          expect(viaCue.errors.map(String), label).toEqual([]);
          expect(viaCue.warnings, label).toEqual(viaTs.warnings);
          expect(viaTs.resources.length, label).toBeGreaterThan(0);
          expect(toYamlStream(viaCue), `${name} with ${label}`).toBe(toYamlStream(viaTs));
          const viaCueProvider = await render({ module: cueModule, provider: cueProvider, values });
          expect(viaCueProvider.errors.map(String), label).toEqual([]);
          expect(toYamlStream(viaCueProvider), `${name} with ${label}, CUE provider`).toBe(
            toYamlStream(viaTs),
          );
        }
      } finally {
        await close();
      }
    }, 180_000);
  }
});
