// `opm mod vendor crd`: CRDs from files, URLs or the cluster, to CUE definitions and TS types.
// Every input is read and converted before anything is written.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { OciError } from "../../providers/oci/index.ts";
import type { Crd } from "../../providers/kubernetes/index.ts";

export interface VendorInput {
  /** File path or http(s) URL, for messages and the generated header. */
  readonly source: string;
  readonly text?: string;
  readonly object?: unknown;
}

export interface VendoredFile {
  readonly path: string;
  readonly text: string;
}

/** Reads a file or URL (bounded in time and size). */
export async function readSource(source: string, cwd: string, timeoutMs = 30_000): Promise<VendorInput> {
  if (/^https?:\/\//.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new OciError("FileUnreadable", {
        message: `${source} cannot be fetched: ${(error as Error).message}`,
        cause: error,
      });
    }
    if (!response.ok)
      throw new OciError("FileUnreadable", { message: `${source} answered ${response.status}` });
    const text = await response.text();
    if (text.length > 32 * 1024 * 1024)
      throw new OciError("SizeLimitExceeded", { message: `${source} is larger than 32 MiB` });
    return { source, text };
  }
  try {
    return { source, text: await readFile(resolve(cwd, source), "utf8") };
  } catch (error) {
    throw new OciError("FileUnreadable", {
      message: `${source} cannot be read: ${(error as Error).message}`,
    });
  }
}

/** Every CRD of the inputs; a malformed CRD is reported with its file:line. */
export async function crdsOf(inputs: readonly VendorInput[]): Promise<{ crd: Crd; source: string }[]> {
  const { parseAllDocuments, LineCounter } = await import("yaml");
  const { readCrd, CrdShapeError } = await import("../../providers/kubernetes/index.ts");
  const out: { crd: Crd; source: string }[] = [];
  for (const input of inputs) {
    if (input.object !== undefined) {
      out.push({ crd: readCrd(input.object), source: input.source });
      continue;
    }
    const lines = new LineCounter();
    for (const doc of parseAllDocuments(input.text ?? "", { lineCounter: lines })) {
      const where = lines.linePos(doc.contents?.range[0] ?? doc.range[0]);
      const location = { file: input.source, line: where.line, column: where.col };
      if (doc.errors.length > 0) {
        throw new OciError("InvalidCrd", {
          message: `${input.source} is not valid YAML: ${doc.errors[0]!.message}`,
          location,
        });
      }
      const value: unknown = doc.toJS();
      if (
        typeof value !== "object" ||
        value === null ||
        (value as { kind?: unknown }).kind !== "CustomResourceDefinition"
      )
        continue;
      try {
        out.push({ crd: readCrd(value), source: input.source });
      } catch (error) {
        if (!(error instanceof CrdShapeError)) throw error;
        throw new OciError("InvalidCrd", {
          message: error.message,
          location,
          hint: "give apiextensions.k8s.io/v1 CustomResourceDefinitions",
        });
      }
    }
  }
  if (out.length === 0) {
    throw new OciError("InvalidCrd", {
      message: `no CustomResourceDefinition in ${inputs.map((i) => i.source).join(", ")}`,
      hint: "pass files of CRDs with -f, or name installed ones with --from-cluster",
    });
  }
  return out;
}

/** The generated files: CUE per served version, TS per CRD. */
export async function vendorFiles(
  crds: readonly { crd: Crd; source: string }[],
  cueOut: string,
  tsOut: string | undefined,
  format: (text: string) => Promise<string>,
): Promise<VendoredFile[]> {
  const { crdVersionToCue, crdToTypeScript } = await import("../../providers/kubernetes/index.ts");
  const files: VendoredFile[] = [];
  for (const { crd, source } of crds) {
    for (const version of crd.versions) {
      files.push({
        path: join(cueOut, crd.group, crd.plural, version.name, "types_gen.cue"),
        text: await format(crdVersionToCue(crd, version, source)),
      });
    }
    if (tsOut !== undefined)
      files.push({ path: join(tsOut, crd.group, `${crd.plural}.ts`), text: crdToTypeScript(crd, source) });
  }
  return files;
}

export async function writeVendored(files: readonly VendoredFile[], cwd: string): Promise<void> {
  for (const file of files) {
    const path = resolve(cwd, file.path);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, file.text);
    await rename(temporary, path);
  }
}
