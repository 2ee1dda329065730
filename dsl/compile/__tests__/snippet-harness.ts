// Test support for the construct and error tests: compiles a small module written around a
// snippet, as a file in dsl/compile (never written to disk) so its imports of the catalog and
// the dsl resolve as an author's would. The tests pass the real CUE engine's formatter.
import { compileModuleToCue, createCompilerProject, type CueCompilation } from "../compile-module.ts";

const project = createCompilerProject();
const DIR = new URL("../", import.meta.url).pathname;
let counter = 0;
let format: ((source: string) => Promise<string>) | undefined;

/** Sets the formatter every later compilation uses (the engine's, from the tests). */
export function useFormatter(formatter: ((source: string) => Promise<string>) | undefined): void {
  format = formatter;
}

export interface Snippet {
  /** Top-level code before the module (helpers, constants). */
  readonly prelude?: string;
  /** The zod schema. @default z.object({}) */
  readonly config?: string;
  readonly values?: string;
  /** The `components` function, e.g. `(config) => ({ web: component(...) })`. */
  readonly components?: string;
}

export function moduleSource(snippet: Snippet): string {
  return `import { z } from "zod";
import {
  ConfigMaps, Container, Expose, HealthCheck, Scaling, Secrets, StatelessWorkload, Volumes,
} from "../../catalog/index.ts";
import { component, defineModule, secret, workloadType } from "../index.ts";
${snippet.prelude ?? ""}
export default defineModule({
  metadata: { apiVersion: "example.com/snippets@v0", name: "snippet", version: "0.1.0" },
  config: ${snippet.config ?? "z.object({})"},
  values: ${snippet.values ?? "{}"},
  components: ${snippet.components ?? "() => ({})"},
});
`;
}

/** Compiles a snippet module; `source` is the full text, for computing expected positions. */
export async function compileSnippet(
  snippet: Snippet | string,
): Promise<{ result: CueCompilation; source: string; path: string }> {
  const source = typeof snippet === "string" ? snippet : moduleSource(snippet);
  const path = `${DIR}snippet-${++counter}.opm.ts`;
  const file = project.createSourceFile(path, source, { overwrite: true });
  const result = await compileModuleToCue(file, format === undefined ? {} : { format });
  project.removeSourceFile(file);
  return { result, source, path };
}

/** The formatted text of one top-level field of module.cue, e.g. `#components` or `#config`. */
export async function fieldOf(snippet: Snippet, field: string): Promise<string> {
  const { result } = await compileSnippet(snippet);
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.line}:${i.column}: ${i.message}`).join("\n"));
  const text = result.files["module.cue"]!;
  const start = text.indexOf(`\n${field}: `);
  if (start < 0) throw new Error(`no ${field} in\n${text}`);
  const end = text.indexOf("\n\n", start + 1);
  return text.slice(start + 1, end < 0 ? undefined : end).trimEnd();
}

/** 1-based line and column of the first occurrence of `needle` in `source`. */
export function positionOf(source: string, needle: string): { line: number; column: number } {
  const index = source.indexOf(needle);
  if (index < 0) throw new Error(`${needle} not in source`);
  const before = source.slice(0, index).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
