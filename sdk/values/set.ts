// `--set path=value` expressions: `a.b[0].c=value`. A backslash escapes `.`, `[` and `=` in keys
// (`--set 'labels.app\.kubernetes\.io/name=web'`). Values are typed scalars: `true`/`false`,
// `null`, numbers in plain decimal notation, and strings otherwise; a value in double quotes is
// always a string (`--set tag="1.10"`). The family as Helm spells it: `--set-string` keeps the
// value a string, `--set-json` reads it as JSON, `--set-file` takes a file's content (read by the
// caller: the sdk reads no files).
import { OpmError } from "../errors.ts";
import { PROTOTYPE_KEYS } from "./check.ts";
import type { ValuesPath } from "./sources.ts";

/**
 * The largest list index `--set` accepts (Helm caps it too): `x[999999999]=1` would otherwise
 * build a list of a billion nulls.
 */
export const MAX_SET_INDEX = 65_535;

/** The flags of the `--set` family, in the order Helm applies them (later wins). */
export const SET_FLAGS = ["--set-json", "--set", "--set-string", "--set-file"] as const;
/** One flag of the `--set` family; it decides how the value after `=` is read. */
export type SetFlag = (typeof SET_FLAGS)[number];

/** One `--set`-family expression; a plain string is a `--set` one. */
export interface SetInput {
  /** Which flag gave it: how the value is read, and what messages call it. */
  readonly flag: SetFlag;
  /** `path=value` (for `--set-file`, `path=file`). */
  readonly text: string;
  /** `--set-file`: the file's content. */
  readonly content?: string;
}

/** A parsed `--set`-family expression: where in the values, and what goes there. */
export interface SetExpression {
  /** `a.b[0].c` as `["a", "b", 0, "c"]`. */
  readonly path: ValuesPath;
  /** The value, typed as the flag reads it. */
  readonly value: unknown;
  /** The expression as given, for locations. */
  readonly text: string;
}

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Parses one `--set`-family expression (a plain string is a `--set` one) into its path and
 * value, or a positioned OPM2003 error saying what is wrong and how to write it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSetExpression } from "@opm/sdk";
 *
 * const port = parseSetExpression("ports[0].port=8080").expression;
 * assert.deepEqual(port?.path, ["ports", 0, "port"]);
 * assert.equal(port?.value, 8080);
 * assert.equal(parseSetExpression({ flag: "--set-string", text: "tag=1.10" }).expression?.value, "1.10");
 * ```
 */
export function parseSetExpression(input: string | SetInput): {
  expression?: SetExpression;
  error?: OpmError;
} {
  const { flag, text, content } = typeof input === "string" ? { flag: "--set" as const, text: input } : input;
  const path: (string | number)[] = [];
  let key = "";
  let i = 0;
  let expectKey = true;
  const invalid = (why: string) => ({
    error: new OpmError("InvalidSetExpression", {
      message: `${flag} ${JSON.stringify(text)}: ${why}`,
      location: { file: flag, column: i + 1 },
      hint: HINTS[flag],
    }),
  });
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length) {
      key += text[++i];
    } else if (ch === ".") {
      if (expectKey && key === "") return invalid("empty key");
      if (key !== "") path.push(key);
      key = "";
      expectKey = true;
    } else if (ch === "[") {
      if (key !== "") path.push(key);
      key = "";
      const close = text.indexOf("]", i);
      const index = close < 0 ? "" : text.slice(i + 1, close);
      if (!/^\d+$/.test(index)) return invalid("a list index must be a non-negative integer");
      if (Number(index) > MAX_SET_INDEX) return invalid(`a list index may be at most ${MAX_SET_INDEX}`);
      path.push(Number(index));
      i = close;
      expectKey = false;
    } else if (ch === "=") {
      break;
    } else {
      key += ch;
      expectKey = false;
    }
  }
  if (key !== "") path.push(key);
  if (i >= text.length) return invalid("missing '='");
  if (path.length === 0) return invalid("empty path");
  const prototypeKey = path.find((segment) => typeof segment === "string" && PROTOTYPE_KEYS.has(segment));
  if (prototypeKey !== undefined) {
    i = text.indexOf(String(prototypeKey));
    return invalid(`the key ${JSON.stringify(prototypeKey)} is not allowed`);
  }
  const raw = text.slice(i + 1);
  if (flag === "--set-json") {
    try {
      return { expression: { path, value: JSON.parse(raw) as unknown, text } };
    } catch (cause) {
      i += 1;
      return invalid(`the value is not JSON (${(cause as Error).message})`);
    }
  }
  if (flag === "--set-file") {
    if (content === undefined) return invalid("the file was not read");
    return { expression: { path, value: content, text } };
  }
  return { expression: { path, value: flag === "--set-string" ? raw : parseScalar(raw), text } };
}

const HINTS: Readonly<Record<SetFlag, string>> = {
  "--set": "write path=value, e.g. --set image.tag=1.2.3 or --set ports[0].port=8080",
  "--set-string": "write path=value, e.g. --set-string image.tag=1.10",
  "--set-json": `write path=json, e.g. --set-json 'ports=[{"port":80}]'`,
  "--set-file": "write path=file, e.g. --set-file config.motd=./motd.txt",
};

/** How `--set` types a value: booleans, null and decimal numbers; anything else (or quoted) is a string. */
function parseScalar(raw: string): unknown {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return raw.slice(1, -1);
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (raw === "null") return null;
  if (NUMBER.test(raw)) return Number(raw);
  return raw;
}
