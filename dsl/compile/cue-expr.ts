// The CUE the compiler emits, as a small expression tree: the evaluator builds it from module
// code and `printCue` turns it into source text (the engine's formatter aligns it afterwards).
// Kept deliberately close to CUE's own grammar so each TS construct maps to one visible form.

export type Scalar = string | number | boolean | null;

export type CueExpr =
  | { readonly t: "lit"; readonly value: Scalar }
  /** JS `undefined`: a field with this value is left out, as JSON serialisation does. */
  | { readonly t: "undefined" }
  /** An operand written as is: a reference (`#config.web.image`, a loop variable) or a type. */
  | { readonly t: "ref"; readonly text: string }
  | { readonly t: "struct"; readonly decls: readonly StructDecl[] }
  | { readonly t: "list"; readonly items: readonly ListItem[] }
  | { readonly t: "interp"; readonly parts: readonly (string | CueExpr)[] }
  | { readonly t: "binary"; readonly op: string; readonly left: CueExpr; readonly right: CueExpr }
  | { readonly t: "unary"; readonly op: "!" | "-"; readonly operand: CueExpr }
  | { readonly t: "call"; readonly fn: string; readonly args: readonly CueExpr[] }
  | { readonly t: "index"; readonly target: CueExpr; readonly key: CueExpr }
  /** A JS conditional in operand position; fields and list items use `if` clauses instead. */
  | { readonly t: "cond"; readonly test: CueExpr; readonly then: CueExpr; readonly else: CueExpr };

export type StructDecl =
  | {
      readonly d: "field";
      readonly key: string | CueExpr;
      readonly value: CueExpr;
      readonly marker?: "!" | "?";
      /** A definition label (`#config`), printed bare; data keys starting with `#` are quoted. */
      readonly definition?: true;
    }
  | { readonly d: "comment"; readonly text: string }
  /** `let name = value`: a helper's local constant that code reads with a computed key. */
  | { readonly d: "let"; readonly name: string; readonly value: CueExpr }
  | { readonly d: "embed"; readonly value: CueExpr }
  | ForClause<StructDecl>
  | IfClause<StructDecl>;

export type ListItem =
  { readonly d: "embed"; readonly value: CueExpr } | ForClause<StructDecl> | IfClause<StructDecl>;

/** `for k, v in source {body}`; in a list, the body struct is the element. */
export interface ForClause<Body> {
  readonly d: "for";
  readonly key: string | undefined;
  readonly value: string;
  readonly source: CueExpr;
  /** `for x in xs if guard {...}`: only the elements the guard admits. */
  readonly guard?: CueExpr;
  readonly body: readonly Body[];
}

/** `if test {body}`. */
export interface IfClause<Body> {
  readonly d: "if";
  readonly test: CueExpr;
  readonly body: readonly Body[];
}

export type Comprehension<Body> = ForClause<Body> | IfClause<Body>;

export const lit = (value: Scalar): CueExpr => ({ t: "lit", value });
export const ref = (text: string): CueExpr => ({ t: "ref", text });
export const struct = (decls: readonly StructDecl[]): CueExpr => ({ t: "struct", decls });
export const UNDEFINED: CueExpr = { t: "undefined" };

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(["for", "if", "let", "in", "import", "package", "true", "false", "null", "func"]);

/** A field label: bare when it is a plain identifier, quoted otherwise. */
export function labelOf(key: string): string {
  return IDENTIFIER.test(key) && !KEYWORDS.has(key) ? key : quote(key);
}

/** A selector step after `.`: CUE accepts quoted selectors for non-identifiers. */
export function selectorOf(key: string): string {
  return labelOf(key);
}

function escapeText(text: string): string {
  let out = "";
  for (const ch of text) {
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else out += ch;
  }
  return out;
}

export function quote(text: string): string {
  return `"${escapeText(text)}"`;
}

/** A regular expression as a CUE string; a raw string keeps backslashes readable. */
export function regexString(pattern: string): string {
  if (!pattern.includes("\\") && !pattern.includes('"')) return quote(pattern);
  let hashes = "#";
  while (pattern.includes(`"${hashes}`)) hashes += "#";
  return `${hashes}"${pattern}"${hashes}`;
}

function printScalar(value: Scalar): string {
  if (typeof value === "string") return quote(value);
  if (value === null) return "null";
  return String(value);
}

// CUE's binary precedence, loosest first: | & || && comparisons + - * /.
const PRECEDENCE: Readonly<Record<string, number>> = {
  "|": 1,
  "&": 2,
  "||": 3,
  "&&": 4,
  "==": 5,
  "!=": 5,
  "<": 5,
  "<=": 5,
  ">": 5,
  ">=": 5,
  "=~": 5,
  "!~": 5,
  "+": 6,
  "-": 6,
  "*": 7,
  "/": 7,
};

function operand(expr: CueExpr, indent: string, parentPrecedence: number): string {
  const text = printExpr(expr, indent);
  if (expr.t === "binary" && (PRECEDENCE[expr.op] ?? 0) <= parentPrecedence) return `(${text})`;
  if (expr.t === "cond") return `(${text})`;
  return text;
}

/** Negates a test, turning `x == _|_` into `x != _|_` rather than `!(x == _|_)`. */
export function negate(test: CueExpr): CueExpr {
  if (test.t === "unary" && test.op === "!") return test.operand;
  if (test.t === "lit" && typeof test.value === "boolean") return lit(!test.value);
  if (test.t === "binary" && (test.op === "==" || test.op === "!=")) {
    return { ...test, op: test.op === "==" ? "!=" : "==" };
  }
  return { t: "unary", op: "!", operand: test };
}

export function printExpr(expr: CueExpr, indent = ""): string {
  switch (expr.t) {
    case "lit":
      return printScalar(expr.value);
    case "undefined":
      return "_|_";
    case "ref":
      return expr.text;
    case "struct":
      return printBlock(expr.decls, indent);
    case "list":
      return printList(expr.items, indent);
    case "interp":
      return `"${expr.parts
        .map((p) => (typeof p === "string" ? escapeText(p) : `\\(${printExpr(p, indent)})`))
        .join("")}"`;
    case "binary": {
      const precedence = PRECEDENCE[expr.op] ?? 0;
      // | and & are associative: `a | (b | c)` is written `a | b | c`.
      const associative = expr.op === "|" || expr.op === "&";
      const right = operand(
        expr.right,
        indent,
        associative && expr.right.t === "binary" && expr.right.op === expr.op ? precedence - 1 : precedence,
      );
      return `${operand(expr.left, indent, precedence - 1)} ${expr.op} ${right}`;
    }
    case "unary":
      return `${expr.op}${operand(expr.operand, indent, 9)}`;
    case "call":
      return `${expr.fn}(${expr.args.map((a) => printExpr(a, indent)).join(", ")})`;
    case "index": {
      const target = printExpr(expr.target, indent);
      const wrapped = expr.target.t === "ref" || expr.target.t === "struct" ? target : `(${target})`;
      return `${wrapped}[${printExpr(expr.key, indent)}]`;
    }
    case "cond":
      // CUE has no conditional operator: pick the one element a pair of guarded items leaves.
      return `[if ${printExpr(expr.test, indent)} {${printExpr(expr.then, indent)}}, if ${printExpr(
        negate(expr.test),
        indent,
      )} {${printExpr(expr.else, indent)}}][0]`;
  }
}

function printLabel(key: string | CueExpr, indent: string): string {
  if (typeof key === "string") return labelOf(key);
  if (key.t === "interp" || (key.t === "lit" && typeof key.value === "string")) return printExpr(key, indent);
  return `(${printExpr(key, indent)})`;
}

function clauseHead(decl: Comprehension<StructDecl>, indent: string): string {
  if (decl.d === "if") return `if ${printExpr(decl.test, indent)}`;
  const key = decl.key === undefined ? "" : `${decl.key}, `;
  const guard = decl.guard === undefined ? "" : ` if ${printExpr(decl.guard, indent)}`;
  return `for ${key}${decl.value} in ${printExpr(decl.source, indent)}${guard}`;
}

function printClause(decl: Comprehension<StructDecl>, indent: string): string {
  return `${clauseHead(decl, indent)} ${printBlock(decl.body, indent)}`;
}

function printDecl(decl: StructDecl, indent: string): string {
  switch (decl.d) {
    case "field": {
      const label =
        decl.definition === true && typeof decl.key === "string" ? decl.key : printLabel(decl.key, indent);
      // `a: {b: 1}` is written `a: b: 1`, as CUE authors do.
      const only =
        decl.value.t === "struct" && decl.value.decls.length === 1 ? decl.value.decls[0] : undefined;
      // So is a struct holding only a pattern constraint: `labels: [string]: string`.
      const isPattern = only?.d === "embed" && only.value.t === "ref" && only.value.text.startsWith("[");
      const value =
        only !== undefined && (only.d === "field" || isPattern)
          ? printDecl(only, indent)
          : printExpr(decl.value, indent);
      return `${label}${decl.marker ?? ""}: ${value}`;
    }
    case "comment":
      return decl.text
        .split("\n")
        .map((line: string) => `// ${line}`.trimEnd())
        .join(`\n${indent}`);
    case "embed":
      return printExpr(decl.value, indent);
    case "let":
      return `let ${decl.name} = ${printExpr(decl.value, indent)}`;
    case "for":
    case "if":
      return printClause(decl, indent);
  }
}

/** The declarations of a file or struct body, one per line. */
export function printDecls(decls: readonly StructDecl[], indent: string): string {
  return decls.map((d) => `${indent}${printDecl(d, indent)}`).join("\n");
}

function printBlock(decls: readonly StructDecl[], indent: string): string {
  if (decls.length === 0) return "{}";
  const inner = `${indent}\t`;
  return `{\n${printDecls(decls, inner)}\n${indent}}`;
}

const isSimple = (item: ListItem): boolean =>
  item.d === "embed" && ["lit", "ref", "interp", "call", "index"].includes(item.value.t);

function printList(items: readonly ListItem[], indent: string): string {
  if (items.length === 0) return "[]";
  if (items.every(isSimple)) {
    return `[${items.map((item) => printExpr((item as { value: CueExpr }).value, indent)).join(", ")}]`;
  }
  // One comprehension of one simple element fits a line: `[for x in xs {"--\(x)"}]`.
  const [only] = items;
  const body = only?.d === "for" && only.body.length === 1 ? only.body[0] : undefined;
  if (items.length === 1 && only?.d === "for" && body?.d === "embed" && isSimple(body)) {
    return `[${clauseHead(only, indent)} {${printExpr(body.value, indent)}}]`;
  }
  const inner = `${indent}\t`;
  const lines = items.map(
    (item) => `${inner}${item.d === "embed" ? printExpr(item.value, inner) : printClause(item, inner)},`,
  );
  return `[\n${lines.join("\n")}\n${indent}]`;
}
