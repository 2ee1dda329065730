// cue.mod/module.cue: read through the CUE engine (it is CUE, comments and all) and written back
// in the form `cue mod tidy` writes, so a module tidied by opm or by cue has the same bytes.
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CueEngine } from "../../bridge/index.ts";
import { OciError } from "../../providers/oci/index.ts";

export interface Dependency {
  readonly v: string;
  readonly default?: boolean;
}

export interface ModuleFile {
  readonly module: string;
  readonly language?: { readonly version: string };
  readonly source?: { readonly kind: string };
  readonly deps?: Readonly<Record<string, Dependency>>;
  readonly custom?: unknown;
}

export const MODULE_FILE = "cue.mod/module.cue";
const MODULE_PATH = /^[a-z0-9][a-z0-9.-]*(\.[a-z0-9-]+)+(\/[A-Za-z0-9._~-]+)*@v\d+$/;

/** Parses module.cue text; `file` is only for positions in errors. */
export async function parseModuleFile(engine: CueEngine, text: string, file: string): Promise<ModuleFile> {
  let data: unknown;
  try {
    data = await engine.export(await engine.compile(text, { filename: file }));
  } catch (error) {
    throw new OciError("InvalidModuleFile", {
      message: `${file} does not evaluate: ${(error as Error).message}`,
      location: { file },
      cause: error,
    });
  }
  const record = (data ?? {}) as Record<string, unknown>;
  const module = record["module"];
  if (typeof module !== "string" || !MODULE_PATH.test(module)) {
    throw new OciError("InvalidModuleFile", {
      message: `${file}: module must be a module path with a major version, like "example.com/app@v0" (found ${JSON.stringify(module)})`,
      location: { file },
      hint: 'write module: "<domain>/<path>@v<major>"',
    });
  }
  return record as unknown as ModuleFile;
}

export async function readModuleFile(
  engine: CueEngine,
  dir: string,
): Promise<{ file: ModuleFile; text: string; path: string }> {
  const path = join(dir, MODULE_FILE);
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) {
    throw new OciError("InvalidModuleFile", {
      message: `${path} does not exist: ${dir} is not a CUE module`,
      hint: "run inside a module (a directory with cue.mod/module.cue) or create one with `opm mod init`",
    });
  }
  return { file: await parseModuleFile(engine, text, path), text, path };
}

const quote = (s: string) => JSON.stringify(s);

/** module.cue text as `cue mod tidy` writes it: module, language, source, deps (sorted), custom. */
export async function formatModuleFile(engine: CueEngine, file: ModuleFile): Promise<string> {
  const lines = [`module: ${quote(file.module)}`];
  if (file.language !== undefined) lines.push(`language: {`, `version: ${quote(file.language.version)}`, `}`);
  if (file.source !== undefined) lines.push(`source: {`, `kind: ${quote(file.source.kind)}`, `}`);
  const deps = Object.entries(file.deps ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (deps.length > 0) {
    lines.push("deps: {");
    for (const [path, dep] of deps) {
      lines.push(`${quote(path)}: {`, `v: ${quote(dep.v)}`);
      if (dep.default === true) lines.push("default: true");
      lines.push("}");
    }
    lines.push("}");
  }
  if (file.custom !== undefined) lines.push(`custom: ${JSON.stringify(file.custom)}`);
  return engine.format(`${lines.join("\n")}\n`);
}

/** Replaces module.cue in one rename, so an interrupted write leaves the old file. */
export async function writeModuleFile(dir: string, text: string): Promise<void> {
  const path = join(dir, MODULE_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
