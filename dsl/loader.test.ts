// loadModule and loadTypeScript with the Node host: bundles a `*.opm.ts` (or a `.ts` values file)
// with its local imports, reuses the cached bundle while no input changed, rebuilds when an
// imported file changes (removing the bundle it replaces), writes the cache owner-only, and
// leaves no loader registered.
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpmError, type Component } from "../sdk/index.ts";
import { loadModule, loadTypeScript } from "./index.ts";
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
  await writeFile(join(dir, "broken.opm.ts"), `export default {\n  a: 1,,\n};\n`);
  await writeFile(
    join(dir, "values.ts"),
    `import { IMAGE } from "./image.ts";\nexport default { image: IMAGE, password: "s3cret" };\n`,
  );
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
    await expect(loadModule(join(dir, "broken.opm.ts"), host)).rejects.toBeInstanceOf(OpmError);
    await expect(loadModule(join(dir, "broken.opm.ts"), host)).rejects.toMatchObject({ code: "OPM8004" });
  });

  it("reports a compile error with its position", async () => {
    const host = createNodeModuleHost({ cacheDir: join(dir, "cache"), sourceConditions: true });
    const error = (await loadModule(join(dir, "broken.opm.ts"), host).catch((e: unknown) => e)) as OpmError;
    expect(error.code).toBe("OPM8004");
    expect(error.location).toEqual({ file: join(dir, "broken.opm.ts"), line: 2, column: 8 });
    expect(error.hint).toBe("fix the TypeScript at this position");
  });
});

describe("loadTypeScript", () => {
  it("loads a values file through the same cache, owner-only, and drops replaced bundles", async () => {
    const cacheDir = join(dir, "values-cache");
    const host = createNodeModuleHost({ cacheDir, sourceConditions: true });
    await writeFile(join(dir, "image.ts"), `export const IMAGE: string = "nginx:1";\n`);
    const first = await loadTypeScript(join(dir, "values.ts"), host);
    expect(first.namespace["default"]).toEqual({ image: "nginx:1", password: "s3cret" });
    expect(first.cached).toBe(false);
    expect((await loadTypeScript(join(dir, "values.ts"), host)).cached).toBe(true);

    // The bundle holds the values (a password here): only its owner may read it.
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
    const files = await readdir(cacheDir);
    expect(files.filter((f) => f.endsWith(".mjs"))).toHaveLength(1);
    for (const file of files) expect((await stat(join(cacheDir, file))).mode & 0o777).toBe(0o600);

    await writeFile(join(dir, "image.ts"), `export const IMAGE: string = "nginx:3";\n`);
    const second = await loadTypeScript(join(dir, "values.ts"), host);
    expect(second.namespace["default"]).toEqual({ image: "nginx:3", password: "s3cret" });
    expect(second.bundlePath).not.toBe(first.bundlePath);
    expect((await readdir(cacheDir)).filter((f) => f.endsWith(".mjs"))).toEqual([
      second.bundlePath.slice(cacheDir.length + 1),
    ]);
  });
});
