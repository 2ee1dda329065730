import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VERSION } from "../sdk/version.ts";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
  exports: Record<string, unknown>;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
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

  it("hides internals and ships the opm binary", () => {
    expect(pkg.exports["./internal/*"]).toBeNull();
    expect(pkg.bin["opm"]).toBe("./dist/cli/bin.js");
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
    expect(out).toBe("function 12\n");
  });
});
