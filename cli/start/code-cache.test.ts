// The V8 code cache the executable starts the CLI with (code-cache.ts): a second run of the same
// file and command uses what the first compiled; a changed file, another command or data V8
// refuses is compiled afresh (and the cache written again), never run from stale code.
import { readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../__tests__/run.ts";
import { opmCacheDir } from "./cache-dir.ts";
import { CACHES_PER_COMMAND, commandTag, runWithCodeCache } from "./code-cache.ts";

function cjsFile(body: string): string {
  const file = join(tempDir("opm-code-cache-"), "cli.cjs");
  writeFileSync(file, body);
  return file;
}

const source = (answer: number) =>
  `const { basename } = require("node:path");\n` +
  `exports.answer = () => ${answer};\nexports.where = () => [basename(__filename), module.exports === exports];\n`;

describe("runWithCodeCache", () => {
  it("runs the file as CommonJS and reuses its code cache on the next run", () => {
    const file = cjsFile(source(1));
    const cacheDir = join(tempDir(), "v8");
    const first = runWithCodeCache(file, cacheDir, "mod-build");
    expect(first.fromCache).toBe(false);
    expect((first.exports["answer"] as () => number)()).toBe(1);
    expect((first.exports["where"] as () => unknown)()).toEqual(["cli.cjs", true]);
    first.save();
    expect(readdirSync(cacheDir)).toHaveLength(1);
    const second = runWithCodeCache(file, cacheDir, "mod-build");
    expect(second.fromCache).toBe(true);
    expect((second.exports["answer"] as () => number)()).toBe(1);
  });

  it("compiles a changed file afresh, even of the same length", () => {
    const file = cjsFile(source(1));
    const cacheDir = join(tempDir(), "v8");
    runWithCodeCache(file, cacheDir, "mod-build").save();
    writeFileSync(file, source(2));
    const changed = runWithCodeCache(file, cacheDir, "mod-build");
    expect(changed.fromCache).toBe(false);
    expect((changed.exports["answer"] as () => number)()).toBe(2);
    // The cache of the earlier build stays beside the new one: two builds sharing the directory
    // (two checkouts, an upgrade and a rollback) no longer replace each other's.
    changed.save();
    expect(readdirSync(cacheDir)).toHaveLength(2);
    writeFileSync(file, source(1));
    expect(runWithCodeCache(file, cacheDir, "mod-build").fromCache).toBe(true);
  });

  it("keeps the newest few caches of a command, of as many builds", () => {
    const cacheDir = join(tempDir(), "v8");
    const file = cjsFile(source(0));
    const seen = new Set<string>();
    for (let build = 0; build < CACHES_PER_COMMAND + 2; build++) {
      writeFileSync(file, source(build));
      const compiled = runWithCodeCache(file, cacheDir, "mod-build");
      expect((compiled.exports["answer"] as () => number)()).toBe(build);
      compiled.save();
      // Written in order: the oldest goes first whatever the clock's resolution.
      const written = readdirSync(cacheDir).find((name) => !seen.has(name))!;
      seen.add(written);
      utimesSync(join(cacheDir, written), build + 1, build + 1);
    }
    runWithCodeCache(cjsFile(source(9)), cacheDir, "version").save();
    const kept = readdirSync(cacheDir);
    expect(kept.filter((name) => name.startsWith("mod-build."))).toHaveLength(CACHES_PER_COMMAND);
    expect(kept.filter((name) => name.startsWith("version."))).toHaveLength(1);
    writeFileSync(file, source(0));
    expect(runWithCodeCache(file, cacheDir, "mod-build").fromCache).toBe(false);
    writeFileSync(file, source(CACHES_PER_COMMAND + 1));
    expect(runWithCodeCache(file, cacheDir, "mod-build").fromCache).toBe(true);
  });

  it("keys the cache by a digest the caller gives, without reading the file for it", () => {
    const cacheDir = join(tempDir(), "v8");
    const file = cjsFile(source(4));
    const digest = "ab".repeat(32);
    runWithCodeCache(file, cacheDir, "mod-build", digest).save();
    expect(readdirSync(cacheDir)).toEqual([
      `mod-build.${digest.slice(0, 32)}-${process.version}-${process.arch}.bin`,
    ]);
    expect(runWithCodeCache(file, cacheDir, "mod-build", digest).fromCache).toBe(true);
    // Another digest is another build: compiled afresh.
    expect(runWithCodeCache(file, cacheDir, "mod-build", "cd".repeat(32)).fromCache).toBe(false);
  });

  it("keeps one cache per command", () => {
    const file = cjsFile(source(1));
    const cacheDir = join(tempDir(), "v8");
    runWithCodeCache(file, cacheDir, "mod-build").save();
    expect(runWithCodeCache(file, cacheDir, "version").fromCache).toBe(false);
  });

  it("replaces data V8 refuses, and runs without a cache directory", () => {
    const file = cjsFile(source(3));
    const cacheDir = join(tempDir(), "v8");
    runWithCodeCache(file, cacheDir, "x").save();
    const [entry] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, entry!), "not a code cache");
    // The same content elsewhere has the same key; V8 compiled this file already in this process
    // and would not even look at the data for it.
    const copy = cjsFile(source(3));
    const refused = runWithCodeCache(copy, cacheDir, "x");
    expect(refused.fromCache).toBe(false);
    expect((refused.exports["answer"] as () => number)()).toBe(3);
    refused.save();
    expect(runWithCodeCache(cjsFile(source(3)), cacheDir, "x").fromCache).toBe(true);
    const none = runWithCodeCache(file, undefined, "x");
    expect((none.exports["answer"] as () => number)()).toBe(3);
    expect(() => none.save()).not.toThrow();
  });
});

describe("commandTag", () => {
  it("is the leading command words", () => {
    expect(commandTag(["mod", "build", ".", "-f", "x"])).toBe("mod-build");
    expect(commandTag(["version"])).toBe("version");
    expect(commandTag(["mod", "./app"])).toBe("mod");
    expect(commandTag(["--help"])).toBe("-");
  });
});

describe("opmCacheDir", () => {
  it("is OPM_CACHE_DIR's, else XDG_CACHE_HOME's, else HOME's, else none", () => {
    expect(opmCacheDir({ OPM_CACHE_DIR: "/c", HOME: "/h" }, "v8")).toBe("/c/v8");
    expect(opmCacheDir({ XDG_CACHE_HOME: "/x", HOME: "/h" }, "v8")).toBe("/x/opm/v8");
    expect(opmCacheDir({ HOME: "/h" }, "v8")).toBe("/h/.cache/opm/v8");
    expect(opmCacheDir({}, "v8")).toBeUndefined();
  });
});
