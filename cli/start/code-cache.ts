// Runs a CommonJS file with a V8 code cache, so that a start-up does not parse and compile the
// CLI's code again (Node 20 has no compile cache of its own: module.enableCompileCache arrived
// in Node 22). The cache is what V8 compiled during an earlier run of the same command, stored
// under the user's cache directory, keyed by the file's content (V8 itself checks only its
// length), Node's version and architecture and the command: a rebuilt CLI is a different key,
// and V8 refuses data of another V8 build or flags (then the cache is written again).
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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

/**
 * Runs the CommonJS file `file` (as `require` would, with its own `require`, `module` and
 * `__dirname`), compiled from the code cache in `cacheDir` for `tag` when there is a usable one.
 */
export function runWithCodeCache(file: string, cacheDir: string | undefined, tag: string): CompiledFile {
  const bytes = readFileSync(file);
  const source = bytes.toString("utf8");
  const cacheFile = cacheDir === undefined ? undefined : join(cacheDir, `${tag}.${cacheKey(bytes, tag)}.bin`);
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
        // One cache per command: those of an earlier build of the CLI are of no more use.
        for (const name of readdirSync(cacheDir!)) {
          if (name.startsWith(`${tag}.`) && name.endsWith(".bin") && join(cacheDir!, name) !== cacheFile)
            rmSync(join(cacheDir!, name), { force: true });
        }
      } catch {
        // Without a cache the next start compiles again; nothing else depends on it.
      }
    },
  };
}

function cacheKey(content: Buffer, tag: string): string {
  return createHash("sha256")
    .update(`${process.version}\0${process.arch}\0${tag}\0`)
    .update(content)
    .digest("hex")
    .slice(0, 32);
}
