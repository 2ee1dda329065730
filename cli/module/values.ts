// Reads `-f` values files into the sources render() layers: YAML and JSON as text (sdk parses
// them and keeps positions), TypeScript files as module code (the worker loads them through the
// dsl's loader like modules; their default export is the values), CUE files through the CUE
// engine (every value positioned in the CUE file).
import { readFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import type { CueEngine } from "../../bridge/index.ts";
import type { ValuesSource } from "../../sdk/index.ts";
import { OpmError } from "../../sdk/errors.ts";
import { ProblemList } from "../errors/problem-list.ts";

/** How the files that are programs or need an engine are read; called only when such a file is given. */
export interface ValuesReaders {
  /** The engine for CUE values files (the CUE module's own, or one started on first use). */
  readonly cueEngine: () => Promise<CueEngine>;
  /** The default export of a `.ts` values file, run as module code. */
  readonly typescript: (file: string, name: string) => Promise<unknown>;
  /** Standard input, for `-f -` (YAML or JSON). */
  readonly stdin?: NodeJS.ReadableStream | undefined;
}

/** The name `-f -` values carry in messages and `-v` provenance. */
export const STDIN_NAME = "<stdin>";

export async function readValuesFiles(
  paths: readonly string[],
  cwd: string,
  readers: ValuesReaders,
): Promise<ValuesSource[]> {
  const sources: ValuesSource[] = [];
  const missing: OpmError[] = [];
  if (paths.filter((p) => p === "-").length > 1) {
    throw new OpmError("Usage", {
      message: "-f - is given twice: standard input can be read once",
      hint: "pass the other values as files",
    });
  }
  for (const path of paths) {
    if (path === "-") {
      sources.push({ name: STDIN_NAME, text: await readStdin(readers.stdin) });
      continue;
    }
    const file = resolve(cwd, path);
    const name = relative(cwd, file) || path;
    if (/\.(ya?ml|json)$/i.test(path)) {
      const text = await readFile(file, "utf8").catch(() => undefined);
      if (text === undefined) missing.push(notFound(path));
      else sources.push({ name, text });
    } else if (/\.ts$/i.test(path)) {
      const text = await readFile(file, "utf8").catch(() => undefined);
      if (text === undefined) {
        missing.push(notFound(path));
        continue;
      }
      sources.push({ name, data: await readers.typescript(file, name) });
    } else if (/\.cue$/i.test(path)) {
      const text = await readFile(file, "utf8").catch(() => undefined);
      if (text === undefined) {
        missing.push(notFound(path));
        continue;
      }
      const { cueValuesSource } = await import("../../bridge/index.ts");
      sources.push(await cueValuesSource(await readers.cueEngine(), { name, text }));
    } else {
      throw new OpmError("ValuesFileUnsupported", {
        message: `values file ${path}: opm reads .yaml, .yml, .json, .cue and .ts values files`,
        hint: "convert the file, or give its data with --set",
      });
    }
  }
  if (missing.length === 1) throw missing[0]!;
  if (missing.length > 1) throw new ProblemList(missing, `${missing.length} values files are missing`);
  return sources;
}

/** All of standard input; a terminal is refused rather than waited on. */
async function readStdin(stdin: NodeJS.ReadableStream | undefined): Promise<string> {
  if (stdin === undefined || (stdin as { isTTY?: boolean }).isTTY === true) {
    throw new OpmError("Usage", {
      message: "-f - reads values from standard input, but standard input is a terminal",
      hint: "pipe the values in: cat values.yaml | opm mod build . -f -",
    });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

function notFound(path: string): OpmError {
  return new OpmError("ValuesFileNotFound", {
    message: `values file ${path} does not exist`,
    hint: "check the path given to -f/--values",
  });
}
