// Engine answers remembered by content (answer-cache.ts), against the real native engine: a
// session that asks what an earlier one asked never starts the engine; one that goes further
// starts it and finds the values the cached answers handed out; a changed file digest, a changed
// engine setting or an error answer is never served from the cache.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EngineAnswerCache } from "./answer-cache.ts";
import { ensureEngineBuilt } from "./__tests__/support.ts";
import { createCueEngine } from "./create.ts";
import type { CueEngine, CueEngineOptions } from "./engine.ts";
import { isCueEngineError } from "./errors.ts";

/** Answers kept in memory; `files` stands for the digest of what a load reads. */
function memoryCache(files: { digest: string }) {
  const answers = new Map<string, string>();
  const cache: EngineAnswerCache = {
    identity: "test",
    digestLoad: () => Promise.resolve(files.digest),
    get: (key) => Promise.resolve(answers.get(key)),
    put: (key, answer) => void answers.set(key, answer),
  };
  return { cache, answers };
}

const engines: CueEngine[] = [];
function engineWith(cache: EngineAnswerCache, options: CueEngineOptions = {}): CueEngine {
  const engine = createCueEngine({ engine: "native", cache, ...options });
  engines.push(engine);
  return engine;
}

beforeAll(() => ensureEngineBuilt());
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

describe("engine answers remembered by content", () => {
  it("serves a session that repeats an earlier one without starting the engine", async () => {
    const { cache, answers } = memoryCache({ digest: "a" });
    const session = async (engine: CueEngine) => {
      const value = await engine.compile('a: 1, b: a + 1, s: "x"');
      const data = await engine.export(value);
      await value.release();
      return data;
    };
    const first = engineWith(cache);
    expect(await session(first)).toEqual({ a: 1, b: 2, s: "x" });
    expect(first.pid).toBeGreaterThan(0);
    expect(answers.size).toBe(3);
    const second = engineWith(cache);
    expect(await session(second)).toEqual({ a: 1, b: 2, s: "x" });
    expect(second.pid).toBeUndefined();
  });

  it("starts the engine at the first new request, with the values cached answers handed out", async () => {
    const { cache } = memoryCache({ digest: "a" });
    const first = engineWith(cache);
    const a = await first.compile("x: int");
    await first.export(await first.fill(a, "x", { json: 1 }));
    const second = engineWith(cache);
    const b = await second.compile("x: int");
    const one = await second.fill(b, "x", { json: 1 });
    expect(second.pid).toBeUndefined();
    // Not asked before: the engine starts, replays compile and fill, then fills again.
    const two = await second.fill(b, "x", { json: 2 });
    expect(second.pid).toBeGreaterThan(0);
    expect(await second.export(two)).toEqual({ x: 2 });
    expect(await second.export(one)).toEqual({ x: 1 });
  });

  it("loads again when the files' digest changed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opm-answers-"));
    mkdirSync(join(dir, "cue.mod"));
    writeFileSync(
      join(dir, "cue.mod", "module.cue"),
      'module: "example.com/a@v0"\nlanguage: version: "v0.12.0"\n',
    );
    writeFileSync(join(dir, "a.cue"), "package a\nx: 1\n");
    const files = { digest: "before" };
    const { cache } = memoryCache(files);
    const load = async (engine: CueEngine) => engine.export((await engine.load({ dir })).value);
    expect(await load(engineWith(cache))).toEqual({ x: 1 });
    writeFileSync(join(dir, "a.cue"), "package a\nx: 2\n");
    const cached = engineWith(cache);
    // The same digest stands for the same files: the cache answers (this is why the CLI's
    // digest covers every file a load can read).
    expect(await load(cached)).toEqual({ x: 1 });
    expect(cached.pid).toBeUndefined();
    files.digest = "after";
    const fresh = engineWith(cache);
    expect(await load(fresh)).toEqual({ x: 2 });
    expect(fresh.pid).toBeGreaterThan(0);
  });

  it("keeps answers of other engine settings apart", async () => {
    const { cache } = memoryCache({ digest: "a" });
    await engineWith(cache).compile("x: 1");
    const other = engineWith(cache, { memoryLimitMB: 1024 });
    await other.compile("x: 1");
    expect(other.pid).toBeGreaterThan(0);
  });

  it("never stores an error answer", async () => {
    const { cache, answers } = memoryCache({ digest: "a" });
    const broken = async (engine: CueEngine) =>
      engine.compile("x: {").then(
        () => "(resolved)",
        (error: unknown) => (isCueEngineError(error) ? error.reason : "other"),
      );
    expect(await broken(engineWith(cache))).toBe("CueError");
    expect(answers.size).toBe(0);
    const again = engineWith(cache);
    expect(await broken(again)).toBe("CueError");
    expect(again.pid).toBeGreaterThan(0);
  });

  it("caches nothing from a load whose files have no digest on", async () => {
    const { cache, answers } = memoryCache({ digest: "a" });
    const undigested: EngineAnswerCache = { ...cache, digestLoad: () => Promise.resolve(undefined) };
    const engine = engineWith(undigested);
    const dir = mkdtempSync(join(tmpdir(), "opm-answers-"));
    writeFileSync(join(dir, "a.cue"), "x: 1\n");
    await engine.load({ dir }).catch(() => undefined);
    await engine.compile("y: 1");
    expect(answers.size).toBe(0);
  });
});
