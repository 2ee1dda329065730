import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { describe, expect, it } from "vitest";
import { VERSION } from "../sdk/version.ts";

const root = fileURLToPath(new URL("../", import.meta.url));

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
  exports: Record<string, unknown>;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe("package", () => {
  it("reports the package's version", () => {
    expect(VERSION).toBe(pkg.version);
  });

  it("pins every dependency to an exact version", () => {
    const ranges = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
      ([, v]) => !/^\d+\.\d+\.\d+$/.test(v),
    );
    expect(ranges).toEqual([]);
  });

  it("hides internals and ships the opm binary (the bundle's executable, chosen at build time)", () => {
    expect(pkg.exports["./internal/*"]).toBeNull();
    expect(pkg.bin["opm"]).toBe("./dist/opm/bin.cjs");
  });

  it("takes zod from the user's project, as a peer on zod 4", () => {
    expect(pkg.peerDependencies).toEqual({ zod: "^4.0.0" });
    expect(pkg.dependencies["zod"]).toBeUndefined();
  });

  it("imports at run time nothing but its dependencies, its peer and Node's built-ins", async () => {
    // Every file a user's program or the opm executable can load: the public entries (tsc's
    // output) and the CLI bundle. esbuild follows static and literal dynamic imports.
    const entries = Object.values(pkg.exports).flatMap((target) =>
      target !== null && typeof target === "object" ? [(target as { default: string }).default] : [],
    );
    const bundle = readdirSync(join(root, "dist/opm")).map((f) => `./dist/opm/${f}`);
    for (const file of [...entries, ...bundle]) {
      if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run \`npm run build:all\``);
    }
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [...entries, ...bundle],
      outdir: mkdtempSync(join(tmpdir(), "opm-imports-")),
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      packages: "external",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const packageOf = (specifier: string) =>
      specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
    const imported = new Set(
      Object.values(result.metafile.inputs)
        .flatMap((input) => input.imports)
        // `<runtime>`: esbuild's own helpers, for a require() of a computed name in the worker's bundle.
        .filter((i) => i.external && i.path !== "<runtime>")
        .filter((i) => !i.path.startsWith("node:") && !builtinModules.includes(i.path))
        .map((i) => packageOf(i.path)),
    );
    imported.delete("@opm/sdk"); // itself
    const allowed = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    expect([...imported].filter((name) => !allowed.has(name))).toEqual([]);
    // The heavy ones are there, so the check sees what it should.
    for (const name of ["ts-morph", "esbuild", "zod", "@kubernetes/client-node"])
      expect(imported).toContain(name);
  });
});

describe("public entries", () => {
  const entries = Object.entries(pkg.exports).filter(
    ([, target]) => target !== null && typeof target === "object",
  );

  it.each(entries.map(([subpath]) => subpath).filter((s) => s !== "./package.json"))(
    "%s resolves through the package name and names its exports",
    async (subpath) => {
      const specifier = subpath === "." ? "@opm/sdk" : `@opm/sdk/${subpath.slice(2)}`;
      const entry = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
      expect(Object.keys(entry).length).toBeGreaterThan(0);
    },
  );

  it("renders from a plain Node script through the built package", () => {
    const built = new URL("../dist/sdk/index.js", import.meta.url);
    if (!existsSync(built)) throw new Error("dist/ is missing: run `npm run build` (scripts/setup.sh does)");
    const script = `
      import { render } from "@opm/sdk";
      import { kubernetesProvider } from "@opm/sdk/providers/kubernetes";
      console.log(typeof render, Object.keys(kubernetesProvider.transformers).length);
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: new URL("..", import.meta.url),
      encoding: "utf8",
    });
    expect(out).toBe("function 18\n");
  });
});
