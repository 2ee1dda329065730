// The module worker as the bundled CLI runs it (dist/opm/module-worker-code.cjs, one CommonJS file
// started from a V8 code cache by cli/start/module-worker.ts). worker.ts serves the requests; this
// adds what such a file lacks: the worker's entries, which a module's bundle reaches through the
// link files (links.ts), and the hooks of its thread entry (worker-hooks.ts). Each entry is
// evaluated on first use, so a module that does not import the catalog never builds its schemas.
import { workerData } from "node:worker_threads";
import { LINK_GLOBAL, linkFileName, type LinkedSpecifier } from "./links.ts";
import { installWorkerHooks, type WorkerHooks } from "./worker-hooks.ts";
import type { WorkerStartData } from "./worker-start.ts";
import "./worker.ts";

const entries: Readonly<Record<LinkedSpecifier, () => Promise<unknown>>> = {
  "@opm/sdk": () => import("../../sdk/index.ts"),
  "@opm/sdk/dsl": () => import("../../dsl/index.ts"),
  "@opm/sdk/catalog": () => import("../../catalog/index.ts"),
  "@opm/sdk/bridge": () => import("../../bridge/index.ts"),
  "@opm/sdk/providers/kubernetes": () => import("../../providers/kubernetes/index.ts"),
  zod: () => import("zod"),
};

/** What rendering a TS module always evaluates (its imports of the catalog, nearly always). */
const WARM: readonly LinkedSpecifier[] = [
  "@opm/sdk",
  "@opm/sdk/dsl",
  "@opm/sdk/catalog",
  "@opm/sdk/providers/kubernetes",
];

/** The link file of `specifier`, beside this file in dist/opm. */
function linkFileUrl(specifier: LinkedSpecifier): string {
  return new URL(linkFileName(specifier), import.meta.url).href;
}

/** Called by the thread entry right after this file ran, before any request is read. */
export function start(hooks: WorkerHooks): void {
  installWorkerHooks(hooks);
  (globalThis as Record<symbol, unknown>)[Symbol.for(LINK_GLOBAL)] = (specifier: LinkedSpecifier) =>
    entries[specifier]();
  // Runs between requests like any other work: the first request waits at most for the rest of
  // this, which it would otherwise do itself. Imported through the link files, so Node's ES
  // module loader, which a module's bundle needs, is set up by then too.
  if ((workerData as WorkerStartData | undefined)?.warm === true) {
    setImmediate(() => {
      for (const specifier of WARM) void hooks.importFile(linkFileUrl(specifier)).catch(() => undefined);
    });
  }
}
