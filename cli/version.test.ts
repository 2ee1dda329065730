import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { VERSION } from "../sdk/version.ts";
import { run } from "./__tests__/run.ts";

describe("opm version", () => {
  it("prints the version from the executable with --version", () => {
    const bin = fileURLToPath(new URL("./bin.ts", import.meta.url));
    const out = execFileSync(process.execPath, ["--import", "tsx", bin, "--version"], { encoding: "utf8" });
    expect(out).toBe(`${VERSION}\n`);
  });

  it("prints versions as text", async () => {
    const { code, out } = await run(["version"]);
    expect(code).toBe(0);
    expect(out).toBe(`opm ${VERSION} (node ${process.versions.node}, ${process.platform}/${process.arch})\n`);
  });

  it("prints versions as JSON", async () => {
    const { code, out } = await run(["version", "-o", "json"]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      version: VERSION,
      node: process.versions.node,
      platform: `${process.platform}/${process.arch}`,
    });
  });
});
