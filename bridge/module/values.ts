// `-f` values files written in CUE, as sdk values sources: the file is evaluated by the engine
// (alone, as upstream did: it cannot import), its `values` field (or, without one, the whole
// file) becomes the layer's data, and every path of the data gets its line and column, so
// values errors point into the CUE file as they do into YAML. Positions are found by asking CUE
// itself: the nodes of one depth are replaced by values of a conflicting kind, and the conflict
// errors name where each original value was written (one evaluation per depth).
import type { DataValuesSource, SourceLocation, ValuesPath } from "../../sdk/index.ts";
import type { CueEngine } from "../engine.ts";
import type { JsonValue } from "../protocol.ts";
import type { CueValue } from "../value.ts";
import { parseCuePath } from "./paths.ts";

/** A `-f` values file written in CUE, as text the caller read. */
export interface CueValuesFile {
  /** The file name used in positions, e.g. `values-prod.cue`. */
  readonly name: string;
  /** The file's CUE source. */
  readonly text: string;
}

/** Depth beyond which values are located at their nearest located parent. */
const MAX_DEPTH = 12;

/** Evaluates a CUE values file; a CUE error (syntax, conflict) is thrown with its positions. */
export async function cueValuesSource(engine: CueEngine, file: CueValuesFile): Promise<DataValuesSource> {
  const compiled = await engine.compile(file.text, { filename: file.name });
  try {
    const wrapped = (await engine.lookup(compiled, "values")) !== undefined;
    const all = await engine.export(compiled);
    const data = wrapped ? (all as Record<string, JsonValue>)["values"]! : all;
    const positions = await locateAll(engine, compiled, file.name, data, wrapped);
    const locate = (path: ValuesPath): SourceLocation | undefined =>
      path.length === 0 ? { file: file.name } : positions.get(JSON.stringify(path));
    return { name: file.name, data, locate };
  } finally {
    await compiled.release();
  }
}

async function locateAll(
  engine: CueEngine,
  compiled: CueValue,
  name: string,
  data: JsonValue,
  wrapped: boolean,
): Promise<Map<string, SourceLocation>> {
  const found = new Map<string, SourceLocation>();
  for (let depth = 1; depth <= Math.min(MAX_DEPTH, depthOf(data)); depth++) {
    const probe = replaceAtDepth(data, depth);
    const source = JSON.stringify(wrapped ? { values: probe } : probe);
    const conflicting = await engine.compile(source, { filename: "opm-values-probe.json" });
    const unified = await engine.unify(compiled, conflicting);
    try {
      const report = await engine.validate(unified);
      for (const issue of report.issues) {
        const where = issue.positions.find((p) => p.file === name);
        if (where === undefined) continue;
        const path = withIndices(data, parseCuePath(issue.path).slice(wrapped ? 1 : 0));
        const key = JSON.stringify(path);
        if (!found.has(key)) found.set(key, { file: name, line: where.line, column: where.column });
      }
    } finally {
      await engine.release(conflicting, unified);
    }
  }
  return found;
}

/** The engine may write list indices as labels (`list.1`); sdk paths hold them as numbers. */
function withIndices(data: JsonValue, path: (string | number)[]): (string | number)[] {
  let node: JsonValue | undefined = data;
  return path.map((segment) => {
    const out =
      Array.isArray(node) && typeof segment === "string" && /^\d+$/.test(segment) ? Number(segment) : segment;
    node =
      typeof node === "object" && node !== null
        ? (node as Record<string | number, JsonValue>)[out]
        : undefined;
    return out;
  });
}

function depthOf(value: JsonValue): number {
  if (typeof value !== "object" || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

/** A value CUE cannot unify with `value`: a number for strings and structs, a string otherwise. */
function conflicting(value: JsonValue): JsonValue {
  return typeof value === "number" || typeof value === "boolean" ? "opm-probe" : 0;
}

/** `value` with every node `depth` levels down replaced by a conflicting scalar. */
function replaceAtDepth(value: JsonValue, depth: number): JsonValue {
  if (depth === 0) return conflicting(value);
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => replaceAtDepth(v, depth - 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceAtDepth(v, depth - 1)]));
}
