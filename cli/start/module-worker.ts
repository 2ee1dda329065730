// The module worker's thread entry in the bundled CLI (dist/opm/module-worker.cjs, built by
// cli/build-bundle.ts; cli/module/runner.ts starts it). It runs the worker's code,
// dist/opm/module-worker-code.cjs, with a V8 code cache as bin.cjs runs the CLI (code-cache.ts):
// a worker thread is a fresh V8 isolate that would otherwise parse and compile zod, the sdk, the
// dsl and the catalog again at every start. The cache is written when the CLI ends the worker.
import { join } from "node:path";
import type { start as Start } from "../module/worker-bundled.ts";
import { opmCacheDir } from "./cache-dir.ts";
import { runWithCodeCache } from "./code-cache.ts";

/** module-worker-code.cjs's content digest, written in by cli/build-bundle.ts. */
declare const OPM_WORKER_CODE_DIGEST: string;

// Not a tag commandTag() can return, so no command's cache is taken for this one (or removed).
const TAG = "@module-worker";

// The worker is started with the CLI run's environment, so this is the CLI's cache directory.
const cacheDir = opmCacheDir(process.env, "v8");
const compiled = runWithCodeCache(
  join(__dirname, "module-worker-code.cjs"),
  cacheDir,
  TAG,
  OPM_WORKER_CODE_DIGEST,
);
let saved = compiled.fromCache || cacheDir === undefined;
(compiled.exports as { start: typeof Start }).start({
  // A real import(): this file is loaded by Node's CommonJS loader, which provides it.
  importFile: (url) => import(url) as Promise<Record<string, unknown>>,
  codeCacheToWrite: !saved,
  saveCodeCache: () => {
    if (saved) return;
    saved = true;
    compiled.save();
  },
});
