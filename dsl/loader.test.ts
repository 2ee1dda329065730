// loadModule with the Node host: bundles a `*.opm.ts` with its local imports, reuses the cached
// bundle while no input changed, rebuilds when an imported file changes, and leaves no loader
// registered.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Component } from "../sdk/index.ts";
import { AuthoringError, loadModule } from "./index.ts";
import { createNodeModuleHost } from "./node-host.ts";

const repo = fileURLToPath(new URL("../", import.meta.url));
let dir: string;

const moduleSource = `
import { z } from "zod";
import { Container } from "${repo}catalog/index.ts";
import { component, defineModule, workloadType } from "${repo}dsl/index.ts";
import { IMAGE } from "./image.ts";

export default defineModule({
  metadata: { apiVersion: "example.com/modules@v0", name: "loaded", version: "0.1.0" },
  config: z.object({}),
  values: {},
  components: () => ({ web: component(workloadType("stateless"), Container({ name: "web", image: IMAGE })) }),
});
`;

async function imageOf(path: string, cacheDir: string) {
  const loaded = await loadModule(path, createNodeModuleHost({ cacheDir, sourceConditions: true }));
  const factory = loaded.module.components as (v: unknown) => Record<string, Component>;
  const spec = factory({})["web"]!.spec["container"] as { image: string };
  return { image: spec.image, cached: loaded.cached };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "opm-loader-"));
  await writeFile(join(dir, "app.opm.ts"), moduleSource);
  await writeFile(join(dir, "image.ts"), `export const IMAGE: string = "nginx:1";\n`);
  await writeFile(join(dir, "none.opm.ts"), `export const x = 1;\n`);
  await writeFile(join(dir, "broken.opm.ts"), `export default {{;\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadModule", () => {
  it("bundles, caches, and rebuilds when an imported file changes", async () => {
    const cacheDir = join(dir, "cache");
    const path = join(dir, "app.opm.ts");
    expect(await imageOf(path, cacheDir)).toEqual({ image: "nginx:1", cached: false });
    expect(await imageOf(path, cacheDir)).toEqual({ image: "nginx:1", cached: true });
    await writeFile(join(dir, "image.ts"), `export const IMAGE: string = "nginx:2";\n`);
    expect(await imageOf(path, cacheDir)).toEqual({ image: "nginx:2", cached: false });
  });

  it("reports a file that exports no module, and one that does not compile", async () => {
    const host = createNodeModuleHost({ cacheDir: join(dir, "cache"), sourceConditions: true });
    await expect(loadModule(join(dir, "none.opm.ts"), host)).rejects.toThrow(/exports no module/);
    await expect(loadModule(join(dir, "broken.opm.ts"), host)).rejects.toBeInstanceOf(AuthoringError);
  });
});
