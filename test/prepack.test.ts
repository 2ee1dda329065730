// prepack (scripts/prepack.mjs) refuses a tree that lacks what the installed package needs, and
// names each missing file; the repository, built by `npm run build:all`, passes.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../", import.meta.url));
const script = join(root, "scripts/prepack.mjs");

describe("prepack", () => {
  it("passes on the built repository", () => {
    const out = execFileSync(process.execPath, [script, "--check"], { encoding: "utf8" });
    expect(out).toBe("prepack: the tree holds everything the package needs\n");
  });

  it("refuses an unbuilt tree, naming what is missing", () => {
    const tree = mkdtempSync(join(tmpdir(), "opm-unbuilt-"));
    cpSync(join(root, "package.json"), join(tree, "package.json"));
    const result = spawnSync(process.execPath, [script, "--check", "--root", tree], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.split("\n");
    expect(lines[0]).toBe("prepack: refusing to pack an unbuilt tree; missing:");
    for (const file of [
      "dist/opm/bin.cjs",
      "dist/opm/cli.cjs",
      "dist/opm/module-worker-code.cjs",
      "dist/sdk/index.js",
      "dist/dsl/index.d.ts",
      "bridge/dist/cue-engine.wasm",
      "catalog/cue/<module>/cue.mod/module.cue",
      "testenv/build.sh",
    ]) {
      expect(lines).toContain(`  ${file}`);
    }
    expect(result.stderr).toContain("npm run build:all");
  });

  it("refuses a tree whose native engine for a platform is missing", () => {
    const tree = mkdtempSync(join(tmpdir(), "opm-half-built-"));
    for (const part of [
      "package.json",
      "dist",
      "catalog/cue",
      "testenv/build.sh",
      "testenv/reaper.sh",
      "testenv/versions.env",
    ])
      cpSync(join(root, part), join(tree, part), { recursive: true });
    cpSync(join(root, "bridge/dist"), join(tree, "bridge/dist"), {
      recursive: true,
      filter: (source) => !source.includes("darwin-arm64"),
    });
    const result = spawnSync(process.execPath, [script, "--check", "--root", tree], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr.split("\n").slice(1, 2)).toEqual(["  bridge/dist/native/darwin-arm64/cue-engine"]);
  });
});
