// `--set path=value` expressions: `a.b[0].c=value`. A backslash escapes `.`, `[` and `=` in keys
// (`--set 'labels.app\.kubernetes\.io/name=web'`). Values are typed scalars: `true`/`false`,
// `null`, numbers in plain decimal notation, and strings otherwise; a value in double quotes is
// always a string (`--set tag="1.10"`).
import { OpmError } from "../errors.ts";
import { PROTOTYPE_KEYS } from "./check.ts";
import type { ValuesPath } from "./sources.ts";

/**
 * The largest list index `--set` accepts (Helm caps it too): `x[999999999]=1` would otherwise
 * build a list of a billion nulls.
 */
export const MAX_SET_INDEX = 65_535;

export interface SetExpression {
  readonly path: ValuesPath;
  readonly value: unknown;
  /** The expression as given, for locations. */
  readonly text: string;
}

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

export function parseSetExpression(text: string): { expression?: SetExpression; error?: OpmError } {
  const path: (string | number)[] = [];
  let key = "";
  let i = 0;
  let expectKey = true;
  const invalid = (why: string) => ({
    error: new OpmError("InvalidSetExpression", {
      message: `--set ${JSON.stringify(text)}: ${why}`,
      location: { file: "--set", column: i + 1 },
      hint: "write path=value, e.g. --set image.tag=1.2.3 or --set ports[0].port=8080",
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
  return { expression: { path, value: parseScalar(text.slice(i + 1)), text } };
}

export function parseScalar(raw: string): unknown {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return raw.slice(1, -1);
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (raw === "null") return null;
  if (NUMBER.test(raw)) return Number(raw);
  return raw;
}
