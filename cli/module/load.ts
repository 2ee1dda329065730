// Loads the module at a location into the IR. TypeScript modules go through the dsl's
// loadModule (cached bundles) with the CLI's host; CUE modules will go through the CUE engine
// (bridge) once it loads modules into the IR.
import type { Module } from "../../sdk/index.ts";
import { CliError, isCliError } from "../errors/cli-error.ts";
import { cacheDirFor } from "./bundle.ts";
import { createCliModuleHost } from "./host.ts";
import type { ModuleLocation } from "./locate.ts";

export interface LoadedModule {
  readonly module: Module;
  /** Frees what the module holds (a CUE module's engine); call after rendering. */
  readonly close: () => Promise<void>;
}

/** The bridge's CUE module loader, as its public entry will export it. */
type CueModuleLoader = (
  dir: string,
  options: { readonly registry?: string },
) => Promise<{ readonly module: Module; close(): Promise<void> }>;

async function cueModuleLoader(): Promise<CueModuleLoader | undefined> {
  const bridge = (await import("../../bridge/index.ts")) as Record<string, unknown>;
  const loader = bridge["loadCueModule"];
  return typeof loader === "function" ? (loader as CueModuleLoader) : undefined;
}

export async function loadModule(
  location: ModuleLocation,
  env: Readonly<Record<string, string | undefined>>,
  registry?: string,
): Promise<LoadedModule> {
  if (location.language === "cue") {
    // Built against the bridge's declared loader; used as soon as its entry exports it.
    const load = await cueModuleLoader();
    if (load === undefined) {
      throw new CliError("ModuleLanguageUnsupported", {
        message: `${location.dir} is a CUE module; this build of opm renders TypeScript modules only`,
        hint: "use a *.opm.ts module; CUE modules arrive with the bridge's CUE module loader",
      });
    }
    const loaded = await load(location.dir, registry === undefined ? {} : { registry });
    return { module: loaded.module, close: () => loaded.close() };
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
