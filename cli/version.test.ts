import { execFileSync } from "node:child_process";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { VERSION } from "../sdk/version.ts";
import { runCli } from "./main.ts";

async function run(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const code = await runCli(argv, { stdin: new PassThrough(), stdout, stderr, env: { NO_COLOR: "1" } });
  return { code, out, err };
}

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
