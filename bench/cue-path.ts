// The CUE path benchmark (issue 5). Run: `npx tsx bench/cue-path.ts [--runs 9]`.
// Jellyfin written as an upstream-style CUE module (bridge/testdata/upstream/jellyfin, with its
// values.yaml) loaded into the IR through the native CUE engine and rendered, next to the TS
// path (examples/jellyfin through the dsl loader). The catalog comes from the local module
// cache: it is published once to a throwaway OCI registry, fetched once into a fresh cache, and
// the registry is stopped before anything is timed (CUE_REGISTRY then points at a closed port,
// so every load is served by the cache alone).
// - cold: a new engine (spawning the native binary), loadCueModule, render; per sample.
// - warm: one engine and one loaded module; render() again (values layering, the #config check
//   and the components factory run in the engine each time).
// Prints medians as a Markdown table for docs/benchmarks.md.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createCueEngine, loadCueModule, loadCueProvider, type CueEngine } from "../bridge/index.ts";
import {
  CATALOG_CUE_DIR,
  catalogRegistry,
  publishCatalog,
} from "../bridge/module/__tests__/catalog-registry.ts";
import { loadModule } from "../dsl/index.ts";
import { createNodeModuleHost } from "../dsl/node-host.ts";
import { kubernetesProvider } from "../providers/kubernetes/index.ts";
import { render, type Module, type Provider, type ValuesSource } from "../sdk/index.ts";
import { startRegistry } from "../testenv/registry.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CUE_MODULE = join(ROOT, "bridge/testdata/upstream/jellyfin");
const TS_EXAMPLE = join(ROOT, "examples/jellyfin");
const PROVIDER_DIR = join(CATALOG_CUE_DIR, "providers", "kubernetes");
/** Nothing listens here: a load that needed the registry would fail. */
const NO_REGISTRY = "opmodel.dev=127.0.0.1:1+insecure";

const argRuns = process.argv.indexOf("--runs");
const COLD_RUNS = argRuns > 0 ? Number(process.argv[argRuns + 1]) : 9;
const WARM_RUNS = 100;
const WARM_UP = 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const values = (dir: string): ValuesSource[] => [
  { name: "values.yaml", text: readFileSync(join(dir, "values.yaml"), "utf8") },
];

async function renderOnce(module: Module, provider: Provider, dir: string): Promise<number> {
  const result = await render({ module, provider, values: values(dir) });
  if (result.errors.length > 0) throw new Error(result.errors.map(String).join("\n"));
  return result.resources.length;
}

async function timeWarm(module: Module, provider: Provider, dir: string): Promise<number> {
  for (let i = 0; i < WARM_UP; i++) await renderOnce(module, provider, dir);
  const samples: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const start = performance.now();
    await renderOnce(module, provider, dir);
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/** Fetches the catalog into `cacheDir` through a throwaway registry, then stops the registry. */
async function seedModuleCache(cacheDir: string): Promise<void> {
  const registry = await startRegistry();
  try {
    await publishCatalog(registry.url);
    const engine = createCueEngine({ engine: "native", cacheDir });
    try {
      const loaded = await loadCueModule(CUE_MODULE, { engine, registry: catalogRegistry(registry.host) });
      await loadCueProvider({ engine, dir: PROVIDER_DIR, registry: catalogRegistry(registry.host) });
      await loaded.close();
    } finally {
      await engine.close();
    }
  } finally {
    await registry.stop();
  }
}

interface ColdSample {
  readonly total: number;
  readonly objects: number;
}

async function coldRun(cacheDir: string, withCueProvider: boolean): Promise<ColdSample> {
  const start = performance.now();
  const engine: CueEngine = createCueEngine({ engine: "native", cacheDir });
  try {
    const { module } = await loadCueModule(CUE_MODULE, { engine, registry: NO_REGISTRY });
    const provider = withCueProvider
      ? (await loadCueProvider({ engine, dir: PROVIDER_DIR, registry: NO_REGISTRY })).provider
      : kubernetesProvider;
    const objects = await renderOnce(module, provider, CUE_MODULE);
    return { total: performance.now() - start, objects };
  } finally {
    await engine.close();
  }
}

async function main(): Promise<void> {
  const cacheDir = mkdtempSync(join(tmpdir(), "opm-bench-cue-cache-"));
  const tsCache = mkdtempSync(join(tmpdir(), "opm-bench-ts-cache-"));
  try {
    await seedModuleCache(cacheDir);
    const rows: string[][] = [];

    // TS path: the first load in this process (esbuild transpile, import) and render, then warm.
    let start = performance.now();
    const host = createNodeModuleHost({ cacheDir: tsCache, sourceConditions: true });
    const { module: tsModule } = await loadModule(join(TS_EXAMPLE, "jellyfin.opm.ts"), host);
    const tsObjects = await renderOnce(tsModule, kubernetesProvider, TS_EXAMPLE);
    const tsCold = performance.now() - start;
    const tsWarm = await timeWarm(tsModule, kubernetesProvider, TS_EXAMPLE);
    rows.push([
      "TS path: examples/jellyfin, TS provider",
      String(tsObjects),
      `${tsCold.toFixed(0)} ms (1 run)`,
      `${tsWarm.toFixed(2)} ms`,
    ]);

    for (const withCueProvider of [false, true]) {
      const samples: ColdSample[] = [];
      for (let i = 0; i < COLD_RUNS; i++) samples.push(await coldRun(cacheDir, withCueProvider));
      const engine = createCueEngine({ engine: "native", cacheDir });
      try {
        const { module } = await loadCueModule(CUE_MODULE, { engine, registry: NO_REGISTRY });
        const provider = withCueProvider
          ? (await loadCueProvider({ engine, dir: PROVIDER_DIR, registry: NO_REGISTRY })).provider
          : kubernetesProvider;
        const warm = await timeWarm(module, provider, CUE_MODULE);
        start = performance.now();
        const reload = await loadCueModule(CUE_MODULE, { engine, registry: NO_REGISTRY });
        const warmLoad = performance.now() - start;
        await reload.close();
        rows.push([
          `CUE path: upstream-style jellyfin, ${withCueProvider ? "CUE" : "TS"} provider`,
          String(samples[0]!.objects),
          `${median(samples.map((s) => s.total)).toFixed(0)} ms`,
          `${warm.toFixed(2)} ms (load on a warm engine: ${warmLoad.toFixed(0)} ms)`,
        ]);
      } finally {
        await engine.close();
      }
    }

    const header = [
      "Scenario",
      "Objects",
      `Cold: new engine + load + render (median of ${COLD_RUNS})`,
      `Warm render (median of ${WARM_RUNS})`,
    ];
    const table = [header, header.map(() => "---"), ...rows];
    process.stdout.write(`${table.map((r) => `| ${r.join(" | ")} |`).join("\n")}\n`);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
    rmSync(tsCache, { recursive: true, force: true });
  }
}

await main();
