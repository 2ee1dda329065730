// The round trip: every TS example compiles to a CUE module which, written to disk exactly as
// emitted (its cue.mod/module.cue resolving our catalog from a registry), loads through the CUE
// module loader and renders byte-identically to the TS module, for the module's own values and
// for each values file in the example's folder.
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createCueEngine, loadCueModule, type CueEngine } from "../../bridge/index.ts";
import { ensureEngineBuilt } from "../../bridge/__tests__/support.ts";
import { catalogRegistry, publishCatalog } from "../../bridge/module/__tests__/catalog-registry.ts";
import { kubernetesProvider } from "../../providers/kubernetes/index.ts";
import { formatManifests, render, type Module, type ValuesSource } from "../../sdk/index.ts";
import { compileModuleToCue, createCompilerProject } from "./compile-module.ts";
import { formatIssue } from "./issues.ts";

const EXAMPLES_DIR = fileURLToPath(new URL("../../examples/", import.meta.url));
const EXAMPLES = ["jellyfin", "blog", "multi-tier", "secrets"] as const;

let engine: CueEngine;
let outDir: string;
const project = createCompilerProject();

beforeAll(async () => {
  ensureEngineBuilt();
  await publishCatalog(`http://${inject("registry")}`);
  outDir = await mkdtemp(join(tmpdir(), "opm-ts-to-cue-"));
  // A module cache of its own: the catalog is republished as v0.1.0 whenever it changes, and a
  // shared cache would keep serving an older copy of that version.
  engine = createCueEngine({
    cueRegistry: catalogRegistry(inject("registry")),
    cacheDir: join(outDir, "cue-cache"),
  });
}, 120_000);
afterAll(async () => {
  await engine?.close();
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
});

async function valuesCases(name: string): Promise<{ label: string; values: ValuesSource[] }[]> {
  const dir = join(EXAMPLES_DIR, name);
  const files = (await readdir(dir)).filter((f) => /^values.*\.ya?ml$/.test(f)).sort();
  const cases = [{ label: "module values", values: [] as ValuesSource[] }];
  for (const file of files) {
    cases.push({
      label: file,
      values: [{ name: join(dir, file), text: await readFile(join(dir, file), "utf8") }],
    });
  }
  return cases;
}

const KITCHEN_SINK = fileURLToPath(new URL("./testdata/kitchen-sink.opm.ts", import.meta.url));
const KITCHEN_SINK_VALUES_FILE = fileURLToPath(
  new URL("./testdata/kitchen-sink.values.yaml", import.meta.url),
);

const CASES = [
  ...EXAMPLES.map((name) => ({
    name,
    source: join(EXAMPLES_DIR, name, `${name}.opm.ts`),
    cases: () => valuesCases(name),
  })),
  {
    name: "kitchen-sink",
    source: KITCHEN_SINK,
    cases: () =>
      Promise.resolve([
        { label: "module values", values: [] as ValuesSource[] },
        {
          label: "kitchen-sink.values.yaml",
          values: [{ name: KITCHEN_SINK_VALUES_FILE, text: readFileSync(KITCHEN_SINK_VALUES_FILE, "utf8") }],
        },
      ]),
  },
];

describe.each(CASES)(
  "module $name renders the same through its compiled CUE module",
  ({ name, source, cases }) => {
    it("for the module's values and for every values file", async () => {
      const compiled = await compileModuleToCue(source, { project, format: (s) => engine.format(s) });
      if (!compiled.ok) throw new Error(compiled.issues.map(formatIssue).join("\n"));
      const dir = join(outDir, name);
      for (const [path, text] of Object.entries(compiled.files)) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), text);
      }
      const tsModule = ((await import(source)) as { default: Module }).default;
      const { module: cueModule, close } = await loadCueModule(dir, { engine });
      try {
        expect(cueModule.metadata).toEqual(tsModule.metadata);
        for (const { label, values } of await cases()) {
          const viaTs = await render({ module: tsModule, provider: kubernetesProvider, values });
          const viaCue = await render({ module: cueModule, provider: kubernetesProvider, values });
          expect(viaTs.errors.map(String), label).toEqual([]);
          expect(viaCue.errors.map(String), label).toEqual([]);
          expect(viaCue.warnings, label).toEqual(viaTs.warnings);
          // Policies are read with the values in both languages: the same rules, scopes and results.
          expect(viaCue.policies, label).toEqual(viaTs.policies);
          expect(viaTs.resources.length, label).toBeGreaterThan(0);
          expect(formatManifests(viaCue.resources), `${name} with ${label}`).toBe(
            formatManifests(viaTs.resources),
          );
        }
      } finally {
        await close();
      }
    }, 180_000);
  },
);
