// Values sources: the module's defaults, `-f` files (YAML or JSON text, or data another layer
// already parsed, e.g. a TS or CUE values file) and `--set` expressions. sdk does no IO: the
// caller reads files and passes their text. Every source can map a values path back to a
// position in the user's file, which is how validation errors point at the offending value.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from "yaml";
import { OpmError, type SourceLocation } from "../errors.ts";

export type ValuesPath = readonly (string | number)[];

/** `values.a.b[0]`, the way values paths are shown to users. */
export function formatValuesPath(path: ValuesPath): string {
  let out = "values";
  for (const segment of path) out += typeof segment === "number" ? `[${segment}]` : `.${segment}`;
  return out;
}

/** A file's text; YAML or JSON (JSON is YAML). */
export interface TextValuesSource {
  readonly name: string;
  readonly text: string;
}

/** Data parsed elsewhere, with an optional way to locate a path in the original file. */
export interface DataValuesSource {
  readonly name: string;
  readonly data: unknown;
  readonly locate?: (path: ValuesPath) => SourceLocation | undefined;
}

export type ValuesSource = TextValuesSource | DataValuesSource;

/** A source ready for merging. */
export interface ParsedValues {
  readonly name: string;
  readonly data: unknown;
  readonly locate: (path: ValuesPath) => SourceLocation | undefined;
}

export function isTextSource(source: ValuesSource): source is TextValuesSource {
  return typeof (source as TextValuesSource).text === "string";
}

/** Parses a text source, or wraps a data source. Syntax errors come back positioned. */
export function parseValuesSource(source: ValuesSource): { parsed?: ParsedValues; errors: OpmError[] } {
  if (!isTextSource(source)) {
    const locate = source.locate ?? (() => ({ file: source.name }));
    return { parsed: { name: source.name, data: source.data, locate }, errors: [] };
  }
  const lineCounter = new LineCounter();
  // YAML 1.2's core schema only: no `!!binary`, `!!set`, `!!timestamp` (values are plain data).
  const doc = parseDocument(source.text, {
    lineCounter,
    keepSourceTokens: true,
    uniqueKeys: true,
    resolveKnownTags: false,
  });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { file: source.name, line: pos.line, column: pos.col };
  };
  const problem = (offset: number, message: string, hint: string) =>
    new OpmError("ValuesParse", { message, location: at(offset), hint });
  // Warnings are refusals too: an unknown tag (`!secret x`) would otherwise be read as a string.
  const errors = [...doc.errors, ...doc.warnings].map((e) =>
    problem(
      e.pos[0],
      `cannot parse values: ${e.message.split("\n")[0]}`,
      "fix the YAML/JSON syntax at this position",
    ),
  );
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key)) {
        const offset = (pair.key as Node).range?.[0] ?? 0;
        errors.push(problem(offset, "cannot parse values: a key is a map or a list", "keys are strings"));
      }
    },
  });
  if (errors.length === 0 && doc.contents !== null && !isMap(doc.contents)) {
    const offset = doc.contents.range?.[0] ?? 0;
    errors.push(
      problem(offset, "values must be a map of keys to values", "start the file with `key: value` lines"),
    );
  }
  if (errors.length > 0) return { errors };
  let data: unknown;
  try {
    // Aliases are expanded here; the yaml library refuses a document whose aliases would expand
    // without bound (a "billion laughs"), which is reported like any syntax error.
    data = doc.toJS() ?? {};
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { errors: [problem(0, `cannot parse values: ${message}`, "expand the aliases, or use fewer")] };
  }
  const locate = (path: ValuesPath): SourceLocation | undefined => {
    const node = findNode(doc.contents, path);
    if (node?.range === undefined || node.range === null) return undefined;
    const pos = lineCounter.linePos(node.range[0]);
    return { file: source.name, line: pos.line, column: pos.col };
  };
  return { parsed: { name: source.name, data, locate }, errors: [] };
}

/** The node at `path`, or undefined when the path does not exist in this document. */
function findNode(root: unknown, path: ValuesPath): Node | undefined {
  let node = root as Node | null | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) return undefined;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment] as Node | null | undefined;
    } else {
      return undefined;
    }
    if (node === null || node === undefined) return undefined;
  }
  return node ?? undefined;
}

/** True when `path` exists in `data`. */
export function hasPath(data: unknown, path: ValuesPath): boolean {
  let node = data;
  for (const segment of path) {
    if (typeof node !== "object" || node === null) return false;
    if (!Object.prototype.hasOwnProperty.call(node, segment)) return false;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return true;
}
