// generateBindings as `@opm/sdk/bridge` exports it: the generator and ts-morph (the whole
// TypeScript compiler) load on the first call, so loading or rendering a CUE module never pays
// for them (the package's tarball test checks what a CUE build loads).
import type { CueEngine } from "../engine.ts";
import type { BindingsOptions } from "./bindings-api.ts";

export { BindingsError, type BindingsErrorCode, type BindingsOptions } from "./bindings-api.ts";

/**
 * Generates the TS bindings of a user CUE package: a map of file name → source (one file per
 * package, named after its import path). The engine stays open; the caller closes it.
 *
 * Example:
 *   const files = await generateBindings(engine, { dir: "./cue/traits", registry });
 *   for (const [name, text] of files) await writeFile(join("src/generated", name), text);
 */
export async function generateBindings(
  engine: CueEngine,
  options: BindingsOptions,
): Promise<Map<string, string>> {
  const generator = await import("./user-package.ts");
  return generator.generateBindings(engine, options);
}
