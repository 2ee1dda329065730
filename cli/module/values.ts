// Reads `-f` values files into the sources render() layers: YAML and JSON as text (sdk parses
// them and keeps positions), TypeScript files as module code (the worker loads them through the
// dsl's loader like modules; their default export is the values), CUE files through the CUE
// engine (every value positioned in the CUE file). SOPS files (`*.sops.yaml|json`) are decrypted
// here, in memory (sops.ts); `--set-file path=file` makes a file's content the value at `path`.
// Every value from either is secret material: it is handed to `sensitive` so output can hide it.
import { readFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import type { CueEngine } from "../../bridge/index.ts";
import type { SetInput, ValuesSource } from "../../sdk/index.ts";
import { OpmError } from "../../sdk/errors.ts";
import { ProblemList } from "../errors/problem-list.ts";
import { decryptSops, SOPS_FILE } from "./sops.ts";

/** How the files that are programs or need an engine are read; called only when such a file is given. */
export interface ValuesReaders {
  /** The engine for CUE values files (the CUE module's own, or one started on first use). */
  readonly cueEngine: () => Promise<CueEngine>;
  /** The default export of a `.ts` values file, run as module code. */
  readonly typescript: (file: string, name: string) => Promise<unknown>;
  /** Standard input, for `-f -` (YAML or JSON). */
  readonly stdin?: NodeJS.ReadableStream | undefined;
  /** The age identities SOPS files are decrypted with (SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, …). */
  readonly sopsIdentities: () => Promise<string[]>;
  /** Told every secret string read (decrypted SOPS values, --set-file contents). */
  readonly sensitive?: ((value: string) => void) | undefined;
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
    if (SOPS_FILE.test(path)) {
      const text = await readFile(file, "utf8").catch(() => undefined);
      if (text === undefined) {
        missing.push(notFound(path));
        continue;
      }
      const data = await decryptSops(name, text, await readers.sopsIdentities());
      forEachString(data, (value) => readers.sensitive?.(value));
      sources.push({ name, data });
    } else if (/\.(ya?ml|json)$/i.test(path)) {
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

/**
 * Reads the file of every `--set-file path=file` input (UTF-8, as is) into its `content`; the
 * sdk then places it at `path`. Every content is secret material, handed to `sensitive`. Other
 * inputs pass through; a malformed expression is left for the sdk's positioned error.
 */
export async function readSetFiles(
  inputs: readonly (string | SetInput)[],
  cwd: string,
  sensitive?: (value: string) => void,
): Promise<(string | SetInput)[]> {
  const problems: OpmError[] = [];
  const read = await Promise.all(
    inputs.map(async (input) => {
      if (typeof input === "string" || input.flag !== "--set-file") return input;
      // Content given already (the controller's valuesFrom, read from a Secret): no file to read.
      if (input.content !== undefined) {
        sensitive?.(input.content);
        return input;
      }
      const file = fileOf(input.text);
      if (file === undefined || file === "") return input;
      const content = await readFile(resolve(cwd, file), "utf8").catch(() => undefined);
      if (content === undefined) {
        problems.push(
          new OpmError("ValuesFileNotFound", {
            message: `--set-file ${JSON.stringify(input.text)}: the file ${file} does not exist or cannot be read`,
            hint: "check the path after '=' (relative to the working directory)",
          }),
        );
        return input;
      }
      sensitive?.(content);
      return { ...input, content };
    }),
  );
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) throw new ProblemList(problems, `${problems.length} --set-file files are missing`);
  return read;
}

/** The text after the first `=` not escaped by a backslash (keys may escape `=`). */
function fileOf(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "=") return text.slice(i + 1);
  }
  return undefined;
}

function forEachString(value: unknown, visit: (text: string) => void): void {
  if (typeof value === "string") visit(value);
  else if (typeof value === "number" || typeof value === "boolean") visit(String(value));
  else if (Array.isArray(value)) for (const item of value) forEachString(item, visit);
  else if (typeof value === "object" && value !== null)
    for (const item of Object.values(value)) forEachString(item, visit);
}

function notFound(path: string): OpmError {
  return new OpmError("ValuesFileNotFound", {
    message: `values file ${path} does not exist`,
    hint: "check the path given to -f/--values",
  });
}
