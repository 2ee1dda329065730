// `opm mod tidy` and `opm mod update` against the real registry, with `cue mod tidy` as the
// oracle for the module.cue they write.
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { run, tempDir } from "../__tests__/run.ts";
import { cueModuleFile, runTool, writeFiles } from "./__tests__/tools.ts";

const host = inject("registry");
const registry = `example.com=${host}+insecure`;

async function publish(
  path: string,
  version: string,
  files: Record<string, string>,
  deps: Record<string, string> = {},
) {
  const dir = writeFiles(tempDir(), { "cue.mod/module.cue": cueModuleFile(`${path}@v0`, deps), ...files });
  const result = await run(["mod", "publish", dir, "--version", version, "--registry", registry]);
  expect(result.code, result.err).toBe(0);
}

beforeAll(async () => {
  await publish("example.com/tbase", "v0.1.0", { "b.cue": "package tbase\n\nport: 1\n" });
  await publish("example.com/tbase", "v0.2.0", { "b.cue": "package tbase\n\nport: 2\n" });
  const lib = (v: string) => ({
    "l/l.cue": `package l\n\nimport "example.com/tbase"\n\nport: tbase.port\nlib: "${v}"\n`,
  });
  await publish("example.com/tlib", "v0.1.0", lib("v0.1.0"), { "example.com/tbase@v0": "v0.1.0" });
  await publish("example.com/tlib", "v0.2.0", lib("v0.2.0"), { "example.com/tbase@v0": "v0.2.0" });
}, 60_000);

const app = (deps: Record<string, string> = {}) => ({
  "cue.mod/module.cue": cueModuleFile("example.com/tapp@v0", deps),
  "a.cue":
    '// the app\npackage tapp\n\nimport (\n\t"strings"\n\tl "example.com/tlib/l"\n)\n\nout: strings.ToUpper(l.lib)\nport: l.port\n',
});

describe("opm mod tidy", () => {
  it("writes the module.cue cue mod tidy writes, dropping unused dependencies", async () => {
    const viaOpm = writeFiles(
      tempDir(),
      app({ "example.com/tbase@v0": "v0.1.0", "example.com/unused@v0": "v0.0.1" }),
    );
    const viaCue = tempDir();
    cpSync(viaOpm, viaCue, { recursive: true });
    const env = { HOME: tempDir(), CUE_REGISTRY: registry, CUE_CACHE_DIR: join(tempDir(), "c") };
    // cue needs the unused module to exist to read it; opm drops it without asking.
    writeFiles(viaCue, {
      "cue.mod/module.cue": cueModuleFile("example.com/tapp@v0", { "example.com/tbase@v0": "v0.1.0" }),
    });
    const cueTidy = await runTool("cue", ["mod", "tidy"], { cwd: viaCue, env });
    expect(cueTidy.code, cueTidy.err).toBe(0);
    const check = await run(["mod", "tidy", "--dir", viaOpm, "--check", "--registry", registry]);
    expect(check.code).toBe(1);
    expect(readFileSync(join(viaOpm, "cue.mod/module.cue"), "utf8")).toContain("unused");
    const tidy = await run(["mod", "tidy", "--dir", viaOpm, "--registry", registry]);
    expect(tidy.code, tidy.err).toBe(0);
    expect(tidy.out).toBe("added example.com/tlib@v0@v0.2.0\nremoved example.com/unused@v0\n");
    expect(readFileSync(join(viaOpm, "cue.mod/module.cue"), "utf8")).toBe(
      readFileSync(join(viaCue, "cue.mod/module.cue"), "utf8"),
    );
    const exported = await runTool("cue", ["export", "-e", "port"], { cwd: viaOpm, env });
    expect(exported.out.trim()).toBe("2");
    expect((await run(["mod", "tidy", "--dir", viaOpm, "--check", "--registry", registry])).code).toBe(0);
  });

  it("names the import no module provides, with its file", async () => {
    const dir = writeFiles(tempDir(), {
      "cue.mod/module.cue": cueModuleFile("example.com/broken@v0"),
      "x.cue": 'package broken\n\nimport "example.com/nothing/here"\n\nx: here.y\n',
    });
    const result = await run(["mod", "tidy", "--dir", dir, "--registry", registry]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("OPM9018");
    expect(result.err).toContain('"example.com/nothing/here"');
    expect(result.err).toContain("x.cue");
  });
});

describe("opm mod update", () => {
  it("lists updates with --check, then moves to them with minimum version selection", async () => {
    const dir = writeFiles(
      tempDir(),
      app({ "example.com/tlib@v0": "v0.1.0", "example.com/tbase@v0": "v0.1.0" }),
    );
    const check = await run(["mod", "update", "--dir", dir, "--check", "--registry", registry]);
    expect(check.code).toBe(1);
    expect(check.out).toBe("example.com/tbase@v0 v0.1.0 -> v0.2.0\nexample.com/tlib@v0 v0.1.0 -> v0.2.0\n");
    const before = readFileSync(join(dir, "cue.mod/module.cue"), "utf8");
    const onlyBase = await run(["mod", "update", "example.com/tbase", "--dir", dir, "--registry", registry]);
    expect(onlyBase.code, onlyBase.err).toBe(0);
    const afterBase = readFileSync(join(dir, "cue.mod/module.cue"), "utf8");
    expect(afterBase).not.toBe(before);
    expect(afterBase).toMatch(/"example\.com\/tlib@v0": \{\n\t\tv: "v0\.1\.0"/);
    expect((await run(["mod", "update", "--dir", dir, "--registry", registry])).code).toBe(0);
    expect(readFileSync(join(dir, "cue.mod/module.cue"), "utf8")).toMatch(
      /"example\.com\/tlib@v0": \{\n\t\tv: "v0\.2\.0"/,
    );
    const none = await run(["mod", "update", "--dir", dir, "--check", "--registry", registry]);
    expect(none.code).toBe(0);
    expect(none.err).toContain("every dependency is at its latest version");
    const unknown = await run(["mod", "update", "example.com/other", "--dir", dir, "--registry", registry]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("OPM9018");
  });
});
