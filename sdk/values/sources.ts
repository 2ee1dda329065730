// Values sources: the module's defaults, `-f` files (YAML or JSON text, or data another layer
// already parsed, e.g. a TS or CUE values file) and `--set` expressions. sdk does no IO: the
// caller reads files and passes their text. Every source can map a values path back to a
// position in the user's file, which is how validation errors point at the offending value.
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Node,
  type Pair,
  type YAMLMap,
} from "yaml";
import { OpmError, type SourceLocation } from "../errors.ts";

/** A path into values: map keys and list indexes, without the `values.` root. */
export type ValuesPath = readonly (string | number)[];

/** `values.a.b[0]`, the way values paths are shown to users. */
export function formatValuesPath(path: ValuesPath): string {
  let out = "values";
  for (const segment of path) out += typeof segment === "number" ? `[${segment}]` : `.${segment}`;
  return out;
}

/** A file's text; YAML or JSON (JSON is YAML). */
export interface TextValuesSource {
  /** How messages name the source: the file path as the user gave it. */
  readonly name: string;
  /** The file's content; sdk does no IO, so the caller reads it. */
  readonly text: string;
}

/** Data parsed elsewhere, with an optional way to locate a path in the original file. */
export interface DataValuesSource {
  /** How messages name the source, e.g. the `values.ts` file it came from. */
  readonly name: string;
  /** The values, already plain data. */
  readonly data: unknown;
  /** Maps a values path to its position in the original file; without it, errors name only the file. */
  readonly locate?: (path: ValuesPath) => SourceLocation | undefined;
}

/** One `-f` layer: text to parse or data parsed elsewhere. */
export type ValuesSource = TextValuesSource | DataValuesSource;

/** A source ready for merging. */
export interface ParsedValues {
  /** How messages name the layer (`module defaults`, a file path, `--set a=1`). */
  readonly name: string;
  /** The layer's values as plain data. */
  readonly data: unknown;
  /** Maps a values path to where the layer wrote it, when known. */
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
  const tooLarge = sizeProblem(source);
  if (tooLarge !== undefined) return { errors: [tooLarge] };
  const lineCounter = new LineCounter();
  // YAML 1.2's core schema only: no `!!binary`, `!!set`, `!!timestamp` (values are plain data).
  // Duplicate keys are found below: the library's own check compares every key of a map with
  // every other (a flow map of 100,000 keys took minutes).
  const doc = parseDocument(source.text, {
    lineCounter,
    keepSourceTokens: true,
    uniqueKeys: false,
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
    Map(_, map) {
      const seen = new Set<string>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        const name = String(key.value);
        if (seen.has(name))
          errors.push(
            problem(
              key.range?.[0] ?? 0,
              `cannot parse values: the key ${JSON.stringify(name)} appears twice`,
              "keep one of them",
            ),
          );
        seen.add(name);
      }
    },
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

/** Most characters a values text may have. */
export const MAX_VALUES_TEXT_BYTES = 8 << 20;
/** Most lines, commas and brackets a values text may have (a bound of how many values it holds). */
export const MAX_VALUES_TEXT_ITEMS = 200_000;
/** Deepest bracket nesting read before parsing (far above MAX_VALUES_DEPTH, which is checked after). */
export const MAX_VALUES_TEXT_NESTING = 1_000;

/**
 * Refuses a text too large or too deeply nested to parse in reasonable time, before parsing it:
 * YAML parsing takes tens of microseconds per value (a 2 MB list of a million numbers took over
 * half a minute) and longer per level of nesting. Real values files hold a few thousand lines.
 * Brackets inside quoted strings count too: only absurd strings come near these bounds.
 */
function sizeProblem(source: TextValuesSource): OpmError | undefined {
  const { text } = source;
  const refuse = (message: string) =>
    new OpmError("ValuesParse", {
      message,
      location: { file: source.name },
      hint: "values this large are a mistake; split or trim the file",
    });
  if (text.length > MAX_VALUES_TEXT_BYTES)
    return refuse(`values text of ${text.length} characters is larger than ${MAX_VALUES_TEXT_BYTES} (8 MiB)`);
  let items = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 44)
      items++; // a line break or a comma
    else if (c === 91 || c === 123) {
      items++;
      if (++depth > MAX_VALUES_TEXT_NESTING)
        return refuse(`values text nests brackets more than ${MAX_VALUES_TEXT_NESTING} deep`);
    } else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
    if (items > MAX_VALUES_TEXT_ITEMS)
      return refuse(`values text has more than ${MAX_VALUES_TEXT_ITEMS} lines, commas and brackets`);
  }
  return undefined;
}

const keyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

/** A map's pairs by key, built once per map: a file with many errors locates each in O(1). */
function keyIndex(map: YAMLMap): Map<string, Pair> {
  let index = keyIndexes.get(map);
  if (index === undefined) {
    index = new Map();
    for (const pair of map.items as Pair[])
      if (isScalar(pair.key) && !index.has(String(pair.key.value))) index.set(String(pair.key.value), pair);
    keyIndexes.set(map, index);
  }
  return index;
}

/** The node at `path`, or undefined when the path does not exist in this document. */
function findNode(root: unknown, path: ValuesPath): Node | undefined {
  let node = root as Node | null | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = keyIndex(node).get(String(segment));
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
