// Loads the module at a location into the IR. TypeScript modules go through the dsl's
// loadModule (cached bundles) with the CLI's host; CUE modules through the bridge's CUE engine.
import type { CueEngine } from "../../bridge/index.ts";
import type { Module } from "../../sdk/index.ts";
import { isCliError } from "../errors/cli-error.ts";
import { cacheDirFor } from "./bundle.ts";
import { createCliModuleHost } from "./host.ts";
import type { ModuleLocation } from "./locate.ts";

export interface LoadedModule {
  readonly module: Module;
  /** The CUE engine a CUE module evaluates in, for CUE values files; absent for TS modules. */
  readonly engine?: CueEngine;
  /** Frees what the module holds (a CUE module's engine); call after rendering. */
  readonly close: () => Promise<void>;
}

export async function loadModule(
  location: ModuleLocation,
  env: Readonly<Record<string, string | undefined>>,
  registry?: string,
): Promise<LoadedModule> {
  if (location.language === "cue") {
    const { loadCueModule } = await import("../../bridge/index.ts");
    const loaded = await loadCueModule(location.dir, registry === undefined ? {} : { registry });
    return { module: loaded.module, engine: loaded.engine, close: () => loaded.close() };
  }
  const { loadModule: load } = await import("../../dsl/index.ts");
  try {
    const loaded = await load(location.file, createCliModuleHost(cacheDirFor(location.file, env)));
    return { module: loaded.module, close: async () => undefined };
  } catch (error) {
    // A compile error of ours carries positions; the dsl wraps it, so unwrap it.
    const cause = (error as { cause?: unknown }).cause;
    if (isCliError(cause)) throw cause;
    throw error;
  }
}
