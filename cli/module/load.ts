// Loads the module at a location into the IR. TypeScript modules go through the dsl's
// loadModule (cached bundles) with the CLI's host; CUE modules will go through the CUE engine
// (bridge) once it loads modules into the IR.
import type { Module } from "../../sdk/index.ts";
import { CliError, isCliError } from "../errors/cli-error.ts";
import { cacheDirFor } from "./bundle.ts";
import { createCliModuleHost } from "./host.ts";
import type { ModuleLocation } from "./locate.ts";

export async function loadModule(
  location: ModuleLocation,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Module> {
  if (location.language === "cue") {
    throw new CliError("ModuleLanguageUnsupported", {
      message: `${location.dir} is a CUE module; this build of opm renders TypeScript modules only`,
      hint: "use a *.opm.ts module; CUE modules arrive with the CUE module loader",
    });
  }
  const { loadModule: load } = await import("../../dsl/index.ts");
  try {
    const loaded = await load(location.file, createCliModuleHost(cacheDirFor(location.file, env)));
    return loaded.module;
  } catch (error) {
    // A compile error of ours carries positions; the dsl wraps it, so unwrap it.
    const cause = (error as { cause?: unknown }).cause;
    if (isCliError(cause)) throw cause;
    throw error;
  }
}
