// Loads a CUE module into the IR through the bridge's CUE engine. (A TypeScript module's code runs
// in the module worker: runner.ts.)
import type { CueEngine } from "../../bridge/index.ts";
import type { Module } from "../../sdk/index.ts";
import { startCueEngine, type EngineSettings } from "../cue-engine.ts";
import type { ModuleLocation } from "./locate.ts";

export interface LoadedModule {
  readonly module: Module;
  /** The CUE engine the module evaluates in, for CUE values files. */
  readonly engine: CueEngine;
  /** Frees what the module holds (a CUE module's engine); call after rendering. */
  readonly close: () => Promise<void>;
}

export async function loadModule(
  location: Extract<ModuleLocation, { language: "cue" }>,
  env: Readonly<Record<string, string | undefined>>,
  registry?: string,
  engineSettings: EngineSettings = { env },
): Promise<LoadedModule> {
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
