// What the bundled module worker's thread entry (cli/start/module-worker.ts) gives the worker's
// code, which runs as a script from a V8 code cache: a real `import()` for modules' bundles (a
// script compiled by node:vm has none, and the CommonJS bundle turns its own into require()) and
// the writing of that code cache. Unset when the worker runs as ES modules (sources, tsc output).

export interface WorkerHooks {
  /** Imports the ES module at `url` (a module's bundle) as Node's loader does. */
  importFile(url: string): Promise<Record<string, unknown>>;
  /** True when this start compiled the worker's code afresh and a cache can be written. */
  readonly codeCacheToWrite: boolean;
  /** Stores the code cache for the next start. Never throws. */
  saveCodeCache(): void;
}

let installed: WorkerHooks | undefined;

export function installWorkerHooks(hooks: WorkerHooks): void {
  installed = hooks;
}

export function workerHooks(): WorkerHooks | undefined {
  return installed;
}
