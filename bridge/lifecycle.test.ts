// The engine as a process: lazy start, restart after a crash, timeouts, cancellation, memory
// ceiling, missing artefacts, and no child process or global left behind after close().
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureEngineBuilt, processExists } from "./__tests__/support.ts";
import { createCueEngine } from "./create.ts";
import type { CueEngine } from "./engine.ts";
import { isCueEngineError } from "./errors.ts";
import {
  NATIVE_PLATFORMS,
  artefactCandidates,
  catalogCandidates,
  findArtefact,
  nativeBinaryName,
} from "./locate.ts";

// Pairs of ranges: quadratic work that keeps the engine busy for a while (about 1 s at 100).
const busySource = (n: number) =>
  `import "list"\nx: [for i in list.Range(0, ${n}, 1) for j in list.Range(0, ${n}, 1) {i*j}]\nn: len(x)\n`;

const engines: CueEngine[] = [];
function track(engine: CueEngine): CueEngine {
  engines.push(engine);
  return engine;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isCueEngineError(error)) return error.reason;
    throw error;
  }
  return "(resolved)";
}

function engineChildren(): string[] {
  const out = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(process.pid)], { encoding: "utf8" });
  return out.split("\n").filter((line) => line.includes("cue-engine"));
}

beforeAll(() => ensureEngineBuilt());
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

describe("native engine process", () => {
  it("starts lazily, once, and auto picks native when it is built", async () => {
    const engine = track(createCueEngine());
    expect(engine.kind).toBe("native");
    expect(engine.pid).toBeUndefined();
    await engine.ping();
    const pid = engine.pid;
    expect(pid).toBeGreaterThan(0);
    await engine.ping();
    expect(engine.pid).toBe(pid);
  });

  it("a helper killed mid-request rejects with EngineCrashed, and the next request restarts it", async () => {
    const engine = track(createCueEngine({ engine: "native" }));
    const value = await engine.compile("a: 1");
    const pid = engine.pid!;
    const busy = engine.compile(busySource(300));
    setTimeout(() => process.kill(pid, "SIGKILL"), 200);
    const error = await busy.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCueEngineError(error, "EngineCrashed")).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`pid ${pid}\\) stopped with signal SIGKILL`));
    expect(await engine.export(await engine.compile("b: 2"))).toEqual({ b: 2 });
    expect(engine.pid).not.toBe(pid);
    expect(await codeOf(engine.export(value))).toBe("HandleInvalidated");
  });

  it("a request over its timeout rejects with Timeout and the busy helper is replaced", async () => {
    const engine = track(createCueEngine({ engine: "native" }));
    await engine.ping();
    const pid = engine.pid!;
    const started = Date.now();
    expect(await codeOf(engine.compile(busySource(300), { timeoutMs: 300 }))).toBe("Timeout");
    expect(Date.now() - started).toBeLessThan(2000);
    await expect.poll(() => processExists(pid)).toBe(false);
    expect(await engine.export(await engine.compile("ok: true"))).toEqual({ ok: true });
  });

  it("an aborted request rejects with Aborted without killing the helper", async () => {
    const engine = track(createCueEngine({ engine: "native" }));
    await engine.ping();
    const pid = engine.pid;
    const controller = new AbortController();
    const busy = engine.compile(busySource(60), { signal: controller.signal });
    controller.abort();
    expect(await codeOf(busy)).toBe("Aborted");
    expect(await codeOf(engine.ping({ signal: AbortSignal.abort() }))).toBe("Aborted");
    expect((await engine.ping()).pong).toBe(true);
    expect(engine.pid).toBe(pid);
  });

  it("close() rejects requests in flight with Closed and leaves no child process", async () => {
    const engine = createCueEngine({ engine: "native" });
    await engine.ping();
    const pid = engine.pid!;
    const busy = codeOf(engine.compile(busySource(300)));
    await engine.close();
    expect(await busy).toBe("Closed");
    expect(processExists(pid)).toBe(false);
    expect(engineChildren()).toEqual([]);
    expect(await codeOf(engine.ping())).toBe("Closed");
  });

  it("the memory ceiling refuses new work but still answers ping and release", async () => {
    const engine = track(createCueEngine({ engine: "native", memoryLimitMB: 1 }));
    expect((await engine.ping()).pong).toBe(true);
    expect(await codeOf(engine.compile("a: 1"))).toBe("MemoryLimit");
  });

  it("a missing binary is EngineUnavailable, with the build command in the message", async () => {
    const engine = track(createCueEngine({ engine: "native", nativeBinary: "/nonexistent/cue-engine" }));
    const error = await engine.ping().catch((e: unknown) => e);
    expect(isCueEngineError(error, "EngineUnavailable")).toBe(true);
    expect((error as Error).message).toMatch(/npm run build:engine/);
  });
});

describe("wasm engine instance", () => {
  it("a missing wasm file is EngineUnavailable", async () => {
    const engine = track(createCueEngine({ engine: "wasm", wasmFile: "/nonexistent/cue-engine.wasm" }));
    expect(await codeOf(engine.ping())).toBe("EngineUnavailable");
  });

  it("a request over its timeout rejects with Timeout once the engine yields", async () => {
    const engine = track(createCueEngine({ engine: "wasm" }));
    await engine.ping();
    expect(await codeOf(engine.compile(busySource(100), { timeoutMs: 50 }))).toBe("Timeout");
    expect((await engine.ping()).pong).toBe(true);
  });

  it("close() removes the engine's globals and rejects later requests", async () => {
    const engine = createCueEngine({ engine: "wasm" });
    await engine.ping();
    const ours = () => Object.keys(globalThis).filter((k) => k.startsWith("__opmCueEngine_"));
    expect(ours().length).toBeGreaterThan(0);
    await engine.close();
    await expect.poll(ours).toEqual([]);
    expect(await codeOf(engine.ping())).toBe("Closed");
  });
});

describe("the auto engine", () => {
  /** An engine that must fall back, and the notices it gave. */
  function autoWith(nativeBinary: string): { engine: CueEngine; notices: string[] } {
    const notices: string[] = [];
    const engine = track(createCueEngine({ nativeBinary, onNotice: (m) => notices.push(m) }));
    return { engine, notices };
  }

  async function expectFallback(nativeBinary: string, reason: RegExp): Promise<void> {
    const { engine, notices } = autoWith(nativeBinary);
    expect(engine.kind).toBe("native");
    const [a, b] = await Promise.all([engine.compile("a: 1"), engine.compile("b: 2")]);
    expect(await engine.export(a)).toEqual({ a: 1 });
    expect(await engine.export(b)).toEqual({ b: 2 });
    expect(engine.kind).toBe("wasm");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^the native CUE engine for \S+ cannot start \(.*\); using the wasm engine$/s);
    expect(notices[0]).toMatch(reason);
  }

  it("uses the wasm engine when the native binary is missing, and says so once", async () => {
    await expectFallback("/nonexistent/cue-engine", /missing at \/nonexistent\/cue-engine/);
  });

  it("uses the wasm engine when the native binary is for another platform", async () => {
    const os = `${process.platform}-`;
    const foreign = NATIVE_PLATFORMS.find((p) => !p.startsWith(os) && !p.startsWith("win32"))!;
    const [platform, arch] = foreign.split("-") as [string, string];
    // Linux hands a binary it cannot execute to /bin/sh, which fails on it; macOS says ENOEXEC.
    await expectFallback(
      findArtefact(nativeBinaryName(platform, arch))!,
      /stopped with exit code \d+\)|ENOEXEC/,
    );
  });

  it("uses the wasm engine when executing the native binary is refused", async () => {
    const copy = join(mkdtempSync(join(tmpdir(), "opm-noexec-")), "cue-engine");
    copyFileSync(findArtefact(nativeBinaryName())!, copy);
    chmodSync(copy, 0o644);
    await expectFallback(copy, /EACCES/);
  });

  it("stays native, with no notice, when the native binary starts", async () => {
    const notices: string[] = [];
    const engine = track(createCueEngine({ onNotice: (m) => notices.push(m) }));
    await engine.ping();
    expect(engine.kind).toBe("native");
    expect(notices).toEqual([]);
  });

  it("reports a crash after the first answer instead of falling back", async () => {
    const engine = track(createCueEngine());
    await engine.ping();
    const busy = engine.compile(busySource(300));
    setTimeout(() => process.kill(engine.pid!, "SIGKILL"), 200);
    expect(await codeOf(busy)).toBe("EngineCrashed");
    expect(engine.kind).toBe("native");
  });
});

describe("artefact paths", () => {
  it("are looked up next to the sources and, from the compiled dist/ or the CLI bundle, in the package's bridge/dist", () => {
    const name = nativeBinaryName("linux", "x64");
    expect(name).toBe("native/linux-x64/cue-engine");
    expect(nativeBinaryName("win32", "x64")).toBe("native/win32-x64/cue-engine.exe");
    for (const from of ["bridge/locate.ts", "dist/bridge/locate.js", "dist/opm/chunk.js"]) {
      expect(artefactCandidates(name, `file:///pkg/${from}`)).toContain(`/pkg/bridge/dist/${name}`);
      expect(catalogCandidates(`file:///pkg/${from}`)).toContain("/pkg/catalog/cue");
    }
  });

  it("has a native engine for every platform the package ships", () => {
    for (const platform of NATIVE_PLATFORMS) {
      const [os, arch] = platform.split("-") as [string, string];
      expect(findArtefact(nativeBinaryName(os, arch)), platform).toBeDefined();
    }
  });
});
