// Runs a CommonJS file with a V8 code cache, so that a start-up does not parse and compile the
// CLI's code again (Node 20 has no compile cache of its own: module.enableCompileCache arrived
// in Node 22). The cache is what V8 compiled during an earlier run of the same command, stored
// under the user's cache directory, keyed by the file's content (V8 itself checks only its
// length), Node's version and architecture and the command: a rebuilt CLI is a different key,
// and V8 refuses data of another V8 build or flags (then the cache is written again).
// The bundled executable passes the content's digest computed when it was built
// (cli/build-bundle.ts), so a start-up neither loads node:crypto nor hashes megabytes; other
// callers have the file hashed here. Caches of several builds sharing one directory (two
// checkouts, an upgrade and a rollback) coexist: each command keeps its last few.
import type * as Crypto from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

export interface CompiledFile {
  /** What the file's code put on `module.exports`. */
  readonly exports: Record<string, unknown>;
  /** The code cache was used (false: absent, refused by V8, or no cache directory). */
  readonly fromCache: boolean;
  /** Stores the code cache for the next run, when this run had none to use. Never throws. */
  save(): void;
}

/** The leading command words (`mod build` of `mod build . -f x`), which code a run compiles. */
export function commandTag(argv: readonly string[]): string {
  const words: string[] = [];
  for (const arg of argv) {
    if (words.length === 2 || !/^[a-z][a-z-]*$/.test(arg)) break;
    words.push(arg);
  }
  return words.length === 0 ? "-" : words.join("-");
}

/** How many code caches (builds of the CLI) each command keeps; older ones are removed. */
export const CACHES_PER_COMMAND = 4;

/**
 * Runs the CommonJS file `file` (as `require` would, with its own `require`, `module` and
 * `__dirname`), compiled from the code cache in `cacheDir` for `tag` when there is a usable one.
 * `digest` is the file's content digest when the caller knows it (hex, computed at build time).
 */
export function runWithCodeCache(
  file: string,
  cacheDir: string | undefined,
  tag: string,
  digest?: string,
): CompiledFile {
  const bytes = readFileSync(file);
  const source = bytes.toString("utf8");
  const cacheFile =
    cacheDir === undefined ? undefined : join(cacheDir, `${tag}.${cacheKey(file, bytes, tag, digest)}.bin`);
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile !== undefined) cachedData = readFileSync(cacheFile);
  } catch {
    // none yet
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapper, { filename: file, ...(cachedData === undefined ? {} : { cachedData }) });
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, dirname(file));
  const fromCache = cachedData !== undefined && script.cachedDataRejected !== true;
  return {
    exports: module.exports,
    fromCache,
    save: () => {
      if (fromCache || cacheFile === undefined) return;
      try {
        mkdirSync(cacheDir!, { recursive: true });
        // Written whole, then renamed: a concurrent run never reads half a cache.
        const partial = `${cacheFile}.${process.pid}.partial`;
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
        keepNewest(cacheDir!, tag);
      } catch {
        // Without a cache the next start compiles again; nothing else depends on it.
      }
    },
  };
}

/**
 * Removes the caches of `tag` beyond the newest CACHES_PER_COMMAND (by the time each was written),
 * so several builds of the CLI sharing the directory keep theirs while the directory stays bounded.
 */
function keepNewest(cacheDir: string, tag: string): void {
  const caches = readdirSync(cacheDir)
    .filter((name) => name.startsWith(`${tag}.`) && name.endsWith(".bin"))
    .map((name) => {
      try {
        return { name, written: statSync(join(cacheDir, name)).mtimeMs };
      } catch {
        return { name, written: 0 };
      }
    })
    .sort((a, b) => b.written - a.written || a.name.localeCompare(b.name));
  for (const { name } of caches.slice(CACHES_PER_COMMAND)) rmSync(join(cacheDir, name), { force: true });
}

function cacheKey(file: string, content: Buffer, tag: string, digest: string | undefined): string {
  // The digest is of the content alone; Node's version and architecture name the V8 build (the tag
  // is already in the file name). Plain text, so this costs no hashing.
  if (digest !== undefined) return `${digest.slice(0, 32)}-${process.version}-${process.arch}`;
  // Loaded only here: node:crypto costs a start-up several milliseconds.
  // (any require resolves a built-in; this file's own import.meta is gone in the bundle).
  const { createHash } = createRequire(file)("node:crypto") as typeof Crypto;
  return createHash("sha256")
    .update(`${process.version}\0${process.arch}\0${tag}\0`)
    .update(content)
    .digest("hex")
    .slice(0, 32);
}
