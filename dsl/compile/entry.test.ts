// The compiler through the dsl's public entry, and the reason that entry loads it lazily: a
// bundled `*.opm.ts` (which imports the dsl) must not carry ts-morph.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileModuleToCue, createCompilerProject, formatIssue } from "../index.ts";
import { createNodeModuleHost } from "../node-host.ts";

const BLOG = fileURLToPath(new URL("../../examples/blog/blog.opm.ts", import.meta.url));

describe("the dsl entry", () => {
  it("compiles a module through the lazily loaded compiler", async () => {
    const result = await compileModuleToCue(BLOG, { project: await createCompilerProject() });
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join("\n"));
    expect(result.packageName).toBe("blog");
    expect(result.dependencies).toEqual([
      "opmodel.dev/blueprints@v0",
      "opmodel.dev/core@v0",
      "opmodel.dev/resources@v0",
      "opmodel.dev/schemas@v0",
      "opmodel.dev/traits@v0",
    ]);
  });

  it("leaves the compiler out of a module's bundle", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "opm-bundle-"));
    try {
      const host = createNodeModuleHost({ cacheDir, sourceConditions: true });
      // esbuild visits the compiler's files (the entry names them) but tree-shakes them away.
      const { code } = await host.bundle(BLOG);
      expect(code).not.toContain("ts-morph");
      expect(code).not.toContain("BuilderResolver");
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
