import { readFileSync } from "node:fs";
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
