// The module worker as the package's executable runs it (dist/opm/bin.cjs, `npm run build:cli`):
// one CommonJS file started from a V8 code cache, started before the CLI when the command line
// names a TS module (prestart.ts), with modules linked to its copies of our entries and zod
// through the link files (cli/module/links.ts). The in-process tests run the worker from the
// TypeScript sources; these run the built executable as a user does, as whole processes.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "../__tests__/run.ts";

const bin = join(repoRoot, "dist/opm/bin.cjs");
const WEB = join(repoRoot, "cli/testdata/web/module.opm.ts");

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

function opm(args: string[], cacheDir: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env["PATH"] ?? "",
          HOME: tempDir("opm-home-"),
          NO_COLOR: "1",
          OPM_CACHE_DIR: cacheDir,
          ...env,
        },
        timeout: 120_000,
      },
      (error, out, err) => resolve({ code: error === null ? 0 : Number(error.code ?? -1), out, err }),
    );
  });
}

const codeCaches = (cacheDir: string) =>
  existsSync(join(cacheDir, "v8")) ? readdirSync(join(cacheDir, "v8")).sort() : [];

beforeAll(() => {
  if (!existsSync(join(repoRoot, "dist/opm/module-worker-code.cjs")))
    throw new Error("dist/opm is missing or stale: run `npm run build:cli`");
});

describe("the bundled module worker", () => {
  it("renders a module byte-identical to its golden, the second time from its code cache", async () => {
    const cacheDir = tempDir("opm-bundle-cache-");
    const args = ["mod", "build", "examples/jellyfin", "-f", "examples/jellyfin/values.yaml"];
    const golden = readFileSync(join(repoRoot, "examples/jellyfin/expected.yaml"), "utf8");
    const first = await opm(args, cacheDir);
    expect(first).toEqual({ code: 0, out: golden, err: "" });
    const caches = codeCaches(cacheDir);
    expect(caches.filter((name) => name.startsWith("@module-worker."))).toHaveLength(1);
    expect(await opm(args, cacheDir)).toEqual({ code: 0, out: golden, err: "" });
    // The second run used the caches the first wrote, and wrote none.
    expect(codeCaches(cacheDir)).toEqual(caches);
  });

  it("links a module's zod and @opm/sdk imports to the worker's own copies", async () => {
    const dir = tempDir("opm-bundle-links-");
    const file = join(dir, "links.opm.ts");
    writeFileSync(
      file,
      `import web from ${JSON.stringify(WEB)};
import { z as fromDsl } from "@opm/sdk/dsl";
import * as zod from "zod";
import { z } from "zod";
import { isOpmError, OpmError } from "@opm/sdk";
if (fromDsl !== z || zod.z !== z) throw new Error("a second zod");
if (!isOpmError(new OpmError("Internal", { message: "x" }))) throw new Error("a second sdk");
export default web;
`,
    );
    const built = await opm(["mod", "build", file], tempDir("opm-bundle-cache-"));
    expect(built.err).toBe("");
    expect(built.code).toBe(0);
    expect(built.out).toContain("kind: Deployment");
  });

  it("still stops module code that loops (OPM8006) or exits (OPM8007)", async () => {
    const dir = tempDir("opm-bundle-hostile-");
    const loop = join(dir, "loop.opm.ts");
    writeFileSync(loop, `import web from ${JSON.stringify(WEB)};\nwhile (true) {}\nexport default web;\n`);
    const exits = join(dir, "exits.opm.ts");
    writeFileSync(exits, `import web from ${JSON.stringify(WEB)};\nprocess.exit(0);\nexport default web;\n`);
    const cacheDir = tempDir("opm-bundle-cache-");
    const looped = await opm(["mod", "build", loop, "--module-timeout", "1s"], cacheDir);
    expect(looped.code).toBe(1);
    expect(looped.err).toMatch(
      /^error OPM8006: module code did not finish loading .*loop\.opm\.ts within 1s/,
    );
    const exited = await opm(["mod", "build", exits], cacheDir);
    expect(exited.code).toBe(2);
    expect(exited.err).toContain(`error OPM8007: module code ended while loading ${exits} (process.exit(0))`);
  });

  it("ends a run that never used the worker it started early", async () => {
    // The command line names a TS module, so the worker starts; the flag error ends the run first.
    const run = await opm(
      ["mod", "build", "examples/jellyfin", "--no-such-flag"],
      tempDir("opm-bundle-cache-"),
    );
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^error OPM7001: opm mod build: /);
  });
});
