// Loads a CUE module into the IR through the bridge's CUE engine. (A TypeScript module's code runs
// in the module worker: runner.ts.)
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { CueEngine, EngineAnswerCache } from "../../bridge/index.ts";
import { brand, locateComponentInSource, type Module, type SourceLocation } from "../../sdk/index.ts";
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
  answers?: EngineAnswerCache,
): Promise<LoadedModule> {
  const engine = await startCueEngine(engineSettings, answers === undefined ? {} : { cache: answers });
  try {
    const loaded = await loadModuleIn(engine, location, registry);
    return {
      ...loaded,
      close: async () => {
        await loaded.close();
        await engine.close();
      },
    };
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/**
 * Loads a CUE module into an engine the caller keeps (a long-running host renders many releases
 * of one module from one load); `close` releases the module's values, not the engine.
 */
export async function loadModuleIn(
  engine: CueEngine,
  location: Extract<ModuleLocation, { language: "cue" }>,
  registry?: string,
): Promise<LoadedModule> {
  const { loadCueModule } = await import("../../bridge/index.ts");
  const loaded = await loadCueModule(location.dir, {
    engine,
    ...(registry === undefined ? {} : { registry }),
  });
  const module = brand("Module", {
    ...loaded.module,
    locateComponent: await componentLocator(location.dir),
  });
  return { module, engine, close: () => loaded.close() };
}

/** Finds a component's label in the module's own `.cue` files, for positioned match errors. */
async function componentLocator(
  dir: string,
): Promise<(name: string, field?: string) => SourceLocation | undefined> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".cue")).sort();
  const files = await Promise.all(
    names.map(async (name) => ({ name, text: await readFile(join(dir, name), "utf8").catch(() => "") })),
  );
  return (component, field) => {
    for (const file of files) {
      const found = locateComponentInSource(join(dir, file.name), file.text, component, field);
      if (found !== undefined) return found;
    }
    return undefined;
  };
}
