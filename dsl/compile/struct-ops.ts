// Building CUE structs and lists with JS object and array semantics: a later static key
// replaces an earlier one, a field holding a conditional becomes guarded \`if\` fields, an
// undefined value is no field, spreads of literals are inlined, and constants fold.
import { lit, negate, ref, type CueExpr, type ListItem, type StructDecl } from "./cue-expr.ts";

export function foldNumbers(op: string, a: number, b: number): number | boolean {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}

export /** `x === undefined` asks whether an optional config field is absent: `x == _|_` in CUE. */
function equality(op: "==" | "!=", left: CueExpr, right: CueExpr): CueExpr {
  if (left.t === "lit" && right.t === "lit") return lit((left.value === right.value) === (op === "=="));
  if (left.t === "undefined" && right.t === "undefined") return lit(op === "==");
  if (right.t === "undefined") return { t: "binary", op, left, right: ref("_|_") };
  if (left.t === "undefined") return { t: "binary", op, left: right, right: ref("_|_") };
  return { t: "binary", op, left, right };
}

/** Folds literal parts into the text; an interpolation of one literal string is that string. */
export function interpolation(parts: readonly (string | CueExpr)[]): CueExpr {
  const flat: (string | CueExpr)[] = [];
  const push = (part: string | CueExpr): void => {
    if (typeof part !== "string" && part.t === "interp") {
      part.parts.forEach(push);
      return;
    }
    const text = typeof part === "string" ? part : part.t === "lit" ? String(part.value) : undefined;
    const last = flat[flat.length - 1];
    if (text !== undefined && typeof last === "string") flat[flat.length - 1] = last + text;
    else flat.push(text ?? part);
  };
  parts.forEach(push);
  if (flat.length === 0) return lit("");
  if (flat.length === 1 && typeof flat[0] === "string") return lit(flat[0]);
  return { t: "interp", parts: flat };
}

export function staticField(decls: readonly StructDecl[], key: string): CueExpr | undefined {
  for (let i = decls.length - 1; i >= 0; i--) {
    const decl = decls[i]!;
    if (decl.d === "field" && decl.key === key) return decl.value;
  }
  return undefined;
}

/** Adds `key: value`; a later static key replaces an earlier one, as in a JS object literal. */
export function addField(decls: StructDecl[], key: string | CueExpr, value: CueExpr): void {
  if (typeof key === "string") {
    const existing = decls.findIndex((d) => d.d === "field" && d.key === key);
    if (existing >= 0) decls.splice(existing, 1);
  }
  decls.push(...fieldDecls(key, value));
}

/** A field whose value is a JS conditional becomes a pair of `if` fields; undefined is no field. */
export function fieldDecls(key: string | CueExpr, value: CueExpr): StructDecl[] {
  if (value.t === "undefined") return [];
  if (value.t === "cond") {
    const out: StructDecl[] = [];
    const whenTrue = fieldDecls(key, value.then);
    const whenFalse = fieldDecls(key, value.else);
    if (whenTrue.length > 0) out.push({ d: "if", test: value.test, body: whenTrue });
    if (whenFalse.length > 0) out.push({ d: "if", test: negate(value.test), body: whenFalse });
    return out;
  }
  return [{ d: "field", key, value }];
}

/** `...value` in an object literal: literals are inlined, conditionals guarded, the rest embedded. */
export function spreadInto(decls: StructDecl[], value: CueExpr): void {
  if (value.t === "undefined" || (value.t === "lit" && value.value === null)) return;
  if (value.t === "struct") {
    for (const decl of value.decls) {
      if (decl.d === "field") addField(decls, decl.key, decl.value);
      else decls.push(decl);
    }
    return;
  }
  if (value.t === "binary" && value.op === "&&") {
    // `...(c && { a })`: JS spreads nothing for false.
    const guarded: StructDecl[] = [];
    spreadInto(guarded, value.right);
    if (guarded.length > 0) decls.push({ d: "if", test: value.left, body: guarded });
    return;
  }
  if (value.t === "cond") {
    const whenTrue: StructDecl[] = [];
    const whenFalse: StructDecl[] = [];
    spreadInto(whenTrue, value.then);
    spreadInto(whenFalse, value.else);
    if (whenTrue.length > 0) decls.push({ d: "if", test: value.test, body: whenTrue });
    if (whenFalse.length > 0) decls.push({ d: "if", test: negate(value.test), body: whenFalse });
    return;
  }
  decls.push({ d: "embed", value });
}

/** A conditional list element becomes guarded items, so no `[...][0]` trick is needed. */
export function listItemsOf(value: CueExpr): ListItem[] {
  if (value.t !== "cond") return [{ d: "embed", value }];
  return [
    { d: "if", test: value.test, body: [{ d: "embed", value: value.then }] },
    { d: "if", test: negate(value.test), body: [{ d: "embed", value: value.else }] },
  ];
}
