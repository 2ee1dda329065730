// Every TS example compiles to a CUE module that the real CUE engine evaluates to the same
// components: compiled, formatted by the engine, loaded with our catalog, given the example's
// values (defaults, then each values*.yaml), validated concrete, and each component's spec
// compared with the TS module's component for the same values. The TS spec is put through the
// same catalog mixins in CUE (a "twin" component), so catalog defaults apply to both sides and
// the comparison is exact JSON equality.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCueEngine, type CueEngine } from "../../bridge/index.ts";
import { catalogOverlay, OVERLAY_ROOT, type CatalogSourceFile } from "../../bridge/codegen/extract.ts";
import { readCatalogSources } from "../../bridge/codegen/node-io.ts";
import catalogDescription from "../../catalog/generated/catalog.json" with { type: "json" };
import {
  layerValues,
  validateValues,
  type Component,
  type Module,
  type ValuesSource,
} from "../../sdk/index.ts";
import { compileModuleToCue, createCompilerProject, type CompiledCueModule } from "./compile-module.ts";
import { formatIssue } from "./issues.ts";

const EXAMPLES_DIR = fileURLToPath(new URL("../../examples/", import.meta.url));
const EXAMPLES = ["jellyfin", "blog", "multi-tier", "secrets"] as const;

/** FQN → [CUE package, mixin], from the catalog description the bindings are generated from. */
const MIXINS = new Map<string, readonly [string, string]>(
  catalogDescription.packages.flatMap((p) =>
    p.definitions.map((d) => [d.metadata.fqn, [p.importPath, d.mixin]] as const),
  ),
);

let engine: CueEngine;
let catalog: CatalogSourceFile[];
const project = createCompilerProject();

beforeAll(async () => {
  engine = createCueEngine();
  catalog = await readCatalogSources();
}, 60_000);
afterAll(async () => {
  await engine.close();
});

async function valuesFiles(name: string): Promise<ValuesSource[]> {
  const dir = join(EXAMPLES_DIR, name);
  const files = (await readdir(dir)).filter((f) => /^values.*\.yaml$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) => ({ name: join(dir, f), text: await readFile(join(dir, f), "utf8") })),
  );
}

/** The TS component as a CUE component built from the same catalog mixins. */
function twinComponent(component: Component, imports: Map<string, string>): string {
  const mixins = [
    ...Object.keys(component.resources),
    ...Object.keys(component.traits),
    ...Object.keys(component.blueprints),
  ].map((fqn) => {
    const [importPath, mixin] = MIXINS.get(fqn) ?? [undefined, undefined];
    if (importPath === undefined) throw new Error(`no CUE mixin for ${fqn}`);
    if (!imports.has(importPath)) imports.set(importPath, `p${imports.size}`);
    return `\t${imports.get(importPath)}.${mixin}`;
  });
  const metadata = { name: component.metadata.name, labels: component.metadata.labels };
  return `{\n${mixins.join("\n")}\n\tmetadata: ${JSON.stringify(metadata)}\n\tspec: ${JSON.stringify(component.spec)}\n}`;
}

/** A package beside the compiled one: the release of the compiled module, and the TS twins. */
function twinPackage(
  compiled: CompiledCueModule,
  values: unknown,
  components: Record<string, Component>,
): string {
  const imports = new Map<string, string>([["opmodel.dev/core@v0", "core"]]);
  const twins = Object.entries(components).map(
    ([key, c]) => `\t${JSON.stringify(key)}: ${twinComponent(c, imports)}`,
  );
  const clause = [...imports].map(([path, alias]) => `\t${alias} "${path}"`).join("\n");
  return `package twin

import (
${clause}
\tm "${compiled.modulePath}:${compiled.packageName}"
)

release: core.#ModuleRelease & {
\tmetadata: {name: "parity", namespace: "parity"}
\t#module: m
\tvalues: ${JSON.stringify(values)}
}

twin: {
${twins.join("\n")}
}
`;
}

interface Case {
  readonly name: string;
  readonly file: string;
  readonly valueSets: () => Promise<{ readonly label: string; readonly files: ValuesSource[] }[]>;
}

const KITCHEN_SINK_VALUES_FILE = fileURLToPath(
  new URL("./testdata/kitchen-sink.values.yaml", import.meta.url),
);

const CASES: readonly Case[] = [
  ...EXAMPLES.map((name) => ({
    name,
    file: join(EXAMPLES_DIR, name, `${name}.opm.ts`),
    valueSets: async () => [
      { label: "module defaults", files: [] },
      { label: "values files", files: await valuesFiles(name) },
    ],
  })),
  {
    name: "kitchen-sink",
    file: fileURLToPath(new URL("./testdata/kitchen-sink.opm.ts", import.meta.url)),
    valueSets: () =>
      Promise.resolve([
        { label: "module defaults", files: [] },
        {
          label: "kitchen-sink.values.yaml",
          files: [{ name: KITCHEN_SINK_VALUES_FILE, text: readFileSync(KITCHEN_SINK_VALUES_FILE, "utf8") }],
        },
      ]),
  },
];

async function compile(file: string): Promise<CompiledCueModule> {
  const result = await compileModuleToCue(file, {
    project,
    format: (source) => engine.format(source),
  });
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join("\n"));
  return result;
}

describe.each(CASES)(
  "module $name compiles to CUE that evaluates like the TS module",
  ({ name, file, valueSets }) => {
    let compiled: CompiledCueModule;
    let module: Module;

    beforeAll(async () => {
      compiled = await compile(file);
      module = ((await import(file)) as { default: Module }).default;
    }, 120_000);

    it("emits a formatted module with the catalog dependencies", async () => {
      const moduleCue = compiled.files["module.cue"]!;
      expect(await engine.format(moduleCue)).toBe(moduleCue);
      expect(compiled.files["cue.mod/module.cue"]).toContain(`module: "${module.metadata.apiVersion}"`);
      expect(compiled.files["cue.mod/module.cue"]).toContain(`"opmodel.dev/core@v0": v:`);
      expect(moduleCue).toContain("core.#Module");
    });

    it("gives the TS components' specs for each set of values", async () => {
      for (const { label, files } of await valueSets()) {
        const layered = layerValues({ defaults: module.values, files });
        expect(layered.errors).toEqual([]);
        const checked = await validateValues(module.config, layered.layered!);
        expect(checked.errors).toEqual([]);
        const components =
          typeof module.components === "function"
            ? await module.components(checked.values)
            : module.components;
        const overlay = catalogOverlay(catalog, {
          "cue.mod/module.cue": `module: "${compiled.modulePath}"\nlanguage: version: "v0.15.0"\n`,
          "module.cue": compiled.files["module.cue"]!,
          "twin/twin.cue": twinPackage(compiled, checked.values, components),
        });
        const root = (await engine.load({ dir: OVERLAY_ROOT, overlay })).value;
        expect(await engine.export(root, { path: "values" })).toEqual(
          JSON.parse(JSON.stringify(module.values)),
        );

        const twin = (await engine.load({ dir: `${OVERLAY_ROOT}/twin`, overlay })).value;
        const report = await engine.validate(twin, { path: "release.components", concrete: true });
        expect(report.issues, label).toEqual([]);
        for (const key of Object.keys(components)) {
          const fromCue = await engine.export(twin, { path: `release.components.${JSON.stringify(key)}` });
          const fromTs = await engine.export(twin, { path: `twin.${JSON.stringify(key)}` });
          const { spec: cueSpec, metadata: cueMetadata } = fromCue as {
            spec: unknown;
            metadata: { labels: object };
          };
          const { spec: tsSpec, metadata: tsMetadata } = fromTs as {
            spec: unknown;
            metadata: { labels: object };
          };
          expect(cueSpec, `${name} (${label}): component ${key}`).toEqual(tsSpec);
          expect(cueMetadata.labels).toEqual({ ...tsMetadata.labels, "component.opmodel.dev/name": key });
        }
        await engine.release(root, twin);
      }
    }, 120_000);
  },
);
