// The TS -> CUE compiler's entry, light on purpose: ts-morph (the whole TypeScript compiler) is
// loaded on the first call, not when the dsl is imported. Every `*.opm.ts` imports the dsl, and
// a static import here would make each module load pay for the compiler (esbuild keeps an
// external package's import even when nothing uses it; an unused lazy function it drops).
import type { Project, SourceFile } from "ts-morph";
import type { CompileToCueOptions, CueCompilation } from "./compile-module.ts";

export type {
  CompileToCueOptions,
  CompiledCueModule,
  CueCompilation,
  FailedCueCompilation,
} from "./compile-module.ts";
export { formatIssue, type TsToCueCode, type TsToCueIssue, type TsToCueProblem } from "./issues.ts";

/**
 * Compiles a TypeScript module (`*.opm.ts`) to a CUE module.
 *
 * When to use: publishing a TS module for CUE users (a registry holds CUE modules), or checking
 * that it means the same through the CUE path.
 *
 * Details: reads the module with ts-morph and emits `cue.mod/module.cue` (module path from the
 * module's apiVersion, dependencies on the catalog modules it uses) and `module.cue` (embedding
 * `core.#Module`: metadata, `#config` from the zod schema, `values`, `#components` built from
 * the catalog mixins, with config reads as `#config` references). Only the supported subset of
 * TS is compiled (docs/ts-to-cue.md); everything else is reported in `issues`, each with
 * file:line:col and the construct's name. Pass `format` to format the output with the CUE
 * engine (the dsl does not depend on it).
 *
 * Example:
 * ```ts
 * const engine = createCueEngine();
 * const result = await compileModuleToCue("blog/blog.opm.ts", { format: (s) => engine.format(s) });
 * if (!result.ok) for (const issue of result.issues) console.error(formatIssue(issue));
 * ```
 */
export async function compileModuleToCue(
  input: SourceFile | string,
  options: CompileToCueOptions = {},
): Promise<CueCompilation> {
  const compiler = await import("./compile-module.ts");
  return compiler.compileModuleToCue(input, options);
}

/**
 * A ts-morph project configured the way the compiler reads module code (NodeNext, `.ts`
 * imports, the `@opm/source` condition).
 *
 * When to use: compiling several modules; pass it as `options.project` so type information,
 * which is what finds the catalog builders, is built once.
 */
export async function createCompilerProject(): Promise<Project> {
  const compiler = await import("./compile-module.ts");
  return compiler.createCompilerProject();
}
