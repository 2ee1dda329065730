// Loads the module at a location into the IR. TypeScript modules go through the dsl's loader
// (cached bundles) with the CLI's host; CUE modules through the bridge's CUE engine.
import type { CueEngine } from "../../bridge/index.ts";
import type { Module } from "../../sdk/index.ts";
import { isOpmError, OpmError } from "../../sdk/errors.ts";
import { startCueEngine, type EngineSettings } from "../cue-engine.ts";
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
  engineSettings: EngineSettings = { env },
): Promise<LoadedModule> {
  if (location.language === "cue") {
    const { loadCueModule } = await import("../../bridge/index.ts");
    const engine = await startCueEngine(engineSettings);
    try {
      const loaded = await loadCueModule(location.dir, {
        engine,
        ...(registry === undefined ? {} : { registry }),
      });
      const close = async (): Promise<void> => {
        await loaded.close();
        await engine.close();
      };
      return { module: loaded.module, engine, close };
    } catch (error) {
      await engine.close();
      throw error;
    }
  }
  const { loadModule: load } = await import("../../dsl/index.ts");
  try {
    const loaded = await load(location.file, createCliModuleHost(location.file, env));
    return { module: loaded.module, close: async () => undefined };
  } catch (error) {
    throw compileError(error) ?? error;
  }
}

/** The dsl's "does not compile" error as the CLI's, with the position and hint it carries. */
export function compileError(error: unknown): OpmError | undefined {
  if (!isOpmError(error) || error.key !== "ModuleLoad" || error.locations.length === 0) return undefined;
  return new OpmError("ModuleLoadFailed", {
    message: error.message,
    locations: error.locations,
    hint: error.hint,
    cause: error,
  });
}
