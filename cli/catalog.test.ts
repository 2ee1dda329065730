// The CLI with the built-in catalog: a CUE module builds with no registry reachable (the catch-all
// registry is a closed port), on the native and the wasm engine; `-v` says where opmodel.dev
// comes from and why; an explicit `opmodel.dev=` registry wins and `-v` shows what it shadows.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { closedPort } from "../bridge/__tests__/support.ts";
import { catalogRegistry, publishCatalog } from "../bridge/module/__tests__/catalog-registry.ts";
import { run, tempDir } from "./__tests__/run.ts";

let cwd: string;
let offline: Record<string, string>;

beforeAll(async () => {
  cwd = tempDir();
  offline = { CUE_REGISTRY: `127.0.0.1:${await closedPort()}+insecure`, CUE_CACHE_DIR: tempDir() };
  const init = await run(["mod", "init", "svc", "--lang", "cue", "-t", "simple"], { cwd });
  expect(init.code).toBe(0);
});

describe("CUE modules with the built-in catalog", () => {
  it.each(["native", "wasm"])(
    "build with no registry reachable (%s engine)",
    async (engine) => {
      const build = await run(["mod", "build", "svc"], { cwd, env: { ...offline, OPM_CUE_ENGINE: engine } });
      expect(build.err).toBe("");
      expect(build.code).toBe(0);
      expect(build.out).toContain("kind: Deployment");
    },
    120_000,
  );

  it("-v names the built-in catalog, its content version and directory", async () => {
    const build = await run(["mod", "build", "svc", "-v"], { cwd, env: offline });
    expect(build.code).toBe(0);
    expect(build.err).toMatch(
      /^ {2}catalog = built in v0\.1\.0-builtin-[0-9a-f]{12} \(\/\S+\/catalog\/cue\) \(default\)$/m,
    );
    expect(build.err).toMatch(/^ {2}registry = 127\.0\.0\.1:\d+\+insecure \(env\)$/m);
  }, 60_000);

  it("-v names the engine that ran and why", async () => {
    const platform = `${process.platform}-${process.arch}`;
    const native = await run(["mod", "build", "svc", "-v"], { cwd, env: offline });
    expect(native.code).toBe(0);
    expect(native.err).toContain(`\n  engine = native (${platform}) (default)\n`);
    const wasm = await run(["mod", "build", "svc", "-v"], {
      cwd,
      env: { ...offline, OPM_CUE_ENGINE: "wasm" },
    });
    expect(wasm.code).toBe(0);
    expect(wasm.err).toContain("\n  engine = wasm (OPM_CUE_ENGINE=wasm) (env)\n");
  }, 120_000);

  it("an explicit opmodel.dev registry wins, and -v shows the built-in catalog it shadows", async () => {
    const host = inject("registry");
    await publishCatalog(`http://${host}`);
    const registry = catalogRegistry(host);
    const build = await run(["mod", "build", "svc", "-v", "--registry", registry], { cwd, env: offline });
    expect(build.code).toBe(0);
    expect(build.out).toContain("kind: Deployment");
    expect(build.err).toContain(
      `  catalog = opmodel.dev/* from the registry (${registry}) (flag; shadows default: built in v0.1.0-builtin-`,
    );
  }, 60_000);

  it("rejects an unknown OPM_CUE_ENGINE with a usage error", async () => {
    const build = await run(["mod", "build", "svc"], { cwd, env: { ...offline, OPM_CUE_ENGINE: "jvm" } });
    expect(build.code).toBe(1);
    expect(build.err).toMatch(
      /^error OPM7001: OPM_CUE_ENGINE=jvm is not an engine\n {2}hint: use one of auto, native, wasm\n/,
    );
  });
});
