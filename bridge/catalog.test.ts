// The built-in catalog: opmodel.dev modules resolve from the package's own files with no registry
// (proved by a catch-all registry on a closed port), for the native and the wasm engine, at our
// versions and upstream's; an explicit `opmodel.dev=` registry entry still wins; the content
// version follows the files; a module the catalog lacks names what it has. The wasm engine gets
// HOME from the environment it is given, so modules from a registry land in HOME's cache.
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishModule } from "./__tests__/publish-module.ts";
import { closedPort, ensureEngineBuilt, moduleFile, writeTree } from "./__tests__/support.ts";
import { createCueEngine } from "./create.ts";
import type { CueEngine, CueEngineOptions } from "./engine.ts";
import { isCueEngineError } from "./errors.ts";
import { findBuiltinCatalog } from "./locate.ts";
import { CATALOG_CUE_DIR } from "./module/__tests__/catalog-registry.ts";

const engines: CueEngine[] = [];
let offline: string;
let emptyHome: string;

function engineFor(kind: "native" | "wasm", options: CueEngineOptions = {}): CueEngine {
  // A registry nobody listens on: any fetch fails, so what loads came from the built-in catalog.
  const engine = createCueEngine({
    engine: kind,
    cueRegistry: offline,
    env: { HOME: emptyHome },
    ...options,
  });
  engines.push(engine);
  return engine;
}

/** A user module importing the catalog at the given versions; exports what it read from it. */
function userModule(deps: Record<string, string>): string {
  return writeTree({
    "cue.mod/module.cue": moduleFile("example.com/app@v0", deps),
    "app.cue": [
      "package app",
      'import (\n\t"opmodel.dev/core@v0"\n\t"opmodel.dev/resources/workload@v0"\n)',
      'name: core.#NameType & "web"',
      "fqn: workload.#ContainerResource.metadata.fqn",
      "",
    ].join("\n"),
  });
}

async function loadAndExport(engine: CueEngine, dir: string, registry?: string): Promise<unknown> {
  const loaded = await engine.load(registry === undefined ? { dir } : { dir, registry });
  try {
    return await engine.export(loaded.value);
  } finally {
    await loaded.value.release();
  }
}

const OURS = { "opmodel.dev/core@v0": "v0.1.0", "opmodel.dev/resources@v0": "v0.1.0" };
const UPSTREAMS = { "opmodel.dev/core@v0": "v0.1.21", "opmodel.dev/resources@v0": "v0.2.15" };
const EXPECTED = { name: "web", fqn: "opmodel.dev/resources/workload@v0#Container" };

beforeAll(async () => {
  ensureEngineBuilt();
  offline = `127.0.0.1:${await closedPort()}+insecure`;
  emptyHome = mkdtempSync(join(tmpdir(), "opm-empty-home-"));
});

afterAll(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
  rmSync(emptyHome, { recursive: true, force: true });
});

describe.each(["native", "wasm"] as const)("the built-in catalog (%s engine)", (kind) => {
  it("serves our pinned versions with no registry reachable", async () => {
    expect(await loadAndExport(engineFor(kind), userModule(OURS))).toEqual(EXPECTED);
  }, 60_000);

  it("serves upstream's pinned versions from the same files", async () => {
    expect(await loadAndExport(engineFor(kind), userModule(UPSTREAMS))).toEqual(EXPECTED);
  }, 60_000);

  it("writes nothing to the module cache for built-in modules", async () => {
    const home = mkdtempSync(join(tmpdir(), "opm-home-"));
    const cacheDir = join(home, "cue-cache");
    await loadAndExport(engineFor(kind, { cacheDir, env: { HOME: home } }), userModule(OURS));
    expect(existsSync(cacheDir) ? readdirSync(cacheDir, { recursive: true }) : []).toEqual([]);
  }, 60_000);
});

describe("the built-in catalog", () => {
  it("ships with the package and reports a content version, every module served built in", async () => {
    const info = await engineFor("native").catalog();
    expect(info.dir).toBe(findBuiltinCatalog());
    expect(info.version).toMatch(/^v0\.1\.0-builtin-[0-9a-f]{12}$/);
    expect(info.version?.endsWith(info.digest!.slice(0, 12))).toBe(true);
    expect(info.modules.map((m) => m.path)).toEqual([
      "opmodel.dev/blueprints@v0",
      "opmodel.dev/core@v0",
      "opmodel.dev/interfaces@v0",
      "opmodel.dev/policies@v0",
      "opmodel.dev/providers@v0",
      "opmodel.dev/resources@v0",
      "opmodel.dev/schemas@v0",
      "opmodel.dev/traits@v0",
    ]);
    expect(new Set(info.modules.map((m) => m.servedBy))).toEqual(new Set(["builtin"]));
  });

  it("is a new version when a file changes, so nothing keyed by version can serve the old content", async () => {
    const copy = mkdtempSync(join(tmpdir(), "opm-catalog-copy-"));
    cpSync(CATALOG_CUE_DIR, copy, { recursive: true });
    const before = await engineFor("native", { catalogDir: copy }).catalog();
    writeFileSync(join(copy, "core", "extra.cue"), "package core\n\n#Extra: string\n");
    const after = await engineFor("native", { catalogDir: copy }).catalog();
    expect(after.digest).not.toBe(before.digest);
    expect(after.version).not.toBe(before.version);
    // The running engine reads the new content too: the built-in modules are never copied.
    const dir = writeTree({
      "cue.mod/module.cue": moduleFile("example.com/extra@v0", { "opmodel.dev/core@v0": "v0.1.0" }),
      "x.cue": 'package x\nimport "opmodel.dev/core@v0"\nx: core.#Extra & "yes"\n',
    });
    expect(await loadAndExport(engineFor("native", { catalogDir: copy }), dir)).toEqual({ x: "yes" });
    rmSync(copy, { recursive: true, force: true });
  });

  it("names the modules it has when a module imports an opmodel.dev module it lacks", async () => {
    const dir = writeTree({
      "cue.mod/module.cue": moduleFile("example.com/k8s@v0", {
        "opmodel.dev/schemas/kubernetes@v0": "v0.0.2",
      }),
      "x.cue": 'package x\nimport "opmodel.dev/schemas/kubernetes/core/v1"\nx: v1.#Pod\n',
    });
    const error = await loadAndExport(engineFor("native"), dir).catch((e: unknown) => e);
    expect(isCueEngineError(error, "LoadError")).toBe(true);
    expect((error as Error).message).toContain(
      "opmodel.dev/schemas/kubernetes@v0 is not in the built-in catalog (opmodel.dev/blueprints@v0, opmodel.dev/core@v0,",
    );
  });

  it("is off with catalogDir: false, so a registry must serve opmodel.dev", async () => {
    const error = await loadAndExport(engineFor("native", { catalogDir: false }), userModule(OURS)).catch(
      (e: unknown) => e,
    );
    expect(isCueEngineError(error, "LoadError")).toBe(true);
    expect((error as Error).message).toMatch(/cannot fetch opmodel\.dev\/core@v0\.1\.0.*connection refused/s);
  });
});

describe("an explicit registry for opmodel.dev", () => {
  // A core module whose content differs from ours, at a version only the registry has.
  const marked = {
    modulePath: "opmodel.dev/core@v0",
    version: "v0.9.9",
    files: {
      "cue.mod/module.cue": moduleFile("opmodel.dev/core@v0"),
      "marker.cue": 'package core\n\n#NameType: string\nfrom: "registry"\n',
    },
  };
  const module = () =>
    writeTree({
      "cue.mod/module.cue": moduleFile("example.com/which@v0", { "opmodel.dev/core@v0": "v0.9.9" }),
      "x.cue": 'package x\nimport "opmodel.dev/core@v0"\nfrom: *core.from | "builtin"\n',
    });

  beforeAll(async () => {
    await publishModule(`http://${inject("registry")}`, marked);
  });

  it.each(["native", "wasm"] as const)(
    "wins over the built-in catalog (%s)",
    async (kind) => {
      const explicit = `opmodel.dev=${inject("registry")}+insecure`;
      const home = mkdtempSync(join(tmpdir(), "opm-home-"));
      const engine = engineFor(kind, { env: { HOME: home } });
      expect(await loadAndExport(engine, module(), explicit)).toEqual({ from: "registry" });
      expect(
        (await engine.catalog({ registry: explicit })).modules.every((m) => m.servedBy === "registry"),
      ).toBe(true);
    },
    60_000,
  );

  it("a catch-all registry does not displace the built-in catalog", async () => {
    const catchAll = `${inject("registry")}+insecure`;
    expect(await loadAndExport(engineFor("native"), module(), catchAll)).toEqual({ from: "builtin" });
  });

  it("a prefix routed to `none` does not count as explicit", async () => {
    const engine = engineFor("native");
    const info = await engine.catalog({ registry: `opmodel.dev=none,${offline}` });
    expect(info.modules.every((m) => m.servedBy === "builtin")).toBe(true);
  });

  it("is read from inline registry configurations too", async () => {
    const inline = `inline:moduleRegistries: "opmodel.dev/core": registry: "${inject("registry")}+insecure"`;
    const info = await engineFor("native").catalog({ registry: inline });
    const served = Object.fromEntries(info.modules.map((m) => [m.path, m.servedBy]));
    expect(served["opmodel.dev/core@v0"]).toBe("registry");
    expect(served["opmodel.dev/resources@v0"]).toBe("builtin");
  });
});

describe("the wasm engine's module cache", () => {
  it("lives under the HOME it is given, so registry modules load without CUE_CACHE_DIR", async () => {
    const home = mkdtempSync(join(tmpdir(), "opm-wasm-home-"));
    await publishModule(`http://${inject("registry")}`, {
      modulePath: "example.com/lib@v0",
      version: "v0.1.0",
      files: {
        "cue.mod/module.cue": moduleFile("example.com/lib@v0"),
        "lib.cue": "package lib\n\ngreeting: 1\n",
      },
    });
    const dir = writeTree({
      "cue.mod/module.cue": moduleFile("example.com/uses@v0", { "example.com/lib@v0": "v0.1.0" }),
      "x.cue": 'package x\nimport "example.com/lib@v0"\nx: lib.greeting\n',
    });
    const engine = engineFor("wasm", { cueRegistry: `${inject("registry")}+insecure`, env: { HOME: home } });
    expect(await loadAndExport(engine, dir)).toEqual({ x: 1 });
    expect(existsSync(join(home, ".cache", "cue", "opm-wasm", "extract", "example.com", "lib@v0.1.0"))).toBe(
      true,
    );
  }, 60_000);
});
