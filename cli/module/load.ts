// Loads the module at a location into the IR. TypeScript modules go through the bundle cache
// (bundle.ts); CUE modules will go through the CUE engine (bridge) once it loads modules.
import { isModule, type Module } from "../../sdk/index.ts";
import { CliError } from "../errors/cli-error.ts";
import { importTypeScript } from "./bundle.ts";
import type { ModuleLocation } from "./locate.ts";

function isCodedError(x: unknown): boolean {
  const code = (x as { code?: unknown } | null)?.code;
  return x instanceof Error && typeof code === "string" && /^OPM\d{4}$/.test(code);
}

/** Runs a module file and returns its default export, which must be a Module. */
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
  let namespace: Record<string, unknown>;
  try {
    namespace = await importTypeScript(location.file, env);
  } catch (error) {
    // Our own coded errors (CLI, sdk, dsl authoring errors) already say what is wrong.
    if (error instanceof CliError || isCodedError(error)) throw error;
    throw new CliError("ModuleLoadFailed", {
      message: `${location.file} failed while loading: ${error instanceof Error ? error.message : String(error)}`,
      hint: "the module's code threw; fix it and run again (--debug prints the stack)",
      cause: error,
    });
  }
  const exported = namespace["default"];
  if (!isModule(exported)) {
    throw new CliError("ModuleLoadFailed", {
      message: `${location.file} does not export a module as its default export`,
      locations: [{ file: location.file }],
      hint: "end the file with `export default defineModule({ ... })`",
    });
  }
  return exported;
}
