// The CUE conformance suite for modules, run against both engine builds: loading from disk and
// from overlays, module errors with positions, and dependencies from a real OCI registry
// (Debian's docker-registry from testenv/, with a module published in CUE's layout).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Registry, startRegistry } from "../testenv/registry.ts";
import { expectIssue, failure, firstPosition } from "./__tests__/expect-engine.ts";
import { publishModule } from "./__tests__/publish-module.ts";
import { closedPort, ensureEngineBuilt, moduleFile, writeTree } from "./__tests__/support.ts";
import { createCueEngine } from "./create.ts";
import type { CueEngine } from "./engine.ts";

let registry: Registry;
const cleanup: string[] = [];

beforeAll(async () => {
  ensureEngineBuilt();
  registry = await startRegistry();
  await publishModule(registry.url, {
    modulePath: "example.com/lib@v0",
    version: "v0.1.0",
    files: {
      "cue.mod/module.cue": moduleFile("example.com/lib@v0"),
      "lib.cue": 'package lib\n\n#Greeting: "hello"\nport: 8080\n',
    },
  });
});

afterAll(async () => {
  await registry?.stop();
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
}

describe.each(["native", "wasm"] as const)("CUE engine module conformance (%s)", (kind) => {
  let engine: CueEngine;

  beforeAll(() => {
    // A fresh module cache per engine, so the wasm engine really fetches through the host.
    engine = createCueEngine({
      engine: kind,
      cueRegistry: `${registry.host}+insecure`,
      cacheDir: tempDir("opm-cue-cache-"),
    });
  });
  afterAll(async () => {
    await engine.close();
  });

  it("loads a module declaring language v0.15.0 from disk", async () => {
    const dir = writeTree({
      "cue.mod/module.cue": moduleFile("example.com/app@v0"),
      "app.cue": 'package app\n\nname: "web"\n',
      "more.cue": "package app\n\nport: 8080\n",
    });
    cleanup.push(dir);
    const loaded = await engine.load({ dir });
    expect(loaded.module).toBe("example.com/app@v0");
    expect(loaded.files).toEqual(["app.cue", "more.cue"]);
    expect(await engine.export(loaded.value)).toEqual({ name: "web", port: 8080 });
  });

  it("loads the named package when a directory holds several", async () => {
    const dir = writeTree({
      "cue.mod/module.cue": moduleFile("example.com/multi@v0"),
      "a.cue": 'package a\n\nwhich: "a"\n',
      "b.cue": 'package b\n\nwhich: "b"\n',
    });
    cleanup.push(dir);
    const loaded = await engine.load({ dir, package: "b" });
    expect(loaded.importPath).toBe("example.com/multi@v0:b");
    expect(loaded.files).toEqual(["b.cue"]);
    expect(await engine.export(loaded.value)).toEqual({ which: "b" });
  });

  it("loads a module given only as an overlay", async () => {
    const loaded = await engine.load({
      dir: "/virtual/app",
      overlay: {
        "cue.mod/module.cue": moduleFile("example.com/virtual@v0"),
        "a.cue": 'package a\n\nimport "example.com/virtual/sub"\n\nv: sub.x\n',
        "sub/sub.cue": "package sub\n\nx: 42\n",
      },
    });
    expect(await engine.export(loaded.value)).toEqual({ v: 42 });
  });

  it("a module file with a syntax error reports file, line and column", async () => {
    const dir = writeTree({
      "cue.mod/module.cue": moduleFile("example.com/bad@v0"),
      "bad.cue": "package bad\n\nx: [1, 2\n",
    });
    cleanup.push(dir);
    const error = await failure(engine.load({ dir }));
    expect(error.reason).toBe("LoadError");
    expect(error.issues.map((i) => [i.message, firstPosition(i)])).toEqual([
      ["missing ',' before newline in list literal", "bad.cue:3:10"],
    ]);
  });

  it("an evaluation error in a module is reported at its file position", async () => {
    const dir = writeTree({
      "cue.mod/module.cue": moduleFile("example.com/conf@v0"),
      "a.cue": 'package conf\n\n#S: {port: int}\ns: #S & {port: "x"}\n',
    });
    cleanup.push(dir);
    const loaded = await engine.load({ dir });
    const error = await failure(engine.export(loaded.value));
    expectIssue(error.issues, {
      path: "s.port",
      message: /conflicting values "x" and int/,
      at: "a.cue:3:12",
    });
  });

  it("an import cycle is a load error naming the cycle", async () => {
    const dir = writeTree({
      "cue.mod/module.cue": moduleFile("example.com/cycle@v0"),
      "a/a.cue": 'package a\n\nimport "example.com/cycle/b"\n\nx: b.y\n',
      "b/b.cue": 'package b\n\nimport "example.com/cycle/a"\n\ny: a.x\n',
    });
    cleanup.push(dir);
    const error = await failure(engine.load({ dir: join(dir, "a") }));
    expect(error.reason).toBe("LoadError");
    expect(error.issues[0]?.message).toBe("import failed: package import cycle not allowed");
    const positions = error.issues[0]?.positions.map((p) => `${p.file}:${p.line}:${p.column}`);
    expect(positions).toEqual(["a.cue:3:8", join(dir, "b/b.cue:3:8")]);
  });

  it("a directory that does not exist is a load error", async () => {
    const error = await failure(engine.load({ dir: join(tmpdir(), "opm-no-such-module-dir") }));
    expect(error.reason).toBe("LoadError");
    expect(error.message).toBe(`module directory ${join(tmpdir(), "opm-no-such-module-dir")} does not exist`);
  });

  it("resolves a dependency from the OCI registry", async () => {
    const dir = writeTree({
      "cue.mod/module.cue": moduleFile("example.com/app@v0", { "example.com/lib@v0": "v0.1.0" }),
      "app.cue": 'package app\n\nimport "example.com/lib"\n\ngreeting: lib.#Greeting\nport: lib.port + 1\n',
    });
    cleanup.push(dir);
    const loaded = await engine.load({ dir });
    expect(await engine.export(loaded.value)).toEqual({ greeting: "hello", port: 8081 });
  });

  it("a dependency fetched once loads from the module cache while the registry is down", async () => {
    const dir = writeTree({
      "cue.mod/module.cue": moduleFile("example.com/cached@v0", { "example.com/lib@v0": "v0.1.0" }),
      "app.cue": 'package cached\n\nimport "example.com/lib"\n\nport: lib.port\n',
    });
    cleanup.push(dir);
    expect(await engine.export((await engine.load({ dir })).value)).toEqual({ port: 8080 });
    const offline = await engine.load({ dir, registry: `127.0.0.1:${await closedPort()}+insecure` });
    expect(await engine.export(offline.value)).toEqual({ port: 8080 });
  });

  it("a registry that refuses connections is a load error with the cause", async () => {
    const dir = writeTree({
      "cue.mod/module.cue": moduleFile("example.com/app2@v0", { "example.com/missing@v0": "v0.1.0" }),
      "app.cue": 'package app2\n\nimport "example.com/missing"\n\nx: missing.y\n',
    });
    cleanup.push(dir);
    const port = await closedPort();
    const error = await failure(engine.load({ dir, registry: `127.0.0.1:${port}+insecure` }));
    expect(error.reason).toBe("LoadError");
    expect(error.issues[0]?.path).toBe("example.com/app2@v0");
    expect(firstPosition(error.issues[0])).toBe("app.cue:3:8");
    expect(error.message).toMatch(/cannot fetch example\.com\/missing@v0\.1\.0/);
    expect(error.message).toMatch(
      new RegExp(
        `127\\.0\\.0\\.1:${port}/v2/example\\.com/missing/manifests/v0\\.1\\.0.*(connection refused|ECONNREFUSED)`,
      ),
    );
  });

  it("a dependency missing from the registry is a load error", async () => {
    const dir = writeTree({
      "cue.mod/module.cue": moduleFile("example.com/app3@v0", { "example.com/lib@v0": "v0.9.0" }),
      "app.cue": 'package app3\n\nimport "example.com/lib"\n\nx: lib.port\n',
    });
    cleanup.push(dir);
    const error = await failure(engine.load({ dir }));
    expect(error.reason).toBe("LoadError");
    expect(error.message).toMatch(
      /cannot fetch example\.com\/lib@v0\.9\.0: module example\.com\/lib@v0\.9\.0: module not found$/,
    );
    expect(firstPosition(error.issues[0])).toBe("app.cue:3:8");
  });
});
