// `#config` from the module's zod schema, read from the source (not the runtime object), so
// comments and constant names survive. Each zod call chain maps to CUE constraints:
// object -> struct with `!` (required), `?` (optional) and `*default |` fields; string, number,
// int, boolean, enum, literal, array, record, union; min/max/gt/lt/positive bounds; regex -> =~.
// The dsl's secret() -> schemas.#Secret with its name and key. A zod feature without a CUE
// counterpart (transforms, refinements, email, ...) is an error.
import { Node, type CallExpression } from "ts-morph";
import { printExpr, ref, regexString, struct, type CueExpr, type StructDecl } from "./cue-expr.ts";
import { Env, type Evaluator } from "./evaluate.ts";
import { isDslFile } from "./builders.ts";
import { UnsupportedConstruct } from "./issues.ts";

interface Step {
  readonly name: string;
  readonly args: readonly Node[];
  readonly node: CallExpression;
}

interface Schema {
  readonly type: CueExpr;
  readonly optional: boolean;
  readonly defaultValue?: CueExpr;
  readonly description?: string;
}

type BaseKind = "string" | "number" | "array" | "other";

const SIMPLE_TYPES: Readonly<Record<string, string>> = {
  string: "string",
  number: "number",
  int: "int",
  int32: "int32",
  uint32: "uint32",
  boolean: "bool",
  any: "_",
  unknown: "_",
  null: "null",
};

const and = (left: CueExpr, right: CueExpr): CueExpr =>
  left.t === "ref" && left.text === "_" ? right : { t: "binary", op: "&", left, right };
const or = (left: CueExpr, right: CueExpr): CueExpr => ({ t: "binary", op: "|", left, right });

export class ZodToCue {
  private readonly evaluator: Evaluator;

  constructor(evaluator: Evaluator) {
    this.evaluator = evaluator;
  }

  /** The zod call chain of an expression, following constants: `size.optional()` reads `size`. */
  private chain(node: Node): { base: Step; modifiers: Step[] } {
    if (
      Node.isParenthesizedExpression(node) ||
      Node.isAsExpression(node) ||
      Node.isSatisfiesExpression(node)
    ) {
      return this.chain(node.getExpression());
    }
    if (Node.isIdentifier(node)) {
      const declaration = this.evaluator.builders.declarationOf(node);
      const initializer = Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
      if (initializer === undefined)
        throw new UnsupportedConstruct(node, `${node.getText()} is not a zod schema the compiler can read`);
      return this.chain(initializer);
    }
    if (Node.isCallExpression(node)) {
      const callee = node.getExpression();
      if (Node.isIdentifier(callee) && this.isDslSecret(callee))
        return { base: { name: "secret", args: node.getArguments(), node }, modifiers: [] };
      if (Node.isPropertyAccessExpression(callee)) {
        const step: Step = { name: callee.getName(), args: node.getArguments(), node };
        const target = callee.getExpression();
        if (Node.isIdentifier(target) && this.isZod(target)) return { base: step, modifiers: [] };
        const inner = this.chain(target);
        return { base: inner.base, modifiers: [...inner.modifiers, step] };
      }
    }
    throw new UnsupportedConstruct(
      node,
      `${node.getText().slice(0, 40)} is not a zod schema the compiler can read`,
    );
  }

  private isZod(identifier: Node): boolean {
    const symbol = identifier.getSymbol();
    const declaration = symbol?.getDeclarations()[0];
    const importDeclaration = declaration?.getFirstAncestor((a) => Node.isImportDeclaration(a));
    if (Node.isImportDeclaration(importDeclaration)) {
      const from = importDeclaration.getModuleSpecifierValue();
      // `z` re-exported by the dsl is zod itself.
      return from.startsWith("zod") || (from === "@opm/sdk/dsl" && symbol?.getName() === "z");
    }
    return identifier.getText() === "z";
  }

  /** The dsl's `secret()`, the twin of the catalog's `schemas.#Secret`. */
  private isDslSecret(identifier: Node): boolean {
    const declaration = this.evaluator.builders.declarationOf(identifier);
    return (
      Node.isFunctionDeclaration(declaration) && declaration.getName() === "secret" && isDslFile(declaration)
    );
  }

  /**
   * `secret({name, key, value?})` as `schemas.#Secret & {$secretName: name, $dataKey: key}`, with
   * `value?:` carrying the constraints on a literal (references are not checked, as in the dsl).
   */
  private secret(options: Node | undefined, call: Node): CueExpr {
    if (!Node.isObjectLiteralExpression(options))
      throw new UnsupportedConstruct(options ?? call, "secret() needs an object literal");
    const option = (name: string): Node | undefined => {
      const property = options.getProperty(name);
      if (property === undefined) return undefined;
      if (!Node.isPropertyAssignment(property))
        throw new UnsupportedConstruct(property, "secret() options must be written as `name: value`");
      return property.getInitializerOrThrow();
    };
    const text = (name: string): CueExpr => {
      const value = option(name);
      const expr = value === undefined ? undefined : this.evaluator.expr(value, new Env());
      if (expr?.t !== "lit" || typeof expr.value !== "string")
        throw new UnsupportedConstruct(value ?? options, `secret() needs ${name} as a string literal`);
      return expr;
    };
    const decls: StructDecl[] = [
      { d: "field", key: "$secretName", value: text("name") },
      { d: "field", key: "$dataKey", value: text("key") },
    ];
    const value = option("value");
    if (value !== undefined)
      decls.push({ d: "field", key: "value", value: this.schema(value).type, marker: "?" });
    return and(ref(`${this.evaluator.imports.use("opmodel.dev/schemas@v0")}.#Secret`), struct(decls));
  }

  /** The `#config` struct of a module: its schema must be an object. */
  config(node: Node): CueExpr {
    const schema = this.schema(node);
    if (schema.type.t !== "struct")
      throw new UnsupportedConstruct(node, "the module config must be a z.object(...)");
    return schema.type;
  }

  schema(node: Node): Schema {
    const { base, modifiers } = this.chain(node);
    const start = this.base(base);
    const kind = start.kind;
    let { type, optional } = start;
    let defaultValue: CueExpr | undefined;
    let description: string | undefined;
    const bound = (op: string, arg: Node | undefined, strictOffset = 0): CueExpr => {
      const value = this.literalNumber(arg, base.node) + strictOffset;
      if (kind === "string") return ref(`strings.${op === ">=" ? "MinRunes" : "MaxRunes"}(${value})`);
      if (kind === "array") return ref(`list.${op === ">=" ? "MinItems" : "MaxItems"}(${value})`);
      return ref(`${op}${value}`);
    };
    for (const step of modifiers) {
      const [arg] = step.args;
      switch (step.name) {
        case "optional":
          optional = true;
          break;
        case "nullable":
          type = or(ref("null"), type);
          break;
        case "default":
          defaultValue = this.evaluator.expr(arg ?? step.node, new Env());
          break;
        case "describe":
          description = Node.isStringLiteral(arg) ? arg.getLiteralValue() : undefined;
          break;
        case "int":
          type = ref("int");
          break;
        case "min":
        case "gte":
        case "nonnegative":
        case "positive":
        case "gt":
          type = and(
            type,
            step.name === "nonnegative"
              ? ref(">=0")
              : step.name === "positive"
                ? ref(">0")
                : step.name === "gt"
                  ? ref(`>${this.literalNumber(arg, step.node)}`)
                  : bound(">=", arg),
          );
          break;
        case "max":
        case "lte":
        case "lt":
        case "negative":
          type = and(
            type,
            step.name === "negative"
              ? ref("<0")
              : step.name === "lt"
                ? ref(`<${this.literalNumber(arg, step.node)}`)
                : bound("<=", arg),
          );
          break;
        case "nonempty":
          type = and(type, kind === "array" ? ref("list.MinItems(1)") : ref("strings.MinRunes(1)"));
          break;
        case "length":
          type = and(and(type, bound(">=", arg)), bound("<=", arg));
          break;
        case "regex":
          type = and(type, this.regex(arg, step.node));
          break;
        case "startsWith":
        case "endsWith":
          type = and(
            type,
            ref(
              `strings.${step.name === "startsWith" ? "HasPrefix" : "HasSuffix"}(${printExpr(this.evaluator.expr(arg ?? step.node, new Env()))})`,
            ),
          );
          break;
        default:
          throw new UnsupportedConstruct(step.node, `the zod method .${step.name}() has no CUE counterpart`);
      }
      if (
        kind === "string" &&
        ["min", "max", "length", "nonempty", "startsWith", "endsWith"].includes(step.name)
      ) {
        this.evaluator.imports.use("strings");
      }
      if (kind === "array" && ["min", "max", "length", "nonempty"].includes(step.name))
        this.evaluator.imports.use("list");
    }
    return {
      type,
      optional,
      ...(defaultValue === undefined ? {} : { defaultValue }),
      ...(description === undefined ? {} : { description }),
    };
  }

  private base(step: Step): { type: CueExpr; kind: BaseKind; optional: boolean } {
    const [first, second] = step.args;
    const simple = SIMPLE_TYPES[step.name];
    if (simple !== undefined) {
      const kind: BaseKind =
        step.name === "string"
          ? "string"
          : simple === "bool" || simple === "_" || simple === "null"
            ? "other"
            : "number";
      return { type: ref(simple), kind, optional: false };
    }
    switch (step.name) {
      case "secret":
        return { type: this.secret(first, step.node), kind: "other", optional: false };
      case "object":
      case "strictObject":
      case "looseObject":
        return {
          type: this.object(first, step.node, step.name === "looseObject"),
          kind: "other",
          optional: false,
        };
      case "enum": {
        if (!Node.isArrayLiteralExpression(first))
          throw new UnsupportedConstruct(step.node, "z.enum needs an array literal");
        const values = first.getElements().map((e) => this.evaluator.expr(e, new Env()));
        return { type: values.reduce((a, b) => or(a, b)), kind: "other", optional: false };
      }
      case "literal":
        return { type: this.evaluator.expr(first ?? step.node, new Env()), kind: "other", optional: false };
      case "array":
        return {
          type: ref(`[...${printExpr(this.schema(first ?? step.node).type)}]`),
          kind: "array",
          optional: false,
        };
      case "record": {
        if (second === undefined)
          throw new UnsupportedConstruct(step.node, "z.record needs a key and a value schema");
        const key = this.schema(first!).type;
        const value = this.schema(second).type;
        const pattern =
          key.t === "binary" && key.op === "&" && key.left.t === "ref" && key.left.text === "string"
            ? key.right
            : key;
        return {
          type: struct([{ d: "embed", value: ref(`[${printExpr(pattern)}]: ${printExpr(value)}`) }]),
          kind: "other",
          optional: false,
        };
      }
      case "union": {
        if (!Node.isArrayLiteralExpression(first))
          throw new UnsupportedConstruct(step.node, "z.union needs an array literal");
        const options = first.getElements().map((e) => this.schema(e).type);
        return { type: options.reduce((a, b) => or(a, b)), kind: "other", optional: false };
      }
      case "optional": {
        const inner = this.schema(first ?? step.node);
        return { type: inner.type, kind: "other", optional: true };
      }
      case "nullable":
        return {
          type: or(ref("null"), this.schema(first ?? step.node).type),
          kind: "other",
          optional: false,
        };
      default:
        throw new UnsupportedConstruct(step.node, `z.${step.name}() has no CUE counterpart`);
    }
  }

  private object(shape: Node | undefined, call: Node, open: boolean): CueExpr {
    if (!Node.isObjectLiteralExpression(shape))
      throw new UnsupportedConstruct(shape ?? call, "z.object needs an object literal");
    const decls: StructDecl[] = [];
    for (const property of shape.getProperties()) {
      try {
        if (!Node.isPropertyAssignment(property))
          throw new UnsupportedConstruct(property, "a z.object shape must list its fields as `name: schema`");
        const schema = this.schema(property.getInitializerOrThrow());
        const comment = commentOf(property) ?? schema.description;
        if (comment !== undefined) decls.push({ d: "comment", text: comment });
        const key = property.getNameNode();
        const name = Node.isStringLiteral(key) ? key.getLiteralValue() : key.getText();
        if (schema.defaultValue !== undefined) {
          decls.push({
            d: "field",
            key: name,
            value: or(ref(`*${printExpr(schema.defaultValue)}`), schema.type),
          });
        } else {
          decls.push({ d: "field", key: name, value: schema.type, marker: schema.optional ? "?" : "!" });
        }
      } catch (error) {
        this.evaluator.recover(error);
      }
    }
    if (open) decls.push({ d: "embed", value: ref("...") });
    return struct(decls);
  }

  private regex(arg: Node | undefined, node: Node): CueExpr {
    if (!Node.isRegularExpressionLiteral(arg))
      throw new UnsupportedConstruct(node, ".regex needs a regular expression literal");
    const text = arg.getText();
    const slash = text.lastIndexOf("/");
    const pattern = text.slice(1, slash);
    const flags = text.slice(slash + 1);
    if ([...flags].some((f) => f !== "i" && f !== "u"))
      throw new UnsupportedConstruct(arg, `the regular expression flags "${flags}" have no CUE counterpart`);
    if (/\(\?[=!<]|\\[1-9]/.test(pattern))
      throw new UnsupportedConstruct(
        arg,
        "lookaround and backreferences are not supported by CUE's regular expressions (RE2)",
      );
    return ref(`=~${regexString(flags.includes("i") ? `(?i)${pattern}` : pattern)}`);
  }

  private literalNumber(arg: Node | undefined, node: Node): number {
    const value = arg === undefined ? undefined : this.evaluator.expr(arg, new Env());
    if (value?.t !== "lit" || typeof value.value !== "number")
      throw new UnsupportedConstruct(node, "a zod bound must be a number literal");
    return value.value;
  }
}

/** The JSDoc or line comment above a property, without its markers. */
function commentOf(node: Node): string | undefined {
  const ranges = node.getLeadingCommentRanges();
  if (ranges.length === 0) return undefined;
  const text = ranges
    .map((r) => r.getText())
    .join("\n")
    .replace(/^\/\*\*?|\*\/$/g, "")
    .split("\n")
    .map((line) => line.replace(/^\s*(\*|\/\/)\s?/, "").trim())
    .filter((line) => line.length > 0)
    .join("\n");
  return text.length > 0 ? text : undefined;
}
